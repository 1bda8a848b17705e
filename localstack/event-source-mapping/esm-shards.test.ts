// Several shards run independently; after a split, the children start only once the parent is
// fully processed (from their TRIM_HORIZON), so a key's records stay in order across the split.
import { MemoryCheckpointStore } from './memory-checkpoint-store';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

test('each shard is processed, and a failing shard does not block the others', async () => {
  const stream = new MemoryStream(['shard-a', 'shard-b']);
  stream.put('shard-a', { partitionKey: 'k', data: 'a-poison' });
  const b = stream.put('shard-b', { partitionKey: 'k', data: 'b1' });
  const { handler, invocations } = scriptedHandler((invocation) => {
    if (invocation.data.includes('a-poison')) throw new Error('blocked');
  });

  const { mapping } = await startMemoryMapping({ stream, handler });
  await waitFor(
    () => mapping.stats().shards['shard-b']?.checkpoint === b.sequenceNumber,
    'shard-b checkpoint',
  );
  await mapping.stop();

  expect(invocations.some((i) => i.data.includes('b1'))).toBe(true);
  expect(invocations[0]?.event.Records[0]?.eventID.startsWith('shard-')).toBe(true);
  expect(mapping.stats().shards['shard-a']?.checkpoint).toBeUndefined();
});

test('children of a split shard start after the parent is done, at their TRIM_HORIZON', async () => {
  // Prepare
  const stream = new MemoryStream(['parent']);
  const store = new MemoryCheckpointStore();
  let releaseParent: () => void = () => undefined;
  const parentGate = new Promise<void>((resolve) => (releaseParent = resolve));
  const { handler, invocations } = scriptedHandler(async (invocation) => {
    if (invocation.data.includes('p2')) await parentGate;
  });
  stream.put('parent', { partitionKey: 'k', data: 'p1' });
  stream.put('parent', { partitionKey: 'k', data: 'p2' });

  // Act: split while the parent's second record is still being processed.
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    checkpointStore: store,
    settings: { BatchSize: 1 },
  });
  await waitFor(() => invocations.some((i) => i.data.includes('p2')), 'the parent blocked on p2');
  stream.split('parent', ['child-1', 'child-2']);
  const c1 = stream.put('child-1', { partitionKey: 'k', data: 'c1' });
  const c2 = stream.put('child-2', { partitionKey: 'j', data: 'c2' });
  const listingsAtSplit = stream.listings;
  await waitFor(
    () => stream.listings >= listingsAtSplit + 3,
    'shard discovery to see the children',
  );
  const deliveredBeforeRelease = invocations.flatMap((i) => i.data);
  releaseParent();
  await waitFor(
    () =>
      mapping.stats().shards['child-1']?.checkpoint === c1.sequenceNumber &&
      mapping.stats().shards['child-2']?.checkpoint === c2.sequenceNumber,
    'both children checkpointed',
  );
  await mapping.stop();

  // Assess
  expect(deliveredBeforeRelease).toEqual(['p1', 'p2']);
  expect(invocations.flatMap((i) => i.data).slice(0, 2)).toEqual(['p1', 'p2']);
  expect(invocations.flatMap((i) => i.data).sort()).toEqual(['c1', 'c2', 'p1', 'p2']);
  expect(mapping.stats().shards['parent']).toMatchObject({ ended: true });
  expect((await store.load('memory-mapping'))?.shards['parent']).toMatchObject({ ended: true });
});

test('an ended shard is not read again after a restart', async () => {
  const stream = new MemoryStream(['closed']);
  const store = new MemoryCheckpointStore();
  stream.put('closed', { partitionKey: 'k', data: 'only' });
  stream.close('closed');
  const first = scriptedHandler();
  const run1 = await startMemoryMapping({ stream, handler: first.handler, checkpointStore: store });
  await waitFor(() => run1.mapping.stats().shards['closed']?.ended === true, 'shard ended');
  await run1.mapping.stop();

  const readsBefore = stream.reads;
  const second = scriptedHandler();
  const run2 = await startMemoryMapping({
    stream,
    handler: second.handler,
    checkpointStore: store,
  });
  await run2.mapping.stop();

  expect(first.invocations.flatMap((i) => i.data)).toEqual(['only']);
  expect(second.invocations).toHaveLength(0);
  expect(stream.reads).toBe(readsBefore);
});
