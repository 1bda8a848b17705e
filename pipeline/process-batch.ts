/**
 * The whole pure per-batch function of the consumer: Kinesis records in → Events items, one
 * delta per session, bad rows and exactly one outcome per record out. Never throws for bad
 * data; the handler only does I/O around it (DESIGN.md section 7).
 */
import type { BadRow, EventItem } from '../schemas';
import { BatchCoalescer, type SessionDelta } from './coalesce';
import { decode } from './decode';
import { createEnricher, type EnricherOptions } from './enrich';
import {
  KinesisOrderCheck,
  comparePositions,
  kinesisOrigin,
  sortedKinesisOrder,
  type KinesisInputRecord,
} from './kinesis-record';
import { makeBadRow, originPosition, payloadOf } from './bad-rows';
import type { RecordOutcome } from './outcomes';
import type { PipelinePorts } from './ports';

export interface BatchStats {
  readonly records: number;
  /** Distinct events (Events items). */
  readonly stored: number;
  /** Records that repeated an event already in the batch. */
  readonly duplicates: number;
  readonly bad: number;
  readonly sessions: number;
  /** Clock minus the newest record's Kinesis arrival: how far the consumer runs behind. */
  readonly iteratorAgeMs: number;
}

export interface BatchResult {
  readonly eventItems: readonly EventItem[];
  readonly sessionDeltas: readonly SessionDelta[];
  /** Every bad row of the batch, in Kinesis order. */
  readonly badRows: readonly BadRow[];
  /** Exactly one per input record, in input order. */
  readonly outcomes: readonly RecordOutcome[];
  readonly stats: BatchStats;
}

export type BatchProcessor = (records: readonly KinesisInputRecord[]) => BatchResult;

/**
 * A processor whose memo caches live as long as it does: create one per process (a warm Lambda
 * then parses each user agent and hashes each visitor once, not once per batch).
 */
export function createBatchProcessor(
  ports: PipelinePorts,
  options: EnricherOptions = {},
): BatchProcessor {
  const enricher = createEnricher(ports.salt, options);

  /**
   * One pass in Kinesis order: each record is decoded, enriched and grouped while it is in the
   * CPU's cache. Lambda delivers a batch in order, so the pass starts optimistically in input
   * order and checks as it goes; records out of order (tests, tools) restart it sorted. The
   * enricher's caches are memos, so an abandoned pass leaves nothing behind.
   */
  function run(records: readonly KinesisInputRecord[], order?: readonly number[]) {
    const outcomes = new Array<RecordOutcome>(records.length);
    const badRows: BadRow[] = [];
    const coalescer = new BatchCoalescer();
    const check = order === undefined ? new KinesisOrderCheck() : undefined;
    let duplicates = 0;
    let newestArrival = 0;
    for (let i = 0; i < records.length; i += 1) {
      const index = order === undefined ? i : (order[i] as number);
      const input = records[index] as KinesisInputRecord;
      if (check !== undefined && !check.next(input)) return undefined;
      newestArrival = Math.max(newestArrival, input.kinesis.approximateArrivalTimestamp * 1000);
      const decoded = decode(input);
      if (!decoded.ok) {
        badRows.push(decoded.badRow);
        outcomes[index] = badOutcome(decoded.badRow);
        continue;
      }
      const enriched = enricher.enrich(decoded.record);
      if (!enriched.ok) {
        const row = makeBadRow(
          enriched.reason,
          enriched.message,
          kinesisOrigin(input),
          payloadOf(input.kinesis.data),
          { siteId: decoded.record.siteId, eventId: decoded.record.event.eventId },
          enriched.details,
        );
        badRows.push(row);
        outcomes[index] = badOutcome(row);
        continue;
      }
      const outcome = coalescer.add(enriched.event, input);
      if (outcome.kind === 'stored' && outcome.duplicate) duplicates += 1;
      outcomes[index] = outcome;
    }

    const batch = coalescer.finish();
    // Both lists are in Kinesis order; merged, they stay so.
    const allBadRows =
      batch.badRows.length === 0
        ? badRows
        : badRows
            .concat(batch.badRows)
            .sort((a, b) => comparePositions(originPosition(a.origin), originPosition(b.origin)));
    const result: BatchResult = {
      eventItems: batch.eventItems,
      sessionDeltas: batch.sessionDeltas,
      badRows: allBadRows,
      outcomes,
      stats: {
        records: records.length,
        stored: batch.eventItems.length,
        duplicates,
        bad: allBadRows.length,
        sessions: batch.sessionDeltas.length,
        iteratorAgeMs:
          records.length === 0 ? 0 : Math.max(0, Math.round(ports.clock.now() - newestArrival)),
      },
    };
    return result;
  }

  return (records) => run(records) ?? (run(records, sortedKinesisOrder(records)) as BatchResult);
}

/** One batch with fresh caches (tests, one-off tools). */
export function processBatch(
  records: readonly KinesisInputRecord[],
  ports: PipelinePorts,
): BatchResult {
  return createBatchProcessor(ports)(records);
}

function badOutcome(row: BadRow): RecordOutcome {
  return { kind: 'bad', sequenceNumber: row.origin.sequenceNumber, reason: row.reason };
}
