/**
 * The Kinesis record as Lambda delivers it, reduced to the fields the pipeline reads. Lambda's
 * own `KinesisStreamRecord` (@types/aws-lambda, powertools' `KinesisDataStreamSchema`) is
 * assignable to it, so the handler passes `event.Records` straight in.
 */
import type { RecordOrigin } from '../schemas';

export interface KinesisInputRecord {
  /** `${shardId}:${sequenceNumber}`. */
  readonly eventID: string;
  readonly eventSourceARN: string;
  readonly kinesis: {
    /** The payload, base64. */
    readonly data: string;
    readonly sequenceNumber: string;
    readonly partitionKey: string;
    /** Epoch seconds with a fraction (Lambda's unit, not milliseconds). */
    readonly approximateArrivalTimestamp: number;
  };
}

/** The largest epoch millisecond a JavaScript Date represents. */
const MAX_DATE_MS = 8_640_000_000_000_000;

export type KinesisOrigin = Extract<RecordOrigin, { kind: 'kinesis' }>;

/** Where a record came from, in the shape bad rows keep. Never throws. */
export function kinesisOrigin(record: KinesisInputRecord): KinesisOrigin {
  const { sequenceNumber, partitionKey, approximateArrivalTimestamp } = record.kinesis;
  const arrivedAt = Math.round(approximateArrivalTimestamp * 1000);
  return {
    kind: 'kinesis',
    streamArn: record.eventSourceARN,
    shardId: shardIdOf(record.eventID, sequenceNumber),
    sequenceNumber,
    // Clamped to what a Date can hold, so day keys derived from it can never throw.
    arrivedAt: arrivedAt >= 0 && arrivedAt <= MAX_DATE_MS ? arrivedAt : 0,
    partitionKey,
  };
}

/**
 * The shard id last derived. A batch comes from one shard, so reusing the same string object
 * makes every later shard comparison of the batch a pointer comparison (and saves a slice).
 */
let lastShardId = '';

function shardIdOf(eventId: string, sequenceNumber: string): string {
  // `${shardId}:${sequenceNumber}`: checked without building strings (this runs per record).
  const colonAt = eventId.length - sequenceNumber.length - 1;
  if (colonAt <= 0 || eventId.charCodeAt(colonAt) !== 58) {
    const colon = eventId.indexOf(':');
    return colon === -1 ? eventId : eventId.slice(0, colon);
  }
  if (colonAt === lastShardId.length && eventId.startsWith(lastShardId)) return lastShardId;
  lastShardId = eventId.slice(0, colonAt);
  return lastShardId;
}

/**
 * Orders positions by sequence number, then shard. A Lambda batch comes from one shard, where
 * this is Kinesis' own order; across shards, sequence numbers grow with arrival time, so the
 * order stays meaningful, and the shard breaks the (theoretical) tie. Sequence numbers are
 * decimal strings of up to 128 digits without leading zeros: a longer one is larger and equal
 * lengths compare as text — no BigInt needed.
 */
export function comparePositions(
  a: { readonly shardId: string; readonly sequenceNumber: string },
  b: { readonly shardId: string; readonly sequenceNumber: string },
): number {
  return (
    compareSequenceNumbers(a.sequenceNumber, b.sequenceNumber) || compareText(a.shardId, b.shardId)
  );
}

function compareSequenceNumbers(a: string, b: string): number {
  if (a.length !== b.length) return a.length - b.length;
  return compareText(a, b);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `comparePositions` for records as delivered, without building their origins. */
export function compareRecordPositions(a: KinesisInputRecord, b: KinesisInputRecord): number {
  const x = a.kinesis.sequenceNumber;
  const y = b.kinesis.sequenceNumber;
  // The shard id (a slice of eventID) is only read when the sequence numbers tie.
  return (
    compareSequenceNumbers(x, y) || compareText(shardIdOf(a.eventID, x), shardIdOf(b.eventID, y))
  );
}

/** Checks, record by record, that records come in Kinesis order (as Lambda delivers them). */
export class KinesisOrderCheck {
  private previous: KinesisInputRecord | undefined;

  /** False when `record` comes before the record passed previously. */
  next(record: KinesisInputRecord): boolean {
    const previous = this.previous;
    this.previous = record;
    return previous === undefined || compareRecordPositions(previous, record) <= 0;
  }
}

/**
 * Indices of `records` in Kinesis order, or undefined when they are in order already, so that
 * "first occurrence" means the same on every delivery of a batch.
 */
export function kinesisOrder(records: readonly KinesisInputRecord[]): number[] | undefined {
  const check = new KinesisOrderCheck();
  if (records.every((record) => check.next(record))) return undefined;
  return sortedKinesisOrder(records);
}

/** Indices of `records` sorted into Kinesis order. */
export function sortedKinesisOrder(records: readonly KinesisInputRecord[]): number[] {
  return records
    .map((_, index) => index)
    .sort((a, b) =>
      compareRecordPositions(records[a] as KinesisInputRecord, records[b] as KinesisInputRecord),
    );
}
