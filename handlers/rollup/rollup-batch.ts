/**
 * The rollup function: a batch of ActiveSessions stream records → the realtime counters that
 * answer GET /realtime (pipeline/realtime/rollup.ts says what the counters are).
 *
 * Exactly once on at-least-once delivery: records are cut into chunks in order, and each chunk
 * is one transaction together with a marker named by its first record (adapters/
 * dynamo-realtime-rollups.ts). Chunk boundaries depend only on the records, never on the clock,
 * so a redelivered batch is cut the same way; a chunk whose marker exists is skipped up to the
 * sequence number the marker covers, and cutting resumes right after it.
 *
 * This holds because every delivery of a record starts at a chunk start:
 * - a function error (crash, timeout) makes Lambda re-send the entire batch (the mapping does not
 *   bisect: ROLLUP_MAPPING_SETTINGS), which starts with the batch's first record;
 * - a chunk that cannot be applied stops the invocation there, and its first record and every
 *   later one are reported in `batchItemFailures`: Lambda re-sends from that chunk start.
 *
 * Malformed records are skipped: the processor reads the same stream and keeps them as bad rows.
 */
import { parseWith } from '../../schemas';
import {
  changeDelta,
  mergeInto,
  visibleFrom,
  type BucketCells,
  type SiteDelta,
} from '../../pipeline/realtime/rollup';
import { rollupKeyOf } from '../../pipeline/realtime/rollup-keys';
import {
  MAX_BUCKETS_PER_CHUNK,
  MAX_CELLS_PER_BUCKET,
  RollupContractError,
  type DynamoRealtimeRollups,
  type RollupChunk,
} from '../adapters/dynamo-realtime-rollups';
import { deadlineFrom } from '../adapters/deadline';
import { isWriteFailure } from '../adapters/write-errors';
import { parseStreamRecord } from '../dynamodb-stream/parse-stream-record';
import { InvalidInvocationError, type StreamBatchHandler } from '../dynamodb-stream/stream-batch';
import { DynamoDBStreamEventSchema } from '../dynamodb-stream/stream-record-schema';

export interface RollupBatchOptions {
  readonly rollups: Pick<DynamoRealtimeRollups, 'applyChunk'>;
  readonly activeSessionsTable: string;
  /**
   * Rollup keys of a site (the shard plan's `rollupKeys`; pipeline/realtime/rollup-keys.ts).
   * Default: 1 for every site, the unsplit key.
   */
  readonly rollupKeysOf?: (siteId: string) => number;
  /** Time budget when no Lambda context is given (local runs), default 30 s. */
  readonly defaultBudgetMs?: number;
  readonly now?: () => number;
  /** Receives one line per invocation that skipped or failed something (default console.warn). */
  readonly log?: (line: string) => void;
}

/** A DynamoDB-stream batch handler, as the processor's (same event, context and answer). */
export type RollupBatchHandler = StreamBatchHandler;

/** One record in order: its identifiers and its change's delta per site (none if malformed). */
export interface RecordDelta {
  readonly eventId: string;
  readonly sequenceNumber: string;
  readonly siteId: string | undefined;
  /** The bucket partition its delta goes to (rollup-keys.ts); absent: `siteId`, unsplit. */
  readonly rollupKey?: string | undefined;
  readonly delta: SiteDelta;
}

export function createRollupBatchHandler(options: RollupBatchOptions): RollupBatchHandler {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((line: string) => console.warn(line));

  return async (event, context) => {
    const envelope = parseWith(DynamoDBStreamEventSchema, event);
    if (!envelope.ok) {
      throw new InvalidInvocationError(
        'The rollup was invoked without a DynamoDB stream event (expected {"Records": [...]})',
      );
    }
    const deadline = deadlineFrom(
      context?.getRemainingTimeInMillis() ?? options.defaultBudgetMs ?? 30_000,
      { now },
    );
    const { records, malformed } = recordDeltas(
      envelope.value.Records,
      options.activeSessionsTable,
      options.rollupKeysOf,
    );
    if (malformed > 0)
      log(`rollup: skipped ${malformed} malformed record(s) (kept as bad rows by the processor)`);

    let position = 0;
    while (position < records.length) {
      const chunk = cutChunk(records, position);
      const nowMs = now();
      const deltas = new Map<string, SiteDelta>();
      for (const [siteId, delta] of chunk.deltas) {
        const visible = visibleFrom(delta, nowMs);
        if (visible.size > 0) deltas.set(siteId, visible);
      }
      let next = chunk.end;
      if (deltas.size > 0) {
        const first = records[position] as RecordDelta;
        const last = records[chunk.end - 1] as RecordDelta;
        const applying: RollupChunk = {
          firstEventId: first.eventId,
          lastSequence: last.sequenceNumber,
          deltas,
        };
        try {
          const outcome = await options.rollups.applyChunk(applying, deadline, nowMs);
          if (outcome.kind === 'already-applied') {
            next = firstAfter(records, position, outcome.lastSequence);
            if (next <= position) {
              throw new RollupContractError(
                `the marker of chunk ${first.eventId} covers up to ${outcome.lastSequence}, before the chunk's own first record ${first.sequenceNumber} (expected a marker written by this chunk)`,
              );
            }
          } else if (outcome.dropped.length > 0) {
            log(
              `rollup: left out bucket(s) ${outcome.dropped.join(', ')} of chunk ${first.eventId}: DynamoDB refused them as invalid (item over 400 KB?); their counters heal when the minute passes`,
            );
          }
        } catch (error) {
          if (!isWriteFailure(error)) throw error;
          log(
            `rollup: chunk from ${first.eventId} not applied, ${records.length - position} record(s) handed back: ${error instanceof Error ? error.message : String(error)}`,
          );
          return {
            batchItemFailures: records
              .slice(position)
              .map((record) => ({ itemIdentifier: record.sequenceNumber })),
          };
        }
      }
      position = next;
    }
    return { batchItemFailures: [] };
  };
}

