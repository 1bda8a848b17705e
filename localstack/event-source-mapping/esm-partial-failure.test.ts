// ReportBatchItemFailures: Lambda checkpoints at the lowest failed sequence number and re-sends
// everything after it; the records before it are not delivered again.
import { MemoryFailureDestination } from './test-support/memory-failure-destination';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('re-sends from the lowest failed record on, and checkpoints before it', async () => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const records = ['r0', 'r1', 'r2', 'r3', 'r4'].map((data) =>
    stream.put(SHARD, { partitionKey: 'k', data }),
  );
  const seq = records.map((r) => r.sequenceNumber);
  const { handler, invocations } = scriptedHandler((invocation) =>
    invocation.index === 0
      ? { batchItemFailures: [{ itemIdentifier: seq[3] }, { itemIdentifier: seq[2] }] }
      : { batchItemFailures: [] },
  );

  // Act
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { FunctionResponseTypes: ['ReportBatchItemFailures'], BatchSize: 10 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === seq[4],
    'checkpoint at the last record',
  );
  await mapping.stop();

  // Assess
  expect(invocations.map((i) => i.data)).toEqual([
    ['r0', 'r1', 'r2', 'r3', 'r4'],
    ['r2', 'r3', 'r4'],
  ]);
  expect(mapping.stats()).toMatchObject({ partialFailures: 1, retries: 1, recordsSucceeded: 5 });
});

test('a partial failure consumes a retry; when retries run out only the failed tail goes to the destination', async () => {
  const stream = new MemoryStream([SHARD]);
  const records = ['r0', 'r1', 'r2'].map((data) => stream.put(SHARD, { partitionKey: 'k', data }));
  const { handler, invocations } = scriptedHandler(() => ({
    batchItemFailures: [{ itemIdentifier: records[1]?.sequenceNumber }],
  }));
  const destination = new MemoryFailureDestination();

  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    destination,
    settings: { FunctionResponseTypes: ['ReportBatchItemFailures'], MaximumRetryAttempts: 1 },
  });
  await waitFor(() => destination.received.length === 1, 'the on-failure record');
  await mapping.stop();

  expect(invocations.map((i) => i.data)).toEqual([
    ['r0', 'r1', 'r2'],
    ['r1', 'r2'],
  ]);
  expect(destination.received[0]?.KinesisBatchInfo).toMatchObject({
    startSequenceNumber: records[1]?.sequenceNumber,
    endSequenceNumber: records[2]?.sequenceNumber,
    batchSize: 2,
  });
  // The function answered normally: no functionError in the response context.
  expect(destination.received[0]?.responseContext).toEqual({
    statusCode: 200,
    executedVersion: '$LATEST',
  });
});
