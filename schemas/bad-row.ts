/**
 * A bad row: a record that can never succeed, kept with its reason and its original payload so
 * nothing is silently dropped (DESIGN.md invariant 1 and 4).
 */
import { Type, type Static } from '@sinclair/typebox';

export const BAD_ROW_REASONS = [
  /** Kinesis data is not valid base64. */
  'not_base64',
  /** Bytes are not valid UTF-8. */
  'not_utf8',
  /** Text is not JSON. */
  'not_json',
  /** JSON does not match the edge record / event schema. */
  'schema',
  /** Larger than the contract allows (edge record or serialised event). */
  'too_large',
  /** Client timestamp too far in the future or past relative to arrival. */
  'ts_out_of_range',
  /** Another event of the same session already uses this `seq` (tracker contract broken). */
  'duplicate_seq',
  /**
   * DynamoDB refused the event's item as invalid (ValidationException: a value it cannot hold),
   * or the item could not be encoded at all: no retry would ever store it.
   */
  'unwritable',
  /** A stream record (DynamoDB Streams) that the processor cannot interpret. */
  'malformed_stream_record',
] as const;

export type BadRowReason = (typeof BAD_ROW_REASONS)[number];

export const RecordOriginSchema = Type.Union([
  Type.Object(
    {
      kind: Type.Literal('kinesis'),
      streamArn: Type.String(),
      shardId: Type.String(),
      sequenceNumber: Type.String(),
      /** Kinesis approximate arrival (ms): stable across redeliveries, so bad-row keys are too. */
      arrivedAt: Type.Integer(),
      partitionKey: Type.String(),
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      kind: Type.Literal('dynamodb-stream'),
      streamArn: Type.String(),
      eventId: Type.String(),
      sequenceNumber: Type.String(),
      arrivedAt: Type.Integer(),
    },
    { additionalProperties: false },
  ),
]);

export const BadRowSchema = Type.Object(
  {
    reason: Type.Union(BAD_ROW_REASONS.map((r) => Type.Literal(r))),
    /** Human-readable: what was received and what was expected. */
    message: Type.String(),
    /** Field-level problems (e.g. schema errors), when there are any. */
    details: Type.Optional(Type.Array(Type.String())),
    origin: RecordOriginSchema,
    /** The original payload, base64 so that invalid UTF-8 survives byte for byte. */
    payloadBase64: Type.String(),
    payloadBytes: Type.Integer({ minimum: 0 }),
    /** Best-effort attribution, when the payload was readable enough to say. */
    siteId: Type.Optional(Type.String()),
    eventId: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

export type RecordOrigin = Static<typeof RecordOriginSchema>;
export type BadRow = Static<typeof BadRowSchema>;