/** Records in delivery order with their deltas; malformed ones carry none. */
export function recordDeltas(
  raws: readonly unknown[],
  activeSessionsTable: string,
  rollupKeysOf: (siteId: string) => number = () => 1,
): { records: RecordDelta[]; malformed: number } {
  const records: RecordDelta[] = [];
  let malformed = 0;
  for (const raw of raws) {
    const parsed = parseStreamRecord(raw, { activeSessions: activeSessionsTable });
    if (!parsed.ok || parsed.change.table !== 'activeSessions') {
      malformed += 1;
      continue;
    }
    if (!/^[0-9]+$/.test(parsed.sequenceNumber)) {
      // Streams sequence numbers are decimal strings: chunk markers compare them as numbers.
      throw new RollupContractError(
        `stream record ${JSON.stringify((raw as { eventID?: unknown }).eventID)} has SequenceNumber ${JSON.stringify(parsed.sequenceNumber)} (expected decimal digits)`,
      );
    }
    const { change } = parsed;
    const before = change.eventName === 'INSERT' ? undefined : change.oldImage;
    const after = change.eventName === 'REMOVE' ? undefined : change.newImage;
    const image = after ?? before;
    records.push({
      // The schema made sure the envelope has an eventID.
      eventId: (raw as { eventID: string }).eventID,
      sequenceNumber: parsed.sequenceNumber,
      siteId: image?.siteId,
      // Old and new image share the item's key, so both halves of a change go to one key.
      rollupKey:
        image === undefined
          ? undefined
          : rollupKeyOf(image.siteId, image.pk, rollupKeysOf(image.siteId)),
      delta: changeDelta(before, after),
    });
  }
  return { records, malformed };
}

/**
 * The chunk starting at `start`: as many records as fit one transaction (buckets and cells per
 * bucket within the adapter's limits), judged on the whole deltas so the cut is clock-free. Each
 * record is judged by what merging it would change — only its own buckets — and then merged in
 * place, so cutting a batch costs in proportion to its records' cells.
 */
export function cutChunk(
  records: readonly RecordDelta[],
  start: number,
): { end: number; deltas: Map<string, SiteDelta> } {
  const deltas = new Map<string, SiteDelta>();
  let buckets = 0;
  let end = start;
  while (end < records.length) {
    const record = records[end] as RecordDelta;
    const key = record.rollupKey ?? record.siteId;
    if (key !== undefined && record.delta.size > 0) {
      const site = deltas.get(key) ?? new Map<number, BucketCells>();
      const merged = mergeOutcome(site, record.delta);
      const fits =
        merged.largestBucket <= MAX_CELLS_PER_BUCKET &&
        buckets + merged.bucketChange <= MAX_BUCKETS_PER_CHUNK;
      if (end > start && !fits) break;
      deltas.set(key, mergeInto(site, record.delta));
      buckets += merged.bucketChange;
    }
    end += 1;
  }
  return { end, deltas };
}

/**
 * What adding `delta` to `site` would do to the buckets it touches, without doing it: how many
 * buckets appear or disappear (cells summing to 0 are dropped, and with them an empty bucket),
 * and the most cells any of them would then hold.
 */
function mergeOutcome(
  site: SiteDelta,
  delta: SiteDelta,
): { bucketChange: number; largestBucket: number } {
  let bucketChange = 0;
  let largestBucket = 0;
  for (const [minute, cells] of delta) {
    const existing = site.get(minute);
    let count = 0;
    for (const [cell, n] of existing ?? []) if (n + (cells.get(cell) ?? 0) !== 0) count += 1;
    for (const cell of cells.keys()) if (existing?.has(cell) !== true) count += 1;
    bucketChange += (count > 0 ? 1 : 0) - (existing === undefined ? 0 : 1);
    largestBucket = Math.max(largestBucket, count);
  }
  return { bucketChange, largestBucket };
}

/** Index of the first record after `lastSequence` (sequence numbers grow within a shard). */
function firstAfter(records: readonly RecordDelta[], from: number, lastSequence: string): number {
  const last = BigInt(lastSequence);
  let index = from;
  while (index < records.length && BigInt((records[index] as RecordDelta).sequenceNumber) <= last) {
    index += 1;
  }
  return index;
}
