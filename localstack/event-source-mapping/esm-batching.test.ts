// BatchSize bounds each invocation; MaximumBatchingWindowInSeconds gathers records that arrive
// within the window into one invocation.
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('BatchSize bounds every invocation, in stream order', async () => {
  const stream = new MemoryStream([SHARD]);
  const records = Array.from({ length: 10 }, (_, i) =>
    stream.put(SHARD, { partitionKey: 'k', data: `r${i}` }),
  );
  const { handler, invocations } = scriptedHandler();

  const { mapping } = await startMemoryMapping({ stream, handler, settings: { BatchSize: 3 } });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === records[9]?.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  expect(invocations.map((i) => i.data.length)).toEqual([3, 3, 3, 1]);
  expect(invocations.flatMap((i) => i.data)).toEqual(records.map((_, i) => `r${i}`));
});

test('the batching window gathers records that arrive within it into one invocation', async () => {
  const stream = new MemoryStream([SHARD]);
  const { handler, invocations } = scriptedHandler();
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { BatchSize: 100, MaximumBatchingWindowInSeconds: 0.3 },
  });

  const startedAt = Date.now();
  stream.put(SHARD, { partitionKey: 'k', data: 'first' });
  await waitFor(() => mapping.stats().recordsRead === 1, 'the first record read');
  stream.put(SHARD, { partitionKey: 'k', data: 'second' });
  stream.put(SHARD, { partitionKey: 'k', data: 'third' });
  await waitFor(() => invocations.length === 1, 'one invocation');
  const elapsed = Date.now() - startedAt;
  await mapping.stop();

  expect(invocations[0]?.data).toEqual(['first', 'second', 'third']);
  expect(elapsed).toBeGreaterThanOrEqual(250);
});

test('a full batch does not wait for the window', async () => {
  const stream = new MemoryStream([SHARD]);
  Array.from({ length: 4 }, (_, i) => stream.put(SHARD, { partitionKey: 'k', data: `r${i}` }));
  const { handler, invocations } = scriptedHandler();
  const startedAt = Date.now();
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { BatchSize: 4, MaximumBatchingWindowInSeconds: 300 },
  });
  await waitFor(() => invocations.length === 1, 'one invocation');
  await mapping.stop();

  expect(invocations[0]?.data).toHaveLength(4);
  expect(Date.now() - startedAt).toBeLessThan(5000);
});

test('the 6 MB invoke payload limit binds before BatchSize', async () => {
  const stream = new MemoryStream([SHARD]);
  const big = 'x'.repeat(1024 * 1024); // ~1.33 MiB once base64-encoded in the event
  const records = Array.from({ length: 6 }, () =>
    stream.put(SHARD, { partitionKey: 'k', data: big }),
  );
  const { handler, invocations } = scriptedHandler();

  const { mapping } = await startMemoryMapping({ stream, handler, settings: { BatchSize: 100 } });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === records[5]?.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  expect(invocations.map((i) => i.data.length)).toEqual([4, 2]);
  for (const invocation of invocations) {
    expect(Buffer.byteLength(JSON.stringify(invocation.event))).toBeLessThanOrEqual(
      6 * 1024 * 1024,
    );
  }
});
