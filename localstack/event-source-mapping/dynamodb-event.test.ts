// DynamoDB stream events built locally match Lambda's shape, checked against AWS's own schema
// (Powertools' DynamoDBStreamSchema).
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import type { _Record } from '@aws-sdk/client-dynamodb-streams';
import { itemKey, toDynamoDBStreamRecord, TTL_USER_IDENTITY } from './dynamodb-event';

const STREAM_ARN =
  'arn:aws:dynamodb:us-east-1:000000000000:table/ActiveSessions/stream/2025-01-01T00:00:00.000';
const context = { streamArn: STREAM_ARN, awsRegion: 'us-east-1', ttlDeletion: false };

function sdkRecord(overrides: Partial<_Record> = {}): _Record {
  return {
    eventID: 'c4ca4238a0b923820dcc509a6f75849b',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ddblocal',
    dynamodb: {
      ApproximateCreationDateTime: new Date('2025-01-02T03:04:05.000Z'),
      Keys: { pk: { S: 'site#1' }, sk: { N: '7' } },
      NewImage: {
        pk: { S: 'site#1' },
        sk: { N: '7' },
        blob: { B: Uint8Array.from([1, 2, 3]) },
        tags: { SS: ['a', 'b'] },
        blobs: { BS: [Uint8Array.from([9])] },
        nested: {
          M: {
            list: {
              L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { B: Uint8Array.from([255]) }],
            },
          },
        },
        nums: { NS: ['1', '2'] },
      },
      OldImage: { pk: { S: 'site#1' }, sk: { N: '7' } },
      SequenceNumber: '000000000000000000042',
      SizeBytes: 123,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...overrides,
  };
}

test('builds the record Lambda delivers: epoch seconds, AttributeValue JSON with base64 binaries, the stream ARN', () => {
  const built = toDynamoDBStreamRecord(sdkRecord(), context);

  expect(built.eventRecord).toEqual({
    eventID: 'c4ca4238a0b923820dcc509a6f75849b',
    eventName: 'MODIFY',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    dynamodb: {
      ApproximateCreationDateTime: 1735787045,
      Keys: { pk: { S: 'site#1' }, sk: { N: '7' } },
      NewImage: {
        pk: { S: 'site#1' },
        sk: { N: '7' },
        blob: { B: 'AQID' },
        tags: { SS: ['a', 'b'] },
        blobs: { BS: ['CQ=='] },
        nested: {
          M: { list: { L: [{ N: '1' }, { NULL: true }, { BOOL: false }, { B: '/w==' }] } },
        },
        nums: { NS: ['1', '2'] },
      },
      OldImage: { pk: { S: 'site#1' }, sk: { N: '7' } },
      SequenceNumber: '000000000000000000042',
      SizeBytes: 123,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    eventSourceARN: STREAM_ARN,
  });
  expect(built).toMatchObject({
    sequenceNumber: '000000000000000000042',
    arrivalMs: 1735787045000,
  });
  const parsed = DynamoDBStreamSchema.parse({ Records: [built.eventRecord] });
  expect(parsed.Records[0]?.dynamodb.Keys).toEqual({ pk: 'site#1', sk: 7 });
});

test('rounds ApproximateCreationDateTime down to whole seconds, as the Streams API does', () => {
  const record = sdkRecord();
  const built = toDynamoDBStreamRecord(
    {
      ...record,
      dynamodb: { ...record.dynamodb, ApproximateCreationDateTime: new Date(1735787045999) },
    },
    context,
  );
  expect(built.eventRecord.dynamodb?.ApproximateCreationDateTime).toBe(1735787045);
});

test('omits absent images (KEYS_ONLY) and still passes the schema', () => {
  const built = toDynamoDBStreamRecord(
    sdkRecord({
      eventName: 'INSERT',
      dynamodb: {
        ApproximateCreationDateTime: new Date(0),
        Keys: { pk: { S: 'x' } },
        SequenceNumber: '1',
        SizeBytes: 5,
        StreamViewType: 'KEYS_ONLY',
      },
    }),
    context,
  );
  expect(built.eventRecord.dynamodb).not.toHaveProperty('NewImage');
  expect(built.eventRecord.dynamodb).not.toHaveProperty('OldImage');
  expect(DynamoDBStreamSchema.safeParse({ Records: [built.eventRecord] }).success).toBe(true);
});

test('stamps the service identity on REMOVE records that the TTL sweeper caused, and only on those', () => {
  const remove = sdkRecord({ eventName: 'REMOVE' });
  const ttl = toDynamoDBStreamRecord(remove, { ...context, ttlDeletion: true });
  expect(ttl.eventRecord.userIdentity).toEqual(TTL_USER_IDENTITY);
  expect(
    DynamoDBStreamSchema.parse({ Records: [ttl.eventRecord] }).Records[0]?.userIdentity,
  ).toEqual({
    type: 'Service',
    principalId: 'dynamodb.amazonaws.com',
  });
  expect(toDynamoDBStreamRecord(remove, context).eventRecord).not.toHaveProperty('userIdentity');
  expect(
    toDynamoDBStreamRecord(sdkRecord(), { ...context, ttlDeletion: true }).eventRecord,
  ).not.toHaveProperty('userIdentity');
});

test('passes through a userIdentity that the stream itself reports', () => {
  const built = toDynamoDBStreamRecord(
    sdkRecord({
      eventName: 'REMOVE',
      userIdentity: { Type: 'Service', PrincipalId: 'dynamodb.amazonaws.com' },
    }),
    context,
  );
  expect(built.eventRecord.userIdentity).toEqual(TTL_USER_IDENTITY);
});

test('orders by item key: the same key in any attribute order gives the same ordering key', () => {
  expect(itemKey({ pk: { S: 'a' }, sk: { N: '1' } })).toBe(
    itemKey({ sk: { N: '1' }, pk: { S: 'a' } }),
  );
  expect(itemKey({ pk: { S: 'a' }, sk: { N: '1' } })).not.toBe(
    itemKey({ pk: { S: 'a' }, sk: { N: '2' } }),
  );
});

test('names the missing field of a malformed record', () => {
  const record = sdkRecord();
  expect(() =>
    toDynamoDBStreamRecord(
      { ...record, dynamodb: { ...record.dynamodb, SequenceNumber: undefined } },
      context,
    ),
  ).toThrow(/without dynamodb.SequenceNumber/);
});

test('reads an empty map that DynamoDB Local streamed as `{}` as the empty map AWS sends', () => {
  const record = sdkRecord({
    dynamodb: {
      ApproximateCreationDateTime: new Date('2025-01-02T03:04:05.000Z'),
      Keys: { pk: { S: 'site#1' } },
      // What DynamoDB Local 3.x's GetRecords answers for an attribute stored as {"M": {}}.
      NewImage: { pk: { S: 'site#1' }, pageviewMinutes: {} as never, list: { L: [] } },
      SequenceNumber: '000000000000000000001',
      SizeBytes: 40,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  });

  const event = toDynamoDBStreamRecord(record, context);

  expect(event.eventRecord.dynamodb?.NewImage).toEqual({
    pk: { S: 'site#1' },
    pageviewMinutes: { M: {} },
    list: { L: [] },
  });
});
