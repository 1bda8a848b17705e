// Kinesis events built locally match Lambda's shape, checked against AWS's own schema
// (Powertools' KinesisDataStreamSchema) rather than against our own idea of it.
import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import { toKinesisStreamRecord } from './kinesis-event';

const context = {
  shardId: 'shardId-000000000003',
  streamArn: 'arn:aws:kinesis:eu-west-1:123456789012:stream/events',
  awsRegion: 'eu-west-1',
  invokeIdentityArn: 'arn:aws:iam::123456789012:role/consumer',
};
const SEQ = '49590338271490256608559692538361571095921575989136588898';

test('builds the record Lambda delivers: base64 data, arrival in epoch seconds with a fraction, shard-qualified eventID', () => {
  const body = JSON.stringify({ siteId: 's1', events: [{ type: 'pageview' }] });
  const built = toKinesisStreamRecord(
    {
      SequenceNumber: SEQ,
      PartitionKey: 'session-42',
      Data: new TextEncoder().encode(body),
      ApproximateArrivalTimestamp: new Date('2025-01-02T03:04:05.678Z'),
    },
    context,
  );

  expect(built.eventRecord).toEqual({
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: 'session-42',
      sequenceNumber: SEQ,
      data: Buffer.from(body).toString('base64'),
      approximateArrivalTimestamp: 1735787045.678,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `shardId-000000000003:${SEQ}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: context.invokeIdentityArn,
    awsRegion: 'eu-west-1',
    eventSourceARN: context.streamArn,
  });
  expect(built).toMatchObject({
    sequenceNumber: SEQ,
    orderingKey: 'session-42',
    arrivalMs: 1735787045678,
  });
  expect(built.payloadBytes).toBe(Buffer.byteLength(JSON.stringify(built.eventRecord)));

  const parsed = KinesisDataStreamSchema.parse({ Records: [built.eventRecord] });
  expect(parsed.Records[0]?.kinesis.data).toEqual(JSON.parse(body)); // Powertools decodes base64 JSON
});

test('keeps binary payloads byte for byte', () => {
  const bytes = Uint8Array.from([0, 255, 1, 128, 10]);
  const built = toKinesisStreamRecord(
    {
      SequenceNumber: SEQ,
      PartitionKey: 'k',
      Data: bytes,
      ApproximateArrivalTimestamp: new Date(0),
    },
    context,
  );
  expect(Buffer.from(built.eventRecord.kinesis.data, 'base64')).toEqual(Buffer.from(bytes));
  expect(KinesisDataStreamSchema.safeParse({ Records: [built.eventRecord] }).success).toBe(true);
});

test('names the missing field of a malformed GetRecords record', () => {
  expect(() =>
    toKinesisStreamRecord(
      { SequenceNumber: SEQ, Data: new Uint8Array(), ApproximateArrivalTimestamp: new Date() },
      context,
    ),
  ).toThrow(/without PartitionKey on shardId-000000000003/);
});
