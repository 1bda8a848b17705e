// ParallelizationFactor > 1: several batches of one shard run at once, yet records of one
// partition key arrive in order, and the shard checkpoint only passes records that are all done.
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('keeps order per partition key while running batches of one shard concurrently', async () => {
  // Prepare: 600 records over 30 keys, interleaved; per-key counters in the payload.
  const stream = new MemoryStream([SHARD]);
  const counters = new Map<string, number>();
  let last = '';
  for (let i = 0; i < 600; i += 1) {
    const key = `session-${(i * 7) % 30}`;
    const n = counters.get(key) ?? 0;
    counters.set(key, n + 1);
    last = stream.put(SHARD, { partitionKey: key, data: String(n) }).sequenceNumber;
  }
  let inFlight = 0;
  let maxInFlight = 0;
  let failedOnce = false;
  const { handler, invocations } = scriptedHandler(async (invocation) => {
    inFlight += 1;
    maxInFlight = Math.max(maxInFlight, inFlight);
    await new Promise((resolve) => setTimeout(resolve, (invocation.index % 4) * 2));
    inFlight -= 1;
    // One failure on the way: the retried batch must still keep per-key order.
    if (!failedOnce && invocation.index === 3) {
      failedOnce = true;
      throw new Error('transient');
    }
    return undefined;
  });

  // Act
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { ParallelizationFactor: 5, BatchSize: 25 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === last,
    'checkpoint at the last record',
    10_000,
  );
  await mapping.stop();

  // Assess: per key, the successful deliveries are 0, 1, 2, … in order.
  const delivered = new Map<string, number[]>();
  for (const invocation of invocations.filter((i) => i.index !== 3)) {
    invocation.partitionKeys.forEach((key, j) => {
      delivered.set(key, [...(delivered.get(key) ?? []), Number(invocation.data[j])]);
    });
  }
  for (const [key, values] of delivered) {
    expect({ key, values }).toEqual({
      key,
      values: Array.from({ length: counters.get(key) ?? 0 }, (_, i) => i),
    });
  }
  expect(delivered.size).toBe(30);
  expect(maxInFlight).toBeGreaterThan(1);
  expect(maxInFlight).toBeLessThanOrEqual(5);
  // Every batch holds keys of a single lane only, at most BatchSize records.
  expect(Math.max(...invocations.map((i) => i.data.length))).toBeLessThanOrEqual(25);
});
