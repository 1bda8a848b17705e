// StartingPosition: TRIM_HORIZON reads everything, LATEST only what arrives after start,
// AT_TIMESTAMP from a moment; after a restart LATEST resumes from the mapping's creation.
import { MemoryCheckpointStore } from './memory-checkpoint-store';
import { MemoryStream } from './test-support/memory-stream';
import { scriptedHandler } from './test-support/scripted-handler';
import { startMemoryMapping, stopStartedMappings } from './test-support/start-memory-mapping';
import { waitFor } from '../testing/wait-for';

afterEach(stopStartedMappings);

const SHARD = 'shardId-000000000000';

test('TRIM_HORIZON delivers the records already in the stream', async () => {
  const stream = new MemoryStream([SHARD]);
  stream.put(SHARD, { partitionKey: 'k', data: 'before' });
  const { handler, invocations } = scriptedHandler();
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { StartingPosition: 'TRIM_HORIZON' },
  });
  await waitFor(() => invocations.length === 1, 'delivery');
  await mapping.stop();
  expect(invocations[0]?.data).toEqual(['before']);
});

test('LATEST skips what was there before start, delivers what arrives after it', async () => {
  const stream = new MemoryStream([SHARD]);
  stream.put(SHARD, { partitionKey: 'k', data: 'before' });
  const { handler, invocations } = scriptedHandler();
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { StartingPosition: 'LATEST' },
  });
  stream.put(SHARD, { partitionKey: 'k', data: 'after' });
  await waitFor(() => invocations.length === 1, 'delivery');
  await mapping.stop();
  expect(invocations.flatMap((i) => i.data)).toEqual(['after']);
});

test('AT_TIMESTAMP starts at the first record that arrived at or after the timestamp', async () => {
  const stream = new MemoryStream([SHARD]);
  stream.put(SHARD, { partitionKey: 'k', data: 'old', arrivalMs: 1_000_000 });
  stream.put(SHARD, { partitionKey: 'k', data: 'new', arrivalMs: 2_000_000 });
  const { handler, invocations } = scriptedHandler();
  const { mapping } = await startMemoryMapping({
    stream,
    handler,
    settings: { StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1500 },
  });
  await waitFor(() => invocations.length === 1, 'delivery');
  await mapping.stop();
  expect(invocations.flatMap((i) => i.data)).toEqual(['new']);
});

test('LATEST after a restart does not skip what arrived while the runner was down', async () => {
  const stream = new MemoryStream([SHARD]);
  const store = new MemoryCheckpointStore();
  const settings = { StartingPosition: 'LATEST' as const };
  const run1 = await startMemoryMapping({
    stream,
    handler: scriptedHandler().handler,
    checkpointStore: store,
    settings,
  });
  await run1.mapping.stop(); // stopped before any record: no shard checkpoint yet

  stream.put(SHARD, { partitionKey: 'k', data: 'while-down' });
  const { handler, invocations } = scriptedHandler();
  const run2 = await startMemoryMapping({ stream, handler, checkpointStore: store, settings });
  await waitFor(() => invocations.length === 1, 'delivery');
  await run2.mapping.stop();
  expect(invocations.flatMap((i) => i.data)).toEqual(['while-down']);
});
