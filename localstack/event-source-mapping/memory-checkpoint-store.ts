// Checkpoints in memory: for tests and throwaway runs. It survives a stop()/start() in one
// process (a "restart" in unit tests), not a process restart — use the file store for that.
import type { CheckpointStore, MappingCheckpoints, ShardCheckpoint } from './ports';

export class MemoryCheckpointStore implements CheckpointStore {
  private readonly mappings = new Map<
    string,
    { createdAtMs: number; shards: Record<string, ShardCheckpoint> }
  >();

  async load(mappingId: string): Promise<MappingCheckpoints | undefined> {
    const mapping = this.mappings.get(mappingId);
    return mapping === undefined
      ? undefined
      : { createdAtMs: mapping.createdAtMs, shards: { ...mapping.shards } };
  }

  async saveCreated(mappingId: string, createdAtMs: number): Promise<void> {
    this.mappings.set(mappingId, {
      createdAtMs,
      shards: this.mappings.get(mappingId)?.shards ?? {},
    });
  }

  async saveShard(mappingId: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void> {
    const mapping = this.mappings.get(mappingId) ?? { createdAtMs: Date.now(), shards: {} };
    mapping.shards[shardId] = checkpoint;
    this.mappings.set(mappingId, mapping);
  }

  async forgetShards(mappingId: string, shardIds: readonly string[]): Promise<void> {
    const mapping = this.mappings.get(mappingId);
    if (mapping === undefined) return;
    for (const shardId of shardIds) Reflect.deleteProperty(mapping.shards, shardId);
  }
}
