/**
 * Removes the checkpoint files (file-checkpoint-store.ts) of mappings that no longer run, once
 * the mappings of this start are running. A mapping id is derived from the function and the
 * stream's incarnation (index.ts), so a stream created anew — Kinesis in memory on every start,
 * a table deleted and created again — gets a new id, and the file of the old one is never read
 * again: without this, every `npm start` with LIVEINSIGHT_DATA_DIR left one more behind.
 *
 * Only what the file store writes is touched: `<mapping id>.json`, and the temp files of writes
 * that a crashed process never renamed (`<mapping id>.json.<pid>.tmp`). Anything else in the
 * directory is left alone; a missing directory means nothing to remove.
 */
import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { CheckpointStoreError } from './errors';

export interface CheckpointDirectory {
  readonly directory: string;
  /** The mappings that keep their checkpoints in `directory` and run now. */
  readonly mappings: readonly { readonly mappingId: string }[];
}

const CHECKPOINT_FILE = /^(?<id>[A-Za-z0-9._-]+)\.json$/;
const TEMP_FILE = /^(?<id>[A-Za-z0-9._-]+)\.json\.(?<pid>\d+)\.tmp$/;

/** Removes stale checkpoint files; answers the paths removed. */
export async function removeStaleCheckpoints(
  directories: readonly CheckpointDirectory[],
): Promise<readonly string[]> {
  const removed: string[] = [];
  for (const { directory, mappings } of directories) {
    const live = new Set(mappings.map((mapping) => mapping.mappingId));
    let names: string[];
    try {
      names = await readdir(directory);
    } catch (error) {
      if (typeof error === 'object' && error !== null && 'code' in error && error.code === 'ENOENT')
        continue;
      throw new CheckpointStoreError(`listing checkpoints in ${directory} failed`, directory, {
        cause: error,
      });
    }
    for (const name of names) {
      const temp = TEMP_FILE.exec(name)?.groups;
      const file = CHECKPOINT_FILE.exec(name)?.groups;
      // A temp file of this process may be a write in flight of a live mapping.
      const stale =
        temp !== undefined
          ? !live.has(temp['id'] ?? '') || temp['pid'] !== String(process.pid)
          : file !== undefined && !live.has(file['id'] ?? '');
      if (!stale) continue;
      const path = join(directory, name);
      try {
        await rm(path, { force: true });
      } catch (cause) {
        throw new CheckpointStoreError(`removing stale checkpoints ${path} failed`, path, {
          cause,
        });
      }
      removed.push(path);
    }
  }
  return removed;
}
