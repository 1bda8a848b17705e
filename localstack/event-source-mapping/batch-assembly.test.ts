// When a lane invokes: BatchSize reached, batching window over, 6 MB payload full, or flush.
import { countFitting, decideBatch } from './batch-assembly';

const queued = (count: number, payloadBytes = 300, readAtMs = 1000) =>
  Array.from({ length: count }, () => ({ payloadBytes, readAtMs }));

test('nothing buffered: idle', () => {
  expect(decideBatch([], { batchSize: 10, batchingWindowMs: 0 }, 0, false)).toEqual({
    kind: 'idle',
  });
});

test('window 0: invokes at once with what is buffered, up to BatchSize', () => {
  expect(decideBatch(queued(3), { batchSize: 10, batchingWindowMs: 0 }, 1000, false)).toEqual({
    kind: 'invoke',
    count: 3,
  });
  expect(decideBatch(queued(25), { batchSize: 10, batchingWindowMs: 0 }, 1000, false)).toEqual({
    kind: 'invoke',
    count: 10,
  });
});

test('inside the window: waits until the window of the first record ends, unless BatchSize is reached', () => {
  const limits = { batchSize: 10, batchingWindowMs: 500 };
  expect(decideBatch(queued(3), limits, 1200, false)).toEqual({ kind: 'wait-until', atMs: 1500 });
  expect(decideBatch(queued(10), limits, 1200, false)).toEqual({ kind: 'invoke', count: 10 });
  expect(decideBatch(queued(3), limits, 1500, false)).toEqual({ kind: 'invoke', count: 3 });
});

test('flush invokes with whatever is buffered, inside the window', () => {
  expect(decideBatch(queued(3), { batchSize: 10, batchingWindowMs: 500 }, 1000, true)).toEqual({
    kind: 'invoke',
    count: 3,
  });
});

test('the 6 MB payload binds before BatchSize, and a full payload does not wait for the window', () => {
  const oneMiB = 1024 * 1024;
  expect(countFitting(queued(10, oneMiB), 100)).toBe(5); // 5 MiB + envelope fits; a sixth would exceed 6 MiB
  expect(
    decideBatch(queued(10, oneMiB), { batchSize: 100, batchingWindowMs: 60_000 }, 1000, false),
  ).toEqual({
    kind: 'invoke',
    count: 5,
  });
});

test('always takes at least one record, even one larger than the limit', () => {
  expect(countFitting(queued(2, 100), 10, 50)).toBe(1);
});

test('counts the envelope and the commas between records exactly', () => {
  // {"Records":[a,b]} = 14 bytes of envelope + 2 × 10 + 1 comma = 35
  expect(countFitting(queued(2, 10), 10, 35)).toBe(2);
  expect(countFitting(queued(2, 10), 10, 34)).toBe(1);
});
