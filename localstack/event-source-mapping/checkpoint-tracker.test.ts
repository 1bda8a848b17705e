// The shard checkpoint moves only over records that are all done, whatever order lanes finish in.
import { CheckpointTracker } from './checkpoint-tracker';

test('advances over the done prefix only', () => {
  const tracker = new CheckpointTracker();
  const [a, b, c, d] = ['1', '2', '3', '4'].map((seq, i) => tracker.add(seq, i)) as [
    number,
    number,
    number,
    number,
  ];

  expect(tracker.markDone([b, d])).toBeUndefined();
  expect(tracker.checkpoint).toBeUndefined();
  expect(tracker.pending).toBe(4);

  expect(tracker.markDone([a])).toBe('2');
  expect(tracker.pending).toBe(2);
  expect(tracker.oldestPendingArrivalMs).toBe(2);

  expect(tracker.markDone([c])).toBe('4');
  expect(tracker.pending).toBe(0);
  expect(tracker.oldestPendingArrivalMs).toBeUndefined();
});

test('starts from a stored checkpoint', () => {
  const tracker = new CheckpointTracker('42');
  expect(tracker.checkpoint).toBe('42');
  const position = tracker.add('43', 0);
  expect(tracker.markDone([position])).toBe('43');
});

test('refuses a position it never handed out or already passed', () => {
  const tracker = new CheckpointTracker();
  const position = tracker.add('1', 0);
  tracker.markDone([position]);
  expect(() => tracker.markDone([position])).toThrow(RangeError);
  expect(() => tracker.markDone([7])).toThrow(/outside the pending window/);
});
