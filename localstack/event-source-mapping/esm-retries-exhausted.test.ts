// A batch whose handler keeps throwing is retried MaximumRetryAttempts times, then goes to the
// on-failure destination with Lambda's metadata document and the records; the shard moves on.
import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import { MemoryFailureDestination } from './test-support/memory-failure-destination';
import { MEMORY_STREAM_ARN, MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import {
  MEMORY_FUNCTION_ARN,
  startMemoryMapping,
  stopStartedMappings,
} from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('retries a throwing batch MaximumRetryAttempts times, then writes it to the destination and moves on', async () => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const poison = [
    stream.put(SHARD, { partitionKey: 'a', data: 'p1' }),
    stream.put(SHARD, { partitionKey: 'b', data: 'p2' }),
  ];
  const destination = new MemoryFailureDestination();
  const { handler, invocations } = scriptedHandler((invocation) => {
    if (invocation.data.includes('p1')) throw new Error('poison');
    return undefined;
  });

  // Act
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    destination,
    settings: { MaximumRetryAttempts: 2, BatchSize: 10 },
  });
  await waitFor(() => destination.received.length === 1, 'the on-failure record');
  const after = stream.put(SHARD, { partitionKey: 'a', data: 'after' });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === after.sequenceNumber,
    'checkpoint past the later record',
  );
  await mapping.stop();

  // Assess
  const failing = invocations.filter((i) => i.data.includes('p1'));
  expect(failing).toHaveLength(3); // the first attempt and two retries
  expect(
    failing.every((i) => i.sequenceNumbers.join() === poison.map((r) => r.sequenceNumber).join()),
  ).toBe(true);
  const record = destination.received[0];
  expect(record).toMatchObject({
    requestContext: {
      requestId: failing[2]?.context.awsRequestId,
      functionArn: MEMORY_FUNCTION_ARN,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 3,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    KinesisBatchInfo: {
      shardId: SHARD,
      startSequenceNumber: poison[0]?.sequenceNumber,
      endSequenceNumber: poison[1]?.sequenceNumber,
      approximateArrivalOfFirstRecord: new Date(poison[0]?.arrivalMs ?? 0).toISOString(),
      approximateArrivalOfLastRecord: new Date(poison[1]?.arrivalMs ?? 0).toISOString(),
      batchSize: 2,
      streamArn: MEMORY_STREAM_ARN,
    },
  });
  expect(Number.isNaN(Date.parse(record?.timestamp ?? ''))).toBe(false);
  expect(record?.payload.Records).toEqual(poison.map((r) => r.eventRecord));
  expect(KinesisDataStreamSchema.safeParse(record?.payload).success).toBe(true);
  expect(invocations.at(-1)?.data).toEqual(['after']);
  expect(mapping.stats()).toMatchObject({ retries: 2, functionErrors: 3, recordsToDestination: 2 });
});
