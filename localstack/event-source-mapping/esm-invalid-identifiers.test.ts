// An itemIdentifier that is empty, null, under the wrong key or not in the batch fails the whole
// batch: Lambda re-sends every record, including those before the named one.
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test.each([
  ['empty', { batchItemFailures: [{ itemIdentifier: '' }] }],
  ['null', { batchItemFailures: [{ itemIdentifier: null }] }],
  ['under the wrong key', { batchItemFailures: [{ sequenceNumber: 'SEQ1' }] }],
  ['not in the batch', { batchItemFailures: [{ itemIdentifier: '1' }] }],
])('an itemIdentifier %s re-sends the whole batch', async (_name, response) => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const records = ['r0', 'r1', 'r2'].map((data) => stream.put(SHARD, { partitionKey: 'k', data }));
  const answer = JSON.parse(
    JSON.stringify(response).replace('SEQ1', records[1]?.sequenceNumber ?? ''),
  ) as unknown;
  const { handler, invocations } = scriptedHandler((invocation) =>
    invocation.index === 0 ? answer : undefined,
  );

  // Act
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { FunctionResponseTypes: ['ReportBatchItemFailures'] },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === records[2]?.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  // Assess
  expect(invocations.map((i) => i.data)).toEqual([
    ['r0', 'r1', 'r2'],
    ['r0', 'r1', 'r2'],
  ]);
  expect(mapping.stats()).toMatchObject({ invalidResponses: 1, partialFailures: 0, retries: 1 });
});

test.each([
  ['""', ''],
  ['[]', []],
  ['null', null],
  ['{}', {}],
  ['{batchItemFailures: []}', { batchItemFailures: [] }],
  ['{batchItemFailures: null}', { batchItemFailures: null }],
])('%s acknowledges the whole batch', async (_name, response) => {
  const stream = new MemoryStream([SHARD]);
  const records = ['r0', 'r1'].map((data) => stream.put(SHARD, { partitionKey: 'k', data }));
  const { handler, invocations } = scriptedHandler(() => response);

  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { FunctionResponseTypes: ['ReportBatchItemFailures'] },
  });
  await waitFor(
    () => mapping.stats().shards[SHARD]?.checkpoint === records[1]?.sequenceNumber,
    'checkpoint at the end',
  );
  await mapping.stop();

  expect(invocations).toHaveLength(1);
  expect(mapping.stats()).toMatchObject({ invalidResponses: 0, retries: 0, recordsSucceeded: 2 });
});
