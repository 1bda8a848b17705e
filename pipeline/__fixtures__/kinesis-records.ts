/**
 * Kinesis records as Lambda delivers them: `data` is base64 (never the raw body), `eventID` is
 * `${shardId}:${sequenceNumber}`, `approximateArrivalTimestamp` is epoch seconds with a fraction.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { EdgeRecord } from '../../schemas';
import { RECEIVED_AT } from './edge-records';

export const STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/liveinsight-test-events';
export const SHARD_ID = 'shardId-000000000000';

/** A 56-digit sequence number (the length Kinesis uses) for position `n`; ordered like `n`. */
export function sequenceNumber(n: number): string {
  return `4964${String(n).padStart(52, '0')}`;
}

export interface PositionOptions {
  /** Position in the shard (see `sequenceNumber`). */
  readonly position?: number;
  readonly shardId?: string;
  /** Kinesis arrival, epoch ms. */
  readonly arrivedAt?: number;
  readonly partitionKey?: string;
}

/** A record whose data is exactly `base64` (valid or not). */
export function kinesisRecordWithData(
  base64: string,
  options: PositionOptions = {},
): KinesisStreamRecord {
  const seq = sequenceNumber(options.position ?? 0);
  const shardId = options.shardId ?? SHARD_ID;
  return {
    awsRegion: 'us-east-1',
    eventID: `${shardId}:${seq}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: STREAM_ARN,
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/liveinsight-consumer',
    kinesis: {
      approximateArrivalTimestamp: (options.arrivedAt ?? RECEIVED_AT + 20) / 1000,
      data: base64,
      kinesisSchemaVersion: '1.0',
      partitionKey: options.partitionKey ?? 'sess_01234567',
      sequenceNumber: seq,
    },
  };
}

export function kinesisRecordWithBytes(
  bytes: Uint8Array,
  options: PositionOptions = {},
): KinesisStreamRecord {
  return kinesisRecordWithData(Buffer.from(bytes).toString('base64'), options);
}

export function kinesisRecordWithText(
  text: string,
  options: PositionOptions = {},
): KinesisStreamRecord {
  return kinesisRecordWithBytes(Buffer.from(text, 'utf8'), options);
}

/** An edge record as the edge puts it: JSON, UTF-8, base64; partition key = session id. */
export function kinesisRecord(
  record: EdgeRecord,
  options: PositionOptions = {},
): KinesisStreamRecord {
  return kinesisRecordWithText(JSON.stringify(record), {
    partitionKey: record.event.sessionId,
    ...options,
  });
}
