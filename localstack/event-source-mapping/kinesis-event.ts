// Kinesis GetRecords record → the record Lambda puts in a Kinesis event (DESIGN.md section 5):
// data base64, approximateArrivalTimestamp in epoch seconds with a fraction, eventID
// "shardId:sequenceNumber". Pure; validated against Powertools' KinesisDataStreamSchema in tests.
import type { _Record as KinesisSdkRecord } from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import type { StreamRecord } from './ports';

export interface KinesisRecordContext {
  readonly shardId: string;
  readonly streamArn: string;
  readonly awsRegion: string;
  /** The function's execution role, which Lambda reports as invokeIdentityArn. */
  readonly invokeIdentityArn: string;
}

export function toKinesisStreamRecord(
  record: KinesisSdkRecord,
  context: KinesisRecordContext,
): StreamRecord<KinesisStreamRecord> {
  const sequenceNumber = required(record.SequenceNumber, 'SequenceNumber', context);
  const partitionKey = required(record.PartitionKey, 'PartitionKey', context);
  const arrival = required(
    record.ApproximateArrivalTimestamp,
    'ApproximateArrivalTimestamp',
    context,
  );
  const data = required(record.Data, 'Data', context);
  const eventRecord: KinesisStreamRecord = {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey,
      sequenceNumber,
      data: Buffer.from(data).toString('base64'),
      approximateArrivalTimestamp: arrival.getTime() / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${context.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: context.invokeIdentityArn,
    awsRegion: context.awsRegion,
    eventSourceARN: context.streamArn,
  };
  return {
    sequenceNumber,
    orderingKey: partitionKey,
    arrivalMs: arrival.getTime(),
    eventRecord,
    payloadBytes: Buffer.byteLength(JSON.stringify(eventRecord)),
  };
}

function required<T>(value: T | undefined, field: string, context: KinesisRecordContext): T {
  if (value === undefined) {
    throw new TypeError(
      `Kinesis GetRecords returned a record without ${field} on ${context.shardId} of ${context.streamArn}; expected every record to carry it`,
    );
  }
  return value;
}
