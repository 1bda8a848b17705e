// Checkpoints as one small JSON file per mapping under a state directory, written atomically
// (temp file + rename) and one write at a time per mapping, so a crash never leaves half a file
// and a restart resumes where the last run stopped.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { CheckpointStoreError } from './errors';
import type { CheckpointStore, MappingCheckpoints, ShardCheckpoint } from './ports';

const CheckpointFileSchema = Type.Object({
  version: Type.Literal(1),
  mappingId: Type.String(),
  createdAtMs: Type.Number(),
  shards: Type.Record(
    Type.String(),
    Type.Object({ sequenceNumber: Type.Optional(Type.String()), ended: Type.Boolean() }),
  ),
});
type CheckpointFile = Static<typeof CheckpointFileSchema>;

export class FileCheckpointStore implements CheckpointStore {
  private readonly files = new Map<string, CheckpointFile>();
  private readonly writes = new Map<string, Promise<void>>();

  constructor(private readonly directory: string) {}

  async load(mappingId: string): Promise<MappingCheckpoints | undefined> {
    const path = this.pathOf(mappingId);
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw new CheckpointStoreError(`reading checkpoints ${path} failed`, path, { cause: error });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      throw new CheckpointStoreError(`checkpoints ${path} are not JSON`, path, { cause: error });
    }
    const problem = Value.Errors(CheckpointFileSchema, parsed).First();
    if (problem !== undefined || (parsed as CheckpointFile).mappingId !== mappingId) {
      throw new CheckpointStoreError(
        `checkpoints ${path} are not a checkpoint file of mapping ${mappingId}: ${problem === undefined ? 'another mapping id' : `${problem.path} ${problem.message}`}`,
        path,
      );
    }
    const file = parsed as CheckpointFile; // checked by the schema just above
    this.files.set(mappingId, file);
    return { createdAtMs: file.createdAtMs, shards: { ...file.shards } };
  }

  saveCreated(mappingId: string, createdAtMs: number): Promise<void> {
    return this.update(mappingId, (file) => ({ ...file, createdAtMs }));
  }

  saveShard(mappingId: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    const entry =
      checkpoint.sequenceNumber === undefined
        ? { ended: checkpoint.ended }
        : { sequenceNumber: checkpoint.sequenceNumber, ended: checkpoint.ended };
    return this.update(mappingId, (file) => ({
      ...file,
      shards: { ...file.shards, [shardId]: entry },
    }));
  }

  forgetShards(mappingId: string, shardIds: readonly string[]): Promise<void> {
    const gone = new Set(shardIds);
    return this.update(mappingId, (file) => ({
      ...file,
      shards: Object.fromEntries(Object.entries(file.shards).filter(([id]) => !gone.has(id))),
    }));
  }

  private update(
    mappingId: string,
    change: (file: CheckpointFile) => CheckpointFile,
  ): Promise<void> {
    const previous = this.writes.get(mappingId) ?? Promise.resolve();
    const next = previous
      .catch(() => undefined) // a failed earlier write was reported to its own caller
      .then(async () => {
        const current = this.files.get(mappingId) ?? {
          version: 1 as const,
          mappingId,
          createdAtMs: Date.now(),
          shards: {},
        };
        const updated = change(current);
        await this.write(mappingId, updated);
        this.files.set(mappingId, updated);
      });
    this.writes.set(mappingId, next);
    return next;
  }

  private async write(mappingId: string, file: CheckpointFile): Promise<void> {
    const path = this.pathOf(mappingId);
    const temporary = `${path}.${process.pid}.tmp`;
    try {
      await mkdir(this.directory, { recursive: true });
      await writeFile(temporary, `${JSON.stringify(file, null, 2)}\n`);
      await rename(temporary, path);
    } catch (error) {
      throw new CheckpointStoreError(`writing checkpoints ${path} failed`, path, { cause: error });
    }
  }

  private pathOf(mappingId: string): string {
    if (!/^[A-Za-z0-9._-]+$/.test(mappingId)) {
      throw new CheckpointStoreError(
        `mapping id ${JSON.stringify(mappingId)} cannot name a file (expected letters, digits, ".", "_" or "-")`,
        this.directory,
      );
    }
    return join(this.directory, `${mappingId}.json`);
  }
}
