// Lambda's on-failure invocation record for stream sources (DESIGN.md section 5), plus the whole
// invocation event as `payload`, which is what an S3 destination receives. Pure.
import type {
  BatchInfo,
  FailureCondition,
  OnFailureRecord,
  ResponseContext,
  StreamRecord,
} from './ports';
import type { SourceKind } from './settings';

export interface FailureRecordInput {
  readonly kind: SourceKind;
  readonly condition: FailureCondition;
  /** Request id of the last invocation, or a fresh one when the records were never invoked. */
  readonly requestId: string;
  readonly functionArn: string;
  readonly approximateInvokeCount: number;
  /** Absent for records that aged out before any invocation. */
  readonly responseContext: ResponseContext | undefined;
  readonly timestampMs: number;
  readonly shardId: string;
  readonly streamArn: string;
  readonly records: ReadonlyArray<StreamRecord>;
}

export function buildFailureRecord(input: FailureRecordInput): OnFailureRecord {
  const first = input.records[0];
  const last = input.records[input.records.length - 1];
  if (first === undefined || last === undefined) {
    throw new RangeError(
      `an on-failure record needs at least one stream record: received 0 for ${input.shardId} of ${input.streamArn}`,
    );
  }
  const arrival = input.kind === 'kinesis' ? isoWithMillis : isoWithSeconds;
  const batchInfo: BatchInfo = {
    shardId: input.shardId,
    startSequenceNumber: first.sequenceNumber,
    endSequenceNumber: last.sequenceNumber,
    approximateArrivalOfFirstRecord: arrival(first.arrivalMs),
    approximateArrivalOfLastRecord: arrival(last.arrivalMs),
    batchSize: input.records.length,
    streamArn: input.streamArn,
  };
  return {
    requestContext: {
      requestId: input.requestId,
      functionArn: input.functionArn,
      condition: input.condition,
      approximateInvokeCount: input.approximateInvokeCount,
    },
    ...(input.responseContext === undefined ? {} : { responseContext: input.responseContext }),
    version: '1.0',
    timestamp: isoWithMillis(input.timestampMs),
    ...(input.kind === 'kinesis'
      ? { KinesisBatchInfo: batchInfo }
      : { DDBStreamBatchInfo: batchInfo }),
    payload: { Records: input.records.map((record) => record.eventRecord) },
  };
}

function isoWithMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/** DynamoDB Streams times are whole seconds, and Lambda prints them as such ("…T00:13:19Z"). */
function isoWithSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}
