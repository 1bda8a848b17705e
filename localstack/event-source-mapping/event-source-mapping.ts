// The mapping core over the ports: finds shards, starts a runner per shard (children only after
// their parents are fully processed, which keeps per-key order across splits and merges),
// resumes from durable checkpoints, and stops cleanly. Knows nothing of Kinesis or DynamoDB.
import { setMaxListeners } from 'node:events';
import { Notifier } from './abortable-wait';
import { StreamSourceError } from './errors';
import { invokeHandler, type FunctionIdentity, type StreamHandler } from './invoke-handler';
import type {
  CheckpointStore,
  FailureDestination,
  ReadPosition,
  ShardCheckpoint,
  ShardDescription,
  StreamRecord,
  StreamSource,
} from './ports';
import type { ResolvedSettings } from './settings';
import { ShardRunner } from './shard-runner';
import { emptyCounters, type MappingLag, type MappingStats, type ShardStatus } from './stats';

export interface Timing {
  /** Wait after a read that found the shard caught up. Lambda: ~1000 (Kinesis), ~250 (DynamoDB). */
  readonly pollIntervalMs: number;
  /** How often the shard list is read again to find new (child) shards. */
  readonly shardDiscoveryIntervalMs: number;
  /** Delay before retry number `attempt` (0-based) of a failed batch, read or write. */
  readonly retryBackoffMs: (attempt: number) => number;
}

export interface MappingCoreOptions<E> {
  /** Stable id: the checkpoint key and the <ESM-UUID> in S3 on-failure object keys. */
  readonly mappingId: string;
  readonly source: StreamSource<E>;
  readonly settings: ResolvedSettings;
  readonly handler: StreamHandler<{ Records: E[] }>;
  readonly fn: FunctionIdentity;
  readonly checkpointStore: CheckpointStore;
  readonly destination: FailureDestination | undefined;
  readonly timing: Timing;
  /** Clock for record age and on-failure timestamps. */
  readonly clock: () => number;
  readonly onError: (error: Error) => void;
}

export interface EventSourceMappingHandle {
  readonly mappingId: string;
  readonly streamArn: string;
  /** Stops polling, awaits in-flight invocations and checkpoint writes; leaves no timers. */
  stop(): Promise<void>;
  lag(): MappingLag;
  stats(): MappingStats;
}

interface RunningShard<E> {
  readonly runner: ShardRunner<E>;
  readonly done: Promise<void>;
}

