// stop() awaits the invocations in flight, starts nothing new, and leaves no timer behind.
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

function activeTimers(): number {
  return process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
}

test('stop awaits the invocation in flight and acknowledges its records', async () => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const record = stream.put(SHARD, { partitionKey: 'k', data: 'x' });
  let release: () => void = () => undefined;
  let finished = false;
  const { handler, invocations } = scriptedHandler(async () => {
    await new Promise<void>((resolve) => (release = resolve));
    finished = true;
  });
  const { mapping } = await startMemoryMapping({ stream, handler, timeoutMs: 10_000 });
  await waitFor(() => invocations.length === 1, 'the invocation started');

  // Act
  let stopped = false;
  const stopping = mapping.stop().then(() => (stopped = true));
  await Promise.resolve();
  const stoppedBeforeRelease = stopped;
  release();
  await stopping;

  // Assess
  expect(stoppedBeforeRelease).toBe(false);
  expect(finished).toBe(true);
  expect(mapping.stats().shards[SHARD]?.checkpoint).toBe(record.sequenceNumber);
});

test('after stop no timer of the mapping is left and nothing is read or invoked', async () => {
  const timersBefore = activeTimers();
  const stream = new MemoryStream(['s1', 's2']);
  const { handler, invocations } = scriptedHandler(() => {
    throw new Error('keeps failing'); // a retry backoff is pending at stop time
  });
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { ParallelizationFactor: 3 },
  });
  stream.put('s1', { partitionKey: 'a', data: 'x' });
  await waitFor(() => mapping.stats().recordsRead === 1, 'a record read');
  await waitFor(() => invocations.length >= 2, 'a retry');
  expect(activeTimers()).toBeGreaterThan(timersBefore); // polls and retry backoffs are pending

  await mapping.stop();
  const readsAtStop = stream.reads;
  const invocationsAtStop = invocations.length;
  stream.put('s2', { partitionKey: 'a', data: 'y' });

  // ≤ rather than =: timers of the test runner itself may have fired meanwhile.
  expect(activeTimers()).toBeLessThanOrEqual(timersBefore);
  await new Promise((resolve) => setImmediate(resolve));
  expect(stream.reads).toBe(readsAtStop);
  expect(invocations).toHaveLength(invocationsAtStop);
  await expect(mapping.stop()).resolves.toBeUndefined(); // idempotent
});
