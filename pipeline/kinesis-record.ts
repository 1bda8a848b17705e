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

function shardIdOf(eventId: string, sequenceNumber: string): string {
  const suffix = `:${sequenceNumber}`;
  if (eventId.endsWith(suffix)) return eventId.slice(0, -suffix.length);
  const colon = eventId.indexOf(':');
  return colon === -1 ? eventId : eventId.slice(0, colon);
}

/**
 * Orders positions as Kinesis does: by shard, then by sequence number. Sequence numbers are
 * decimal strings of up to 128 digits without leading zeros, so a longer one is larger and equal
 * lengths compare as text — no BigInt needed.
 */
export function comparePositions(
  a: { readonly shardId: string; readonly sequenceNumber: string },
  b: { readonly shardId: string; readonly sequenceNumber: string },
): number {
  if (a.shardId !== b.shardId) return a.shardId < b.shardId ? -1 : 1;
  const x = a.sequenceNumber;
  const y = b.sequenceNumber;
  if (x.length !== y.length) return x.length - y.length;
  return x < y ? -1 : x > y ? 1 : 0;
}
