// Faults around the handler: a failing destination write leaves records unacknowledged until it
// succeeds; failing reads are retried. Both are reported, neither loses a record.
import { MemoryFailureDestination } from './test-support/memory-failure-destination';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('a failed destination write is retried and the records are acknowledged only after it succeeds', async () => {
  const stream = new MemoryStream([SHARD]);
  const record = stream.put(SHARD, { partitionKey: 'k', data: 'poison' });
  const destination = new MemoryFailureDestination();
  destination.failNextWrites(new Error('S3 unavailable'), new Error('S3 unavailable'));
  const { handler } = scriptedHandler(() => {
    throw new Error('poison');
  });

  const { mapping, errors } = await startMemoryMapping({
    stream,
    handler,
    destination,
    settings: { MaximumRetryAttempts: 0 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === record.sequenceNumber,
    'checkpoint',
  );
  await mapping.stop();

  expect(destination.received).toHaveLength(1);
  expect(mapping.stats()).toMatchObject({ destinationErrors: 2, recordsToDestination: 1 });
  expect(errors.map((e) => e.name)).toEqual(['FailureDestinationError', 'FailureDestinationError']);
  expect(errors[0]?.cause).toEqual(new Error('S3 unavailable'));
});

test('failed reads are retried and reported', async () => {
  const stream = new MemoryStream([SHARD]);
  stream.failNextReads(new Error('ProvisionedThroughputExceededException'));
  stream.put(SHARD, { partitionKey: 'k', data: 'x' });
  const { handler, invocations } = scriptedHandler();

  const { mapping, errors } = await startMemoryMapping({ stream, handler });
  await waitFor(() => invocations.length === 1, 'delivery');
  await mapping.stop();

  expect(mapping.stats()).toMatchObject({ readErrors: 1, recordsRead: 1 });
  expect(mapping.stats().lastError).toMatch(/ProvisionedThroughputExceededException/);
  expect(errors[0]?.name).toBe('StreamSourceError');
});

test('lag() counts records read and not yet checkpointed, with the age of the oldest', async () => {
  const stream = new MemoryStream([SHARD]);
  stream.put(SHARD, { partitionKey: 'k', data: 'a', arrivalMs: Date.now() - 5_000 });
  stream.put(SHARD, { partitionKey: 'k', data: 'b' });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const { handler } = scriptedHandler(() => gate);

  const { mapping } = await startMemoryMapping({ stream, handler });
  const lag = await waitFor(() => {
    const current = mapping.lag();
    return current.pendingRecords === 2 ? current : undefined;
  }, 'two pending records');
  release();
  await waitFor(() => mapping.lag().pendingRecords === 0, 'nothing pending');
  await mapping.stop();

  expect(lag.oldestPendingAgeMs).toBeGreaterThanOrEqual(5_000);
  expect(mapping.lag()).toEqual({
    pendingRecords: 0,
    oldestPendingAgeMs: undefined,
    millisBehindLatest: undefined,
  });
});

test('a shard runner that breaks stops all its loops and is restarted from its checkpoint', async () => {
  const stream = new MemoryStream([SHARD]);
  const first = stream.put(SHARD, { partitionKey: 'k', data: 'a' });
  let broken = false;
  // The clock is read before each invocation: one throw breaks the lane mid-batch.
  const clock = () => {
    if (broken) {
      broken = false;
      throw new Error('clock fault');
    }
    return Date.now();
  };
  const { handler, invocations } = scriptedHandler();
  const { mapping, errors } = await startMemoryMapping({ stream, handler, clock });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === first.sequenceNumber,
    'first checkpoint',
  );

  broken = true;
  const second = stream.put(SHARD, { partitionKey: 'k', data: 'b' });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === second.sequenceNumber,
    'checkpoint after restart',
  );
  // The broken runner's reader must be idle while its replacement keeps polling.
  const [brokenReader, newReader] = stream.readers;
  if (brokenReader === undefined || newReader === undefined)
    throw new Error('expected two readers');
  const brokenReads = brokenReader.reads;
  const newReads = newReader.reads;
  await waitFor(() => newReader.reads >= newReads + 5, 'the new reader to poll on');
  await mapping.stop();

  expect(stream.readers).toHaveLength(2);
  expect(brokenReader.reads).toBe(brokenReads);
  expect(invocations.flatMap((i) => i.data)).toEqual(['a', 'b']);
  expect(errors.map((e) => [e.name, (e.cause as Error).message])).toEqual([
    ['StreamSourceError', 'clock fault'],
  ]);
});