export async function runEventSourceMapping<E>(
  options: MappingCoreOptions<E>,
): Promise<EventSourceMappingHandle> {
  const { mappingId, source, settings, checkpointStore, timing } = options;
  const controller = new AbortController();
  const signal = controller.signal;
  // Each shard runner and the discovery loop listen on it: bounded, but past Node's warning at 10.
  setMaxListeners(1000, signal);
  const counters = emptyCounters();
  let lastError: string | undefined;
  const onError = (error: Error): void => {
    lastError = `${error.name}: ${error.message}${error.cause instanceof Error ? ` (cause: ${error.cause.message})` : ''}`;
    options.onError(error);
  };

  const stored = await checkpointStore.load(mappingId);
  const createdInThisRun = stored === undefined;
  const createdAtMs = stored?.createdAtMs ?? options.clock();
  if (createdInThisRun) await checkpointStore.saveCreated(mappingId, createdAtMs);
  const checkpoints = new Map<string, ShardCheckpoint>(Object.entries(stored?.shards ?? {}));
  const running = new Map<string, RunningShard<E>>();
  const discoveryWake = new Notifier();

  const invoke = (records: ReadonlyArray<StreamRecord<E>>) =>
    invokeHandler(options.handler, { Records: records.map((r) => r.eventRecord) }, options.fn);

  const positionFor = (shard: ShardDescription, childOfProcessed: boolean): ReadPosition => {
    const sequenceNumber = checkpoints.get(shard.shardId)?.sequenceNumber;
    if (sequenceNumber !== undefined) return { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber };
    if (childOfProcessed) return { type: 'TRIM_HORIZON' };
    const start = settings.startingPosition;
    // LATEST means "from when the mapping was created". After a restart, a shard that had no
    // checkpoint yet resumes from that moment rather than from a new LATEST, which would skip
    // whatever arrived while the runner was down.
    if (start.type === 'LATEST' && !createdInThisRun) {
      return { type: 'AT_TIMESTAMP', timestampMs: createdAtMs };
    }
    return start;
  };

  const startShard = async (shard: ShardDescription, childOfProcessed: boolean): Promise<void> => {
    const reader = await source.openShard(
      shard.shardId,
      positionFor(shard, childOfProcessed),
      signal,
    );
    if (signal.aborted) return;
    const runner = new ShardRunner<E>({
      kind: source.kind,
      shardId: shard.shardId,
      streamArn: source.streamArn,
      functionArn: options.fn.functionArn,
      settings,
      invoke,
      destination: options.destination,
      clock: options.clock,
      retryBackoffMs: timing.retryBackoffMs,
      signal,
      counters,
      onError,
      reader,
      initialCheckpoint: checkpoints.get(shard.shardId)?.sequenceNumber,
      maxRecordsPerRead: source.maxRecordsPerRead,
      pollIntervalMs: timing.pollIntervalMs,
      saveCheckpoint: async (checkpoint) => {
        await checkpointStore.saveShard(mappingId, shard.shardId, checkpoint);
        checkpoints.set(shard.shardId, checkpoint);
      },
    });
    const done = runner.run(signal).then(
      () => {
        running.delete(shard.shardId);
        // A closed shard finished: its children may start now rather than at the next interval.
        if (checkpoints.get(shard.shardId)?.ended === true) discoveryWake.notify();
      },
      (error: unknown) => {
        running.delete(shard.shardId);
        onError(
          new StreamSourceError(
            `the runner of ${shard.shardId} failed; it restarts from its checkpoint at the next shard discovery`,
            source.streamArn,
            { cause: error },
          ),
        );
      },
    );
    running.set(shard.shardId, { runner, done });
  };

  const discoverOnce = async (): Promise<ReadonlyArray<ShardDescription>> => {
    const shards = await source.listShards(signal);
    const listed = new Set(shards.map((shard) => shard.shardId));
    for (const shard of shards) {
      if (signal.aborted) return shards;
      if (running.has(shard.shardId) || checkpoints.get(shard.shardId)?.ended === true) continue;
      const parents = [shard.parentShardId, shard.adjacentParentShardId].filter(
        (parent): parent is string => parent !== undefined,
      );
      // A parent no longer listed has been trimmed away: nothing of it is left to wait for.
      const blocked = parents.some(
        (parent) => listed.has(parent) && checkpoints.get(parent)?.ended !== true,
      );
      if (blocked) continue;
      await startShard(
        shard,
        parents.some((parent) => checkpoints.has(parent)),
      );
    }
    return shards;
  };

  /**
   * At start, the checkpoints of shards the stream no longer lists (trimmed after its retention:
   * 24 h on DynamoDB Streams) are dropped, or a long-lived data dir would keep them forever. The
   * parents of listed shards stay: they tell a child to start at the beginning of its shard.
   */
  const forgetVanishedShards = async (shards: ReadonlyArray<ShardDescription>): Promise<void> => {
    const known = new Set(
      shards.flatMap((shard) =>
        [shard.shardId, shard.parentShardId, shard.adjacentParentShardId].filter(
          (id): id is string => id !== undefined,
        ),
      ),
    );
    const vanished = [...checkpoints.keys()].filter((shardId) => !known.has(shardId));
    if (vanished.length === 0) return;
    try {
      await checkpointStore.forgetShards(mappingId, vanished);
      for (const shardId of vanished) checkpoints.delete(shardId);
    } catch (error) {
      // Only housekeeping: the entries are tried again at the next start.
      onError(
        new StreamSourceError(
          `forgetting the checkpoints of vanished shards ${vanished.join(', ')} failed`,
          source.streamArn,
          { cause: error },
        ),
      );
    }
  };

  const stopRunners = async (): Promise<void> => {
    controller.abort();
    while (running.size > 0) await Promise.all([...running.values()].map((shard) => shard.done));
  };

  // The first discovery happens before start resolves: a missing stream fails the start, and
  // LATEST iterators exist before the caller puts anything.
  let firstListing: ReadonlyArray<ShardDescription>;
  try {
    firstListing = await discoverOnce();
  } catch (error) {
    await stopRunners();
    throw new StreamSourceError(
      `starting the event source mapping on ${source.streamArn} failed`,
      source.streamArn,
      {
        cause: error,
      },
    );
  }
  await forgetVanishedShards(firstListing);

  const discoveryLoop = (async () => {
    while (!signal.aborted) {
      await discoveryWake.wait(signal, timing.shardDiscoveryIntervalMs);
      if (signal.aborted) return;
      try {
        await discoverOnce();
      } catch (error) {
        if (signal.aborted) return;
        counters.discoveryErrors += 1;
        onError(
          new StreamSourceError(
            `listing the shards of ${source.streamArn} failed; retrying`,
            source.streamArn,
            {
              cause: error,
            },
          ),
        );
      }
    }
  })();

  let stopping: Promise<void> | undefined;
  return {
    mappingId,
    streamArn: source.streamArn,
    stop: () => {
      stopping ??= (async () => {
        controller.abort();
        await discoveryLoop;
        await stopRunners();
      })();
      return stopping;
    },
    lag: () => {
      let pendingRecords = 0;
      let oldest: number | undefined;
      let behind: number | undefined;
      for (const { runner } of running.values()) {
        const status = runner.status();
        pendingRecords += status.pending;
        const arrival = runner.oldestPendingArrivalMs;
        if (arrival !== undefined) oldest = Math.min(oldest ?? arrival, arrival);
        if (status.millisBehindLatest !== undefined) {
          behind = Math.max(behind ?? 0, status.millisBehindLatest);
        }
      }
      return {
        pendingRecords,
        oldestPendingAgeMs:
          oldest === undefined ? undefined : Math.max(0, options.clock() - oldest),
        millisBehindLatest: behind,
      };
    },
    stats: () => {
      const shards: Record<string, ShardStatus> = {};
      for (const [shardId, checkpoint] of checkpoints) {
        shards[shardId] = {
          checkpoint: checkpoint.sequenceNumber,
          pending: 0,
          ended: checkpoint.ended,
          millisBehindLatest: undefined,
        };
      }
      for (const [shardId, { runner }] of running) shards[shardId] = runner.status();
      return { ...counters, shards, lastError };
    },
  };
}
