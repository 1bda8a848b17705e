// A handler whose promise has not settled by the function timeout has failed: the batch is
// retried, and a late answer of the abandoned invocation changes nothing.
import { MemoryFailureDestination } from './test-support/memory-failure-destination';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('an invocation past the function timeout fails and is retried', async () => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const record = stream.put(SHARD, { partitionKey: 'k', data: 'slow' });
  let releaseFirst: (value: unknown) => void = () => undefined;
  const { handler, invocations } = scriptedHandler((invocation) =>
    invocation.index === 0 ? new Promise((resolve) => (releaseFirst = resolve)) : undefined,
  );

  // Act
  const { mapping } = await startMemoryMapping({ stream, handler, timeoutMs: 60 });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === record.sequenceNumber,
    'checkpoint after the retry',
  );
  releaseFirst({ batchItemFailures: [] });
  await mapping.stop();

  // Assess
  expect(invocations).toHaveLength(2);
  expect(mapping.stats()).toMatchObject({ timeouts: 1, retries: 1, recordsSucceeded: 1 });
  // The context counts down from the function timeout, like Lambda's.
  expect(invocations[0]?.remainingAtStartMs).toBeLessThanOrEqual(60);
  expect(invocations[0]?.remainingAtStartMs).toBeGreaterThan(0);
  expect(invocations[0]?.context).toMatchObject({
    functionName: 'memory-consumer',
    functionVersion: '$LATEST',
    memoryLimitInMB: '512',
  });
  expect(invocations[0]?.context.awsRequestId).not.toBe(invocations[1]?.context.awsRequestId);
});

test('a timed-out batch that exhausts its retries reaches the destination as an unhandled error', async () => {
  const stream = new MemoryStream([SHARD]);
  stream.put(SHARD, { partitionKey: 'k', data: 'never' });
  const destination = new MemoryFailureDestination();
  const { handler } = scriptedHandler(() => new Promise(() => undefined));

  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    destination,
    timeoutMs: 20,
    settings: { MaximumRetryAttempts: 0 },
  });
  await waitFor(() => destination.received.length === 1, 'the on-failure record');
  await mapping.stop();

  expect(destination.received[0]).toMatchObject({
    requestContext: { condition: 'RetryAttemptsExhausted', approximateInvokeCount: 1 },
    responseContext: { functionError: 'Unhandled' },
  });
});
