/**
 * Stale checkpoint files go at start: files of mappings that no longer run (their stream was
 * created anew, so their id will never be loaded again) and temp files of writes a crashed
 * process left; the live mappings' files and anything the store did not write stay.
 */
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileCheckpointStore } from './file-checkpoint-store';
import { removeStaleCheckpoints } from './stale-checkpoints';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'esm-stale-'));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function savedMapping(directory: string, mappingId: string): Promise<void> {
  const store = new FileCheckpointStore(directory);
  await store.saveCreated(mappingId, 1);
  await store.saveShard(mappingId, 'shardId-000000000000', { sequenceNumber: '42', ended: false });
}

test('removes the files of mappings that no longer run, per directory, and nothing else', async () => {
  const consumer = join(root, 'esm');
  const processor = join(root, 'esm-processor');
  for (const id of ['old-incarnation-1', 'old-incarnation-2', 'live-consumer']) {
    await savedMapping(consumer, id);
  }
  for (const id of ['live-sessions', 'live-active', 'old-sessions']) {
    await savedMapping(processor, id);
  }
  await writeFile(join(consumer, 'live-consumer.json.999999999.tmp'), '{"half":');
  await writeFile(join(consumer, 'notes.txt'), 'mine');

  const removed = await removeStaleCheckpoints([
    { directory: consumer, mappings: [{ mappingId: 'live-consumer' }] },
    {
      directory: processor,
      mappings: [{ mappingId: 'live-sessions' }, { mappingId: 'live-active' }],
    },
    { directory: join(root, 'never-created'), mappings: [] },
  ]);

  expect((await readdir(consumer)).sort()).toEqual(['live-consumer.json', 'notes.txt']);
  expect((await readdir(processor)).sort()).toEqual(['live-active.json', 'live-sessions.json']);
  expect(removed).toHaveLength(4);
  // The live mapping still resumes from its checkpoint.
  expect(await new FileCheckpointStore(consumer).load('live-consumer')).toMatchObject({
    shards: { 'shardId-000000000000': { sequenceNumber: '42' } },
  });
});
