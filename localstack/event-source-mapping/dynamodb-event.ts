// DynamoDB Streams GetRecords record → the record Lambda puts in a DynamoDB event. The SDK hands
// ApproximateCreationDateTime over as a Date and binary attributes as bytes; Lambda's event
// carries epoch seconds (the Streams API rounds down to the second) and AttributeValue JSON with
// base64 binaries. TTL deletions carry userIdentity {type: "Service", principalId:
// "dynamodb.amazonaws.com"}. Pure; validated against Powertools' DynamoDBStreamSchema in tests.
import type {
  AttributeValue as SdkAttributeValue,
  _Record as DynamoDBSdkRecord,
} from '@aws-sdk/client-dynamodb-streams';
import type { AttributeValue, DynamoDBRecord } from 'aws-lambda';
import { match, P } from 'ts-pattern';
import type { StreamRecord } from './ports';

export type LambdaAttributeMap = Record<string, AttributeValue>;

export interface DynamoDBRecordContext {
  readonly streamArn: string;
  readonly awsRegion: string;
  /** True when the local TTL sweeper deleted this item (a REMOVE made by the service). */
  readonly ttlDeletion: boolean;
}

export const TTL_USER_IDENTITY = {
  type: 'Service',
  principalId: 'dynamodb.amazonaws.com',
} as const;

export function toDynamoDBStreamRecord(
  record: DynamoDBSdkRecord,
  context: DynamoDBRecordContext,
): StreamRecord<DynamoDBRecord> {
  const change = required(record.dynamodb, 'dynamodb', context);
  const sequenceNumber = required(change.SequenceNumber, 'dynamodb.SequenceNumber', context);
  const created = required(
    change.ApproximateCreationDateTime,
    'dynamodb.ApproximateCreationDateTime',
    context,
  );
  const keys = toLambdaAttributeMap(required(change.Keys, 'dynamodb.Keys', context));
  const eventName = required(record.eventName, 'eventName', context);
  const streamRecord: NonNullable<DynamoDBRecord['dynamodb']> = {
    ApproximateCreationDateTime: Math.floor(created.getTime() / 1000),
    Keys: keys,
    ...(change.NewImage === undefined ? {} : { NewImage: toLambdaAttributeMap(change.NewImage) }),
    ...(change.OldImage === undefined ? {} : { OldImage: toLambdaAttributeMap(change.OldImage) }),
    SequenceNumber: sequenceNumber,
    SizeBytes: required(change.SizeBytes, 'dynamodb.SizeBytes', context),
    StreamViewType: required(change.StreamViewType, 'dynamodb.StreamViewType', context),
  };
  const identity = lambdaUserIdentity(record, context);
  const eventRecord: DynamoDBRecord = {
    eventID: required(record.eventID, 'eventID', context),
    eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: context.awsRegion,
    dynamodb: streamRecord,
    eventSourceARN: context.streamArn,
    ...(identity === undefined ? {} : { userIdentity: identity }),
  };
  return {
    sequenceNumber,
    orderingKey: itemKey(keys),
    arrivalMs: created.getTime(),
    eventRecord,
    payloadBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
  };
}

/** A stable string for an item's key, whatever order the attributes came in. */
export function itemKey(keys: LambdaAttributeMap): string {
  return JSON.stringify(
    Object.keys(keys)
      .sort()
      .map((name) => [name, keys[name]]),
  );
}

function lambdaUserIdentity(
  record: DynamoDBSdkRecord,
  context: DynamoDBRecordContext,
): { type: string; principalId: string } | undefined {
  if (record.userIdentity?.Type !== undefined && record.userIdentity.PrincipalId !== undefined) {
    return { type: record.userIdentity.Type, principalId: record.userIdentity.PrincipalId };
  }
  return context.ttlDeletion && record.eventName === 'REMOVE'
    ? { ...TTL_USER_IDENTITY }
    : undefined;
}

export function toLambdaAttributeMap(map: Record<string, SdkAttributeValue>): LambdaAttributeMap {
  return Object.fromEntries(
    Object.entries(map).map(([name, value]) => [name, toLambdaAttributeValue(value)]),
  );
}

/** SDK AttributeValue (binary as bytes) → the JSON form Lambda delivers (binary as base64). */
export function toLambdaAttributeValue(value: SdkAttributeValue): AttributeValue {
  return (
    match(value)
      .with({ S: P.string }, ({ S }) => ({ S }))
      .with({ N: P.string }, ({ N }) => ({ N }))
      .with({ B: P.instanceOf(Uint8Array) }, ({ B }) => ({ B: base64(B) }))
      .with({ BOOL: P.boolean }, ({ BOOL }) => ({ BOOL }))
      .with({ NULL: P.boolean }, ({ NULL }) => ({ NULL }))
      .with({ SS: P.array(P.string) }, ({ SS }) => ({ SS }))
      .with({ NS: P.array(P.string) }, ({ NS }) => ({ NS }))
      .with({ BS: P.array(P.instanceOf(Uint8Array)) }, ({ BS }) => ({ BS: BS.map(base64) }))
      .with({ L: P.array() }, ({ L }) => ({ L: L.map(toLambdaAttributeValue) }))
      .with({ M: P.nonNullable }, ({ M }) => ({ M: toLambdaAttributeMap(M) }))
      // DynamoDB Local 3.x writes an empty map into stream images as `{}` instead of `{"M":{}}`
      // (measured: an item with `m: {M: {}}` streams as `"m":{}`; `{"L":[]}` is kept). No other
      // attribute value can be empty, so `{}` can only be that map; AWS sends `{"M":{}}`.
      .when(
        (candidate) => Object.keys(candidate).length === 0,
        () => ({ M: {} }),
      )
      .otherwise((unknown) => {
        throw new TypeError(
          `DynamoDB Streams returned an attribute value of an unknown type: ${JSON.stringify(unknown)}; expected one of S, N, B, BOOL, NULL, SS, NS, BS, L, M`,
        );
      })
  );
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function required<T>(value: T | undefined, field: string, context: DynamoDBRecordContext): T {
  if (value === undefined) {
    throw new TypeError(
      `DynamoDB Streams returned a record without ${field} on ${context.streamArn}; expected every record to carry it`,
    );
  }
  return value;
}
