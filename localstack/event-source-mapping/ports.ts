// The small interfaces between the event-source-mapping core and the outside world. The core
// (batching, lanes, retry/bisect/age, checkpoints) sees streams only through these, so it is
// unit-tested against an in-memory stream and runs unchanged on Kinesis and DynamoDB Streams.
import type { SourceKind } from './settings';

/** One stream record, already in Lambda's event-record shape, plus what the core needs to order it. */
export interface StreamRecord<E = unknown> {
  readonly sequenceNumber: string;
  /** Records with the same key keep their order (Kinesis partition key; DynamoDB item key). */
  readonly orderingKey: string;
  /** Kinesis ApproximateArrivalTimestamp / DynamoDB ApproximateCreationDateTime, epoch ms. */
  readonly arrivalMs: number;
  /** The record exactly as Lambda puts it in `event.Records[]`. */
  readonly eventRecord: E;
  /** UTF-8 size of JSON.stringify(eventRecord), for the 6 MB invoke payload limit. */
  readonly payloadBytes: number;
}

export interface ShardDescription {
  readonly shardId: string;
  readonly parentShardId?: string | undefined;
  readonly adjacentParentShardId?: string | undefined;
}

export type ReadPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number }
  | { readonly type: 'AFTER_SEQUENCE_NUMBER'; readonly sequenceNumber: string };

export interface ShardPage<E = unknown> {
  readonly records: ReadonlyArray<StreamRecord<E>>;
  /** True once the shard is closed and every record in it has been returned. */
  readonly endOfShard: boolean;
  /** Kinesis MillisBehindLatest; undefined for DynamoDB Streams. */
  readonly millisBehindLatest?: number | undefined;
}

/** Reads one shard forward; renews its own iterator (iterators expire after 5 or 15 minutes). */
export interface ShardReader<E = unknown> {
  read(limit: number, signal: AbortSignal): Promise<ShardPage<E>>;
}

export interface StreamSource<E = unknown> {
  readonly kind: SourceKind;
  readonly streamArn: string;
  /**
   * Identifies this incarnation of the stream: a stream deleted and created again under the same
   * name (emulators restart empty) must not resume from the old stream's checkpoints.
   */
  readonly incarnation: string;
  /** Most GetRecords can return in one call (Kinesis 10,000; DynamoDB Streams 1,000). */
  readonly maxRecordsPerRead: number;
  listShards(signal: AbortSignal): Promise<ReadonlyArray<ShardDescription>>;
  /**
   * Resolves once the shard's iterator exists, so that LATEST means "after this call" — a record
   * put after start() resolves is delivered.
   */
  openShard(shardId: string, position: ReadPosition, signal: AbortSignal): Promise<ShardReader<E>>;
}

export interface ShardCheckpoint {
  /** Sequence number of the last record processed (delivered or sent to the destination). */
  readonly sequenceNumber?: string | undefined;
  /** The shard is closed and fully processed; its children may start. */
  readonly ended: boolean;
}

export interface MappingCheckpoints {
  /** When the mapping was first started; LATEST resumes from here after a restart. */
  readonly createdAtMs: number;
  readonly shards: Readonly<Record<string, ShardCheckpoint>>;
}

/** Durable checkpoints, keyed by mapping id, so a restart resumes where the last run stopped. */
export interface CheckpointStore {
  load(mappingId: string): Promise<MappingCheckpoints | undefined>;
  saveCreated(mappingId: string, createdAtMs: number): Promise<void>;
  saveShard(mappingId: string, shardId: string, checkpoint: ShardCheckpoint): Promise<void>;
  /** Drops the checkpoints of shards that no longer exist (never read again). */
  forgetShards(mappingId: string, shardIds: readonly string[]): Promise<void>;
}

export type FailureCondition = 'RetryAttemptsExhausted' | 'RecordAgeExceeded';

export interface ResponseContext {
  readonly statusCode: number;
  readonly executedVersion: string;
  readonly functionError?: string | undefined;
}

export interface BatchInfo {
  readonly shardId: string;
  readonly startSequenceNumber: string;
  readonly endSequenceNumber: string;
  readonly approximateArrivalOfFirstRecord: string;
  readonly approximateArrivalOfLastRecord: string;
  readonly batchSize: number;
  readonly streamArn: string;
}

/**
 * Lambda's on-failure invocation record (DESIGN.md section 5). `payload` (the whole invocation
 * event) is what S3 destinations receive in addition to the metadata that SQS/SNS get.
 */
export interface OnFailureRecord {
  readonly requestContext: {
    readonly requestId: string;
    readonly functionArn: string;
    readonly condition: FailureCondition;
    readonly approximateInvokeCount: number;
  };
  readonly responseContext?: ResponseContext | undefined;
  readonly version: '1.0';
  readonly timestamp: string;
  readonly KinesisBatchInfo?: BatchInfo | undefined;
  readonly DDBStreamBatchInfo?: BatchInfo | undefined;
  readonly payload: { readonly Records: ReadonlyArray<unknown> };
}

export interface FailureDestination {
  /** Human-readable target (ARN) for errors and stats. */
  readonly target: string;
  send(record: OnFailureRecord, signal: AbortSignal): Promise<void>;
}
