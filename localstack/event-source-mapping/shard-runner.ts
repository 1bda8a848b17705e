// One shard of a mapping: a reader that polls the shard (like Lambda's poller, about once a
// second for Kinesis, four times for DynamoDB Streams, at once again while it is behind), lanes
// that batch and invoke (ParallelizationFactor of them, one batch in flight each, keys hashed to
// lanes), and a checkpoint that only moves over records that are all done.
import { setMaxListeners } from 'node:events';
import { match } from 'ts-pattern';
import { Notifier, sleep } from './abortable-wait';
import { decideBatch } from './batch-assembly';
import { processBatch, type BatchProcessorDeps, type QueuedRecord } from './batch-processor';
import { CheckpointTracker } from './checkpoint-tracker';
import { StreamSourceError } from './errors';
import { laneOf } from './lane-assignment';
import type { ShardCheckpoint, ShardReader } from './ports';
import type { MappingCounters, ShardStatus } from './stats';

export interface ShardRunnerDeps<E> extends Omit<BatchProcessorDeps<E>, 'onDone'> {
  readonly reader: ShardReader<E>;
  readonly initialCheckpoint: string | undefined;
  readonly maxRecordsPerRead: number;
  readonly pollIntervalMs: number;
  readonly saveCheckpoint: (checkpoint: ShardCheckpoint) => Promise<void>;
}

export type ShardRunEnd = 'ended' | 'stopped';

interface Lane<E> {
  readonly queue: Array<QueuedRecord<E>>;
  readonly wake: Notifier;
}

export class ShardRunner<E> {
  private readonly tracker: CheckpointTracker;
  private readonly lanes: Array<Lane<E>>;
  private readonly space = new Notifier();
  private readonly checkpoints: CheckpointWriter;
  private readerDone = false;
  private millisBehindLatest: number | undefined;
  /** Read-ahead bound, so a blocked lane does not make the poller buffer the whole stream. */
  private readonly maxBuffered: number;

  /**
   * The runner's own stop signal: it follows the mapping's, and also fires when one of the
   * runner's loops fails, so that a broken runner never leaves its other loops polling.
   */
  private readonly controller = new AbortController();
  private readonly deps: ShardRunnerDeps<E>;

  constructor(deps: ShardRunnerDeps<E>) {
    this.deps = { ...deps, signal: this.controller.signal };
    // Every lane, the reader and each pending sleep listen on this signal: more than Node's
    // default warning threshold of 10 by design, and bounded.
    setMaxListeners(1000, this.controller.signal);
    this.tracker = new CheckpointTracker(deps.initialCheckpoint);
    this.lanes = Array.from({ length: deps.settings.parallelizationFactor }, () => ({
      queue: [],
      wake: new Notifier(),
    }));
    this.maxBuffered = Math.max(
      1000,
      2 * deps.settings.batchSize * deps.settings.parallelizationFactor,
    );
    this.checkpoints = new CheckpointWriter(this.deps);
  }

  async run(mappingSignal: AbortSignal): Promise<ShardRunEnd> {
    const follow = (): void => this.controller.abort();
    if (mappingSignal.aborted) follow();
    mappingSignal.addEventListener('abort', follow, { once: true });
    try {
      await this.runLoops();
    } finally {
      mappingSignal.removeEventListener('abort', follow);
    }
    await this.checkpoints.flush();
    if (this.deps.signal.aborted || !this.readerDone || this.tracker.pending > 0) return 'stopped';
    this.checkpoints.schedule({ sequenceNumber: this.tracker.checkpoint, ended: true });
    await this.checkpoints.flush();
    return this.checkpoints.savedEnd ? 'ended' : 'stopped';
  }

  private async runLoops(): Promise<void> {
    const loops = [this.readLoop(), ...this.lanes.map((lane) => this.laneLoop(lane))].map((loop) =>
      loop.catch((error: unknown) => {
        this.controller.abort();
        throw error;
      }),
    );
    const outcomes = await Promise.allSettled(loops);
    const failed = outcomes.find((outcome) => outcome.status === 'rejected');
    if (failed !== undefined) {
      await this.checkpoints.flush();
      throw failed.reason;
    }
  }

  status(): ShardStatus {
    return {
      checkpoint: this.tracker.checkpoint,
      pending: this.tracker.pending,
      ended: false,
      millisBehindLatest: this.millisBehindLatest,
    };
  }

  get oldestPendingArrivalMs(): number | undefined {
    return this.tracker.oldestPendingArrivalMs;
  }

