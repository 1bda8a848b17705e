// Checkpoints are kept in the store, so a restarted mapping resumes after the last acknowledged
// record: acknowledged records are not delivered again, unacknowledged ones are.
import { MemoryCheckpointStore } from './memory-checkpoint-store';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('a restart resumes after the last checkpoint', async () => {
  // Prepare
  const stream = new MemoryStream([SHARD]);
  const store = new MemoryCheckpointStore();
  const first = ['a1', 'a2'].map((data) => stream.put(SHARD, { partitionKey: 'k', data }));
  const firstRun = scriptedHandler();
  const run1 = await startMemoryMapping({
    stream,
    handler: firstRun.handler,
    checkpointStore: store,
  });
  await waitFor(
    () => run1.mapping.stats().shards[SHARD]?.checkpoint === first[1]?.sequenceNumber,
    'first checkpoint',
  );
  await run1.mapping.stop();

  // Act
  stream.put(SHARD, { partitionKey: 'k', data: 'b1' });
  const secondRun = scriptedHandler();
  const run2 = await startMemoryMapping({
    stream,
    handler: secondRun.handler,
    checkpointStore: store,
  });
  await waitFor(() => secondRun.invocations.length > 0, 'delivery after restart');
  await run2.mapping.stop();

  // Assess
  expect(firstRun.invocations.flatMap((i) => i.data)).toEqual(['a1', 'a2']);
  expect(secondRun.invocations.flatMap((i) => i.data)).toEqual(['b1']);
  expect(await store.load('memory-mapping')).toMatchObject({
    shards: { [SHARD]: { sequenceNumber: expect.any(String), ended: false } },
  });
});

test('records not acknowledged when the mapping stopped are delivered again after the restart', async () => {
  const stream = new MemoryStream([SHARD]);
  const store = new MemoryCheckpointStore();
  const record = stream.put(SHARD, { partitionKey: 'k', data: 'x' });
  const failing = scriptedHandler(() => {
    throw new Error('down');
  });
  const run1 = await startMemoryMapping({
    stream,
    handler: failing.handler,
    checkpointStore: store,
  });
  await waitFor(() => failing.invocations.length >= 2, 'a retry');
  await run1.mapping.stop();
  const attemptsBeforeStop = failing.invocations.length;

  const healthy = scriptedHandler();
  const run2 = await startMemoryMapping({
    stream,
    handler: healthy.handler,
    checkpointStore: store,
  });
  await waitFor(
    () => run2.mapping.stats().shards[SHARD]?.checkpoint === record.sequenceNumber,
    'checkpoint',
  );
  await run2.mapping.stop();

  expect(failing.invocations).toHaveLength(attemptsBeforeStop); // nothing ran after stop()
  expect(healthy.invocations.flatMap((i) => i.data)).toEqual(['x']);
});
