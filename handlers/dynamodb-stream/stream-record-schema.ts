/**
 * The record Lambda delivers from a DynamoDB stream (`event.Records[]`), as far as the processor
 * relies on it. Images stay opaque here: they are unmarshalled and then parsed with the table's
 * item schema. Extra members are allowed, as Lambda adds fields over time. Cross-checked against
 * AWS's own schema (Powertools' DynamoDBStreamRecord) in the tests.
 */
import { Type, type Static } from '@sinclair/typebox';

const AttributeMap = Type.Record(Type.String(), Type.Unknown());

export const STREAM_EVENT_NAMES = ['INSERT', 'MODIFY', 'REMOVE'] as const;

export const DynamoDBStreamRecordSchema = Type.Object({
  eventID: Type.String({ minLength: 1 }),
  eventName: Type.Union(STREAM_EVENT_NAMES.map((name) => Type.Literal(name))),
  eventSource: Type.Literal('aws:dynamodb'),
  eventSourceARN: Type.String({ minLength: 1 }),
  dynamodb: Type.Object({
    /** Epoch seconds (the SDK's Date becomes a number in Lambda's event). */
    ApproximateCreationDateTime: Type.Number({ minimum: 0 }),
    Keys: AttributeMap,
    NewImage: Type.Optional(AttributeMap),
    OldImage: Type.Optional(AttributeMap),
    SequenceNumber: Type.String({ minLength: 1 }),
  }),
  userIdentity: Type.Optional(Type.Object({ type: Type.String(), principalId: Type.String() })),
});

export type DynamoDBStreamRecord = Static<typeof DynamoDBStreamRecordSchema>;

/** Lambda's invocation event; each record is parsed on its own so one bad record fails alone. */
export const DynamoDBStreamEventSchema = Type.Object({
  Records: Type.Array(Type.Unknown()),
});

/** The identity DynamoDB TTL deletions carry (DESIGN.md section 5). */
export const TTL_PRINCIPAL = { type: 'Service', principalId: 'dynamodb.amazonaws.com' } as const;