  private async readLoop(): Promise<void> {
    const { signal, counters } = this.deps;
    let failures = 0;
    while (!signal.aborted) {
      const capacity = this.maxBuffered - this.tracker.pending;
      if (capacity <= 0) {
        await this.space.wait(signal);
        continue;
      }
      const limit = Math.min(capacity, this.deps.maxRecordsPerRead);
      let page;
      try {
        page = await this.deps.reader.read(limit, signal);
        failures = 0;
      } catch (error) {
        if (signal.aborted) break;
        counters.readErrors += 1;
        this.deps.onError(
          new StreamSourceError(
            `reading ${this.deps.shardId} of ${this.deps.streamArn} failed; retrying`,
            this.deps.streamArn,
            { cause: error },
          ),
        );
        await sleep(this.deps.retryBackoffMs(failures++), signal);
        continue;
      }
      const readAtMs = Date.now();
      for (const record of page.records) {
        const position = this.tracker.add(record.sequenceNumber, record.arrivalMs);
        const lane = this.lanes[laneOf(record.orderingKey, this.lanes.length)] as Lane<E>;
        lane.queue.push({ record, position, readAtMs, payloadBytes: record.payloadBytes });
        lane.wake.notify();
      }
      counters.recordsRead += page.records.length;
      this.millisBehindLatest = page.millisBehindLatest;
      if (page.endOfShard) {
        this.readerDone = true;
        for (const lane of this.lanes) lane.wake.notify();
        return;
      }
      const behind = (page.millisBehindLatest ?? 0) > 0;
      if (page.records.length < limit && !behind) await sleep(this.deps.pollIntervalMs, signal);
    }
  }

  private async laneLoop(lane: Lane<E>): Promise<void> {
    const { signal, settings } = this.deps;
    const batchDeps: BatchProcessorDeps<E> = { ...this.deps, onDone: (done) => this.onDone(done) };
    while (!signal.aborted) {
      const now = Date.now();
      const next = match(decideBatch(lane.queue, settings, now, this.readerDone))
        .with({ kind: 'invoke' }, ({ count }) =>
          processBatch(lane.queue.splice(0, count), batchDeps),
        )
        .with({ kind: 'wait-until' }, ({ atMs }) => lane.wake.wait(signal, atMs - now))
        .with({ kind: 'idle' }, () => (this.readerDone ? 'lane-done' : lane.wake.wait(signal)))
        .exhaustive();
      if ((await next) === 'lane-done') return;
    }
  }

  private onDone(done: ReadonlyArray<QueuedRecord<E>>): void {
    const checkpoint = this.tracker.markDone(done.map((queued) => queued.position));
    if (checkpoint !== undefined) {
      this.checkpoints.schedule({ sequenceNumber: checkpoint, ended: false });
      this.space.notify();
    }
  }
}

/**
 * Saves the newest checkpoint of a shard, one write at a time, coalescing the ones that arrive
 * meanwhile. A failed save is retried; after stop() only one more attempt is made (what is not
 * saved is delivered again after a restart — at least once, never lost).
 */
class CheckpointWriter {
  private latest: ShardCheckpoint | undefined;
  private saved: ShardCheckpoint | undefined;
  private running: Promise<void> | undefined;

  constructor(
    private readonly deps: {
      readonly shardId: string;
      readonly saveCheckpoint: (checkpoint: ShardCheckpoint) => Promise<void>;
      readonly signal: AbortSignal;
      readonly counters: MappingCounters;
      readonly retryBackoffMs: (attempt: number) => number;
      readonly onError: (error: Error) => void;
    },
  ) {}

  get savedEnd(): boolean {
    return this.saved?.ended === true;
  }

  schedule(checkpoint: ShardCheckpoint): void {
    this.latest = checkpoint;
    this.running ??= this.drain().finally(() => {
      this.running = undefined;
    });
  }

  async flush(): Promise<void> {
    while (this.running !== undefined) await this.running;
  }

  private async drain(): Promise<void> {
    let attempt = 0;
    while (this.latest !== undefined && this.latest !== this.saved) {
      const target = this.latest;
      try {
        await this.deps.saveCheckpoint(target);
        this.saved = target;
        this.deps.counters.checkpointSaves += 1;
        attempt = 0;
      } catch (error) {
        this.deps.counters.checkpointErrors += 1;
        this.deps.onError(
          new Error(
            `saving checkpoint ${target.sequenceNumber ?? '(none)'} of ${this.deps.shardId} failed (attempt ${attempt + 1})`,
            { cause: error },
          ),
        );
        if (this.deps.signal.aborted) return;
        await sleep(this.deps.retryBackoffMs(attempt++), this.deps.signal);
      }
    }
  }
}
