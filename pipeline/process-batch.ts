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
  comparePositions,
  kinesisOrder,
  kinesisOrigin,
  type KinesisInputRecord,
} from './kinesis-record';
import { makeBadRow, originPosition, payloadOf } from './bad-rows';
import type { RecordOutcome } from './outcomes';
import type { Clock, PipelinePorts } from './ports';

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
  return (records) => {
    const outcomes = new Array<RecordOutcome>(records.length);
    const badRows: BadRow[] = [];
    const coalescer = new BatchCoalescer();
    // One pass in Kinesis order: each record is decoded, enriched and grouped while it is hot.
    const order = kinesisOrder(records);
    for (let i = 0; i < records.length; i += 1) {
      const index = order === undefined ? i : (order[i] as number);
      const input = records[index] as KinesisInputRecord;
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
      outcomes[index] = coalescer.add(enriched.event, input);
    }

    const batch = coalescer.finish();
    // Both lists are in Kinesis order; merged, they stay so.
    const allBadRows =
      batch.badRows.length === 0
        ? badRows
        : badRows
            .concat(batch.badRows)
            .sort((a, b) => comparePositions(originPosition(a.origin), originPosition(b.origin)));
    let duplicates = 0;
    for (const outcome of outcomes)
      if (outcome.kind === 'stored' && outcome.duplicate) duplicates += 1;

    return {
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
        iteratorAgeMs: iteratorAge(ports.clock, records),
      },
    };
  };
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

function iteratorAge(clock: Clock, records: readonly KinesisInputRecord[]): number {
  let newest = 0;
  for (const record of records) {
    newest = Math.max(newest, record.kinesis.approximateArrivalTimestamp * 1000);
  }
  return records.length === 0 ? 0 : Math.max(0, Math.round(clock.now() - newest));
}
