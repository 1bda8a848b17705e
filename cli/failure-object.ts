/**
 * An S3 on-failure object of a stream event-source mapping (Lambda's metadata document plus the
 * whole invocation payload, localstack/event-source-mapping/s3-failure-destination.ts). The
 * consumer's carry `KinesisBatchInfo` and Kinesis records; the processor's and the rollup's share
 * the bucket and carry `DDBStreamBatchInfo` — not the consumer's to replay.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import type { KinesisInputRecord } from '../pipeline/kinesis-record';

const KinesisRecordSchema = Type.Object({
  eventID: Type.String(),
  eventSourceARN: Type.String(),
  kinesis: Type.Object({
    data: Type.String(),
    sequenceNumber: Type.String(),
    partitionKey: Type.String(),
    approximateArrivalTimestamp: Type.Number(),
  }),
});

const BatchInfoSchema = Type.Object({ shardId: Type.String(), batchSize: Type.Number() });

const FailureDocumentSchema = Type.Object({
  requestContext: Type.Object({ condition: Type.String() }),
  KinesisBatchInfo: Type.Optional(BatchInfoSchema),
  DDBStreamBatchInfo: Type.Optional(BatchInfoSchema),
  /** AWS documents `"payload": "<Whole Event>"`: the event object, or its JSON text. */
  payload: Type.Union([Type.String(), Type.Object({ Records: Type.Array(Type.Unknown()) })]),
});

export type FailureObject =
  | {
      readonly kind: 'kinesis';
      readonly condition: string;
      readonly shardId: string;
      readonly records: readonly KinesisInputRecord[];
    }
  | { readonly kind: 'other'; readonly description: string };

export class FailureObjectError extends Error {
  override readonly name = 'FailureObjectError';
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new FailureObjectError(
      `${what} is not JSON (received ${JSON.stringify(text.slice(0, 120))}…; expected a Lambda on-failure record)`,
      { cause: error },
    );
  }
}

function firstError(schema: Parameters<typeof Value.Errors>[0], value: unknown): string {
  const error = Value.Errors(schema, value).First();
  return error === undefined ? 'unknown' : `${error.path || '/'}: ${error.message}`;
}

export function parseFailureObject(text: string, key: string): FailureObject {
  const document = parseJson(text, `object ${key}`);
  if (!Value.Check(FailureDocumentSchema, document)) {
    throw new FailureObjectError(
      `object ${key} is not a Lambda on-failure record with its payload (${firstError(FailureDocumentSchema, document)})`,
    );
  }
  if (document.KinesisBatchInfo === undefined) {
    return {
      kind: 'other',
      description:
        document.DDBStreamBatchInfo === undefined
          ? 'no batch info'
          : `DynamoDB stream batch of ${document.DDBStreamBatchInfo.shardId} (processor or rollup)`,
    };
  }
  const payload =
    typeof document.payload === 'string'
      ? parseJson(document.payload, `payload of ${key}`)
      : document.payload;
  const records =
    payload !== null && typeof payload === 'object'
      ? (payload as { Records?: unknown }).Records
      : undefined;
  if (!Array.isArray(records)) {
    throw new FailureObjectError(`object ${key}: payload has no Records array`);
  }
  records.forEach((record, index) => {
    if (!Value.Check(KinesisRecordSchema, record)) {
      throw new FailureObjectError(
        `object ${key}: payload.Records[${index}] is not a Kinesis record (${firstError(KinesisRecordSchema, record)})`,
      );
    }
  });
  return {
    kind: 'kinesis',
    condition: document.requestContext.condition,
    shardId: document.KinesisBatchInfo.shardId,
    records: records as Static<typeof KinesisRecordSchema>[],
  };
}
