/**
 * The file checkpoint store on the real filesystem: what one process saves, the next one loads;
 * writes are ordered and atomic; a file that is not a checkpoint document is refused by name.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CheckpointStoreError } from './errors';
import { FileCheckpointStore } from './file-checkpoint-store';

let directory: string;
beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'esm-checkpoints-'));
});
afterEach(() => rm(directory, { recursive: true, force: true }));

test('a new store instance (a restarted process) loads what the previous one saved', async () => {
  const before = new FileCheckpointStore(join(directory, 'nested'));
  await before.saveCreated('mapping-1', 1234);
  await Promise.all([
    before.saveShard('mapping-1', 'shardId-0', { sequenceNumber: '100', ended: false }),
    before.saveShard('mapping-1', 'shardId-1', { ended: true }),
    before.saveShard('mapping-1', 'shardId-0', { sequenceNumber: '200', ended: false }),
  ]);

  const after = new FileCheckpointStore(join(directory, 'nested'));
  expect(await after.load('mapping-1')).toEqual({
    createdAtMs: 1234,
    shards: { 'shardId-0': { sequenceNumber: '200', ended: false }, 'shardId-1': { ended: true } },
  });
  expect(await after.load('mapping-2')).toBeUndefined();
  expect(await readdir(join(directory, 'nested'))).toEqual(['mapping-1.json']); // no temp file left
});

test('refuses a file that is not a checkpoint document of that mapping, naming the file', async () => {
  await writeFile(join(directory, 'broken.json'), '{"version":1,"shards":"nope"}');
  await writeFile(join(directory, 'garbage.json'), 'not json');
  const store = new FileCheckpointStore(directory);

  await expect(store.load('broken')).rejects.toThrow(CheckpointStoreError);
  await expect(store.load('broken')).rejects.toThrow(join(directory, 'broken.json'));
  await expect(store.load('garbage')).rejects.toThrow(/are not JSON/);
});

test('refuses a mapping id that cannot name a file', async () => {
  const store = new FileCheckpointStore(directory);
  await expect(store.saveCreated('../escape', 1)).rejects.toThrow(/cannot name a file/);
});

test('a failed write is reported to its caller and does not block the next one', async () => {
  const stateDir = join(directory, 'state');
  await writeFile(stateDir, ''); // a file where the directory should be: writes fail
  const store = new FileCheckpointStore(stateDir);
  const failing = store.saveCreated('m', 1);
  await expect(failing).rejects.toThrow(CheckpointStoreError);

  await rm(stateDir);
  await store.saveShard('m', 'shardId-0', { sequenceNumber: '7', ended: false });
  expect(JSON.parse(await readFile(join(stateDir, 'm.json'), 'utf8'))).toMatchObject({
    mappingId: 'm',
    shards: { 'shardId-0': { sequenceNumber: '7', ended: false } },
  });
});

test('forgets the checkpoints of shards that vanished, keeping the others on disk', async () => {
  const store = new FileCheckpointStore(directory);
  await store.saveCreated('m', 1);
  await store.saveShard('m', 'shardId-0', { sequenceNumber: '1', ended: true });
  await store.saveShard('m', 'shardId-1', { sequenceNumber: '2', ended: false });

  await store.forgetShards('m', ['shardId-0', 'shardId-never-saved']);

  expect(await new FileCheckpointStore(directory).load('m')).toEqual({
    createdAtMs: 1,
    shards: { 'shardId-1': { sequenceNumber: '2', ended: false } },
  });
});
