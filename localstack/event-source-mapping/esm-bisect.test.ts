// BisectBatchOnFunctionError isolates a poison record: halves that succeed are acknowledged,
// the poison record alone uses up its retries and goes to the destination; splitting itself
// consumes no retries.
import { MemoryFailureDestination } from './test-support/memory-failure-destination';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('bisection isolates a poison record without consuming retries', async () => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const records = Array.from({ length: 8 }, (_, i) =>
    stream.put(SHARD, { partitionKey: `k${i}`, data: i === 5 ? 'poison' : `ok${i}` }),
  );
  const destination = new MemoryFailureDestination();
  const { handler, invocations } = scriptedHandler((invocation) => {
    if (invocation.data.includes('poison')) throw new Error('cannot parse');
  });

  // Act
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    destination,
    settings: { BisectBatchOnFunctionError: true, MaximumRetryAttempts: 1, BatchSize: 8 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === records[7]?.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  // Assess: 8 → [0-3 ok] [4-7 fail] → [4,5 fail] [6,7 ok] → [4 ok] [5 fail, retried once] → destination
  expect(invocations.map((i) => i.data.length)).toEqual([8, 4, 4, 2, 1, 1, 1, 2]);
  expect(destination.received).toHaveLength(1);
  expect(destination.received[0]).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 5 },
    KinesisBatchInfo: {
      startSequenceNumber: records[5]?.sequenceNumber,
      endSequenceNumber: records[5]?.sequenceNumber,
      batchSize: 1,
    },
  });
  const succeeded = new Set(
    invocations.filter((i) => !i.data.includes('poison')).flatMap((i) => i.data),
  );
  expect([...succeeded].sort()).toEqual(['ok0', 'ok1', 'ok2', 'ok3', 'ok4', 'ok6', 'ok7']);
  expect(mapping.stats()).toMatchObject({ retries: 1, bisects: 3, recordsToDestination: 1 });
});

test('with bisect, a partial failure splits at the returned sequence number without consuming a retry', async () => {
  const stream = new MemoryStream([SHARD]);
  const records = ['r0', 'r1', 'r2', 'r3'].map((data) =>
    stream.put(SHARD, { partitionKey: 'k', data }),
  );
  const { handler, invocations } = scriptedHandler((invocation) =>
    invocation.index === 0
      ? { batchItemFailures: [{ itemIdentifier: records[2]?.sequenceNumber }] }
      : undefined,
  );

  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: {
      BisectBatchOnFunctionError: true,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      MaximumRetryAttempts: 0,
    },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === records[3]?.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  // MaximumRetryAttempts 0, yet the tail is re-sent: the split is not a retry.
  expect(invocations.map((i) => i.data)).toEqual([
    ['r0', 'r1', 'r2', 'r3'],
    ['r2', 'r3'],
  ]);
  expect(mapping.stats()).toMatchObject({
    retries: 0,
    bisects: 1,
    recordsToDestination: 0,
    recordsDiscarded: 0,
  });
});
