// At start, the checkpoints of shards the stream no longer lists (trimmed after its retention)
// are dropped from the store, so a long-lived data dir does not keep them forever; the parent of
// a listed child stays, because it tells the child to start at the beginning of its shard.
import { MemoryCheckpointStore } from './memory-checkpoint-store';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';

afterEach(stopStartedMappings);

const TRIMMED = 'shardId-000000000001';
const PARENT = 'shardId-000000000002';
const LIVE = 'shardId-000000000003';
const CHILD = 'shardId-000000000004';
const OTHER_CHILD = 'shardId-000000000005';

test('a restart forgets the checkpoints of vanished shards, keeps listed ones and parents', async () => {
  // Prepare: an earlier run's checkpoints; since then TRIMMED went away entirely, and PARENT
  // was split and is no longer listed itself while its children are.
  const store = new MemoryCheckpointStore();
  await store.saveCreated('memory-mapping', 1);
  await store.saveShard('memory-mapping', TRIMMED, { sequenceNumber: '100', ended: true });
  await store.saveShard('memory-mapping', PARENT, { sequenceNumber: '200', ended: true });
  await store.saveShard('memory-mapping', LIVE, { sequenceNumber: '300', ended: false });
  const stream = new MemoryStream([TRIMMED, PARENT, LIVE]);
  stream.split(PARENT, [CHILD, OTHER_CHILD]);
  stream.trim(TRIMMED);
  stream.trim(PARENT);

  // Act
  const run = await startMemoryMapping({
    stream,
    handler: scriptedHandler().handler,
    checkpointStore: store,
  });
  const shards = (await store.load('memory-mapping'))?.shards ?? {};
  await run.mapping.stop();

  // Assess
  expect(Object.keys(shards)).not.toContain(TRIMMED);
  expect(shards[PARENT]).toEqual({ sequenceNumber: '200', ended: true });
  expect(shards[LIVE]).toEqual({ sequenceNumber: '300', ended: false });
  expect(run.errors).toEqual([]);
});
