// MaximumRecordAgeInSeconds: records older than the maximum age are split off to the
// destination before invoking; the fresh records of the same batch are still delivered.
import { MemoryFailureDestination } from './test-support/memory-failure-destination';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import {
  MEMORY_FUNCTION_ARN,
  startMemoryMapping,
  stopStartedMappings,
} from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('old records go to the destination with RecordAgeExceeded; fresh ones of the same batch are delivered', async () => {
  // Prepare
  const now = Date.now();
  const stream = new MemoryStream([SHARD]);
  const old = [
    stream.put(SHARD, { partitionKey: 'a', data: 'old1', arrivalMs: now - 120_000 }),
    stream.put(SHARD, { partitionKey: 'b', data: 'old2', arrivalMs: now - 61_000 }),
  ];
  const fresh = stream.put(SHARD, { partitionKey: 'a', data: 'fresh', arrivalMs: now - 1_000 });
  const destination = new MemoryFailureDestination();
  const { handler, invocations } = scriptedHandler();

  // Act
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    destination,
    settings: { MaximumRecordAgeInSeconds: 60 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === fresh.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  // Assess
  expect(invocations.map((i) => i.data)).toEqual([['fresh']]);
  expect(destination.received).toHaveLength(1);
  const document = destination.received[0];
  expect(document).toMatchObject({
    requestContext: {
      functionArn: MEMORY_FUNCTION_ARN,
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 0,
    },
    version: '1.0',
    KinesisBatchInfo: {
      shardId: SHARD,
      startSequenceNumber: old[0]?.sequenceNumber,
      endSequenceNumber: old[1]?.sequenceNumber,
      batchSize: 2,
    },
  });
  // Never invoked: Lambda has no response to report.
  expect(document).not.toHaveProperty('responseContext');
  expect(document?.payload.Records).toEqual(old.map((r) => r.eventRecord));
  expect(mapping.stats()).toMatchObject({ recordsAgedOut: 2, recordsSucceeded: 1 });
});

test('records that age out while their batch is retried leave with the last response of their invocations', async () => {
  // A clock the test moves forward: the record is fresh at the first attempt, old at the second.
  let offsetMs = 0;
  const clock = () => Date.now() + offsetMs;
  const stream = new MemoryStream([SHARD]);
  const record = stream.put(SHARD, { partitionKey: 'a', data: 'stuck' });
  const destination = new MemoryFailureDestination();
  const { handler, invocations } = scriptedHandler(() => {
    offsetMs = 120_000;
    throw new Error('transient');
  });

  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    destination,
    clock,
    settings: { MaximumRecordAgeInSeconds: 60 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === record.sequenceNumber,
    'checkpoint past the record',
  );
  await mapping.stop();

  expect(invocations).toHaveLength(1);
  expect(destination.received[0]).toMatchObject({
    requestContext: {
      requestId: invocations[0]?.context.awsRequestId,
      condition: 'RecordAgeExceeded',
      approximateInvokeCount: 1,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  });
});

test('without a destination, records that run out of age or retries are discarded and counted', async () => {
  const stream = new MemoryStream([SHARD]);
  const record = stream.put(SHARD, {
    partitionKey: 'a',
    data: 'old',
    arrivalMs: Date.now() - 3_600_000,
  });
  const { handler, invocations } = scriptedHandler();

  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { MaximumRecordAgeInSeconds: 60 },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === record.sequenceNumber,
    'checkpoint past the record',
  );
  await mapping.stop();

  expect(invocations).toHaveLength(0);
  expect(mapping.stats()).toMatchObject({ recordsDiscarded: 1, recordsToDestination: 0 });
});
