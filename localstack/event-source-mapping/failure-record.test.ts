// Lambda's on-failure document for Kinesis and DynamoDB Streams, plus the records for S3.
import { buildFailureRecord } from './failure-record';
import type { StreamRecord } from './ports';

const record = (sequenceNumber: string, arrivalMs: number): StreamRecord => ({
  sequenceNumber,
  orderingKey: 'k',
  arrivalMs,
  eventRecord: { seq: sequenceNumber },
  payloadBytes: 10,
});

const base = {
  requestId: 'req-1',
  functionArn: 'arn:aws:lambda:us-east-1:000000000000:function:consumer',
  approximateInvokeCount: 4,
  timestampMs: Date.parse('2025-01-02T03:04:05.678Z'),
  shardId: 'shardId-1',
  streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
  records: [
    record('11', Date.parse('2025-01-02T03:00:00.123Z')),
    record('12', Date.parse('2025-01-02T03:00:01.456Z')),
  ],
};

test('Kinesis: KinesisBatchInfo with millisecond arrival times, response context, payload', () => {
  const document = buildFailureRecord({
    ...base,
    kind: 'kinesis',
    condition: 'RetryAttemptsExhausted',
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
  });
  expect(document).toEqual({
    requestContext: {
      requestId: 'req-1',
      functionArn: base.functionArn,
      condition: 'RetryAttemptsExhausted',
      approximateInvokeCount: 4,
    },
    responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
    version: '1.0',
    timestamp: '2025-01-02T03:04:05.678Z',
    KinesisBatchInfo: {
      shardId: 'shardId-1',
      startSequenceNumber: '11',
      endSequenceNumber: '12',
      approximateArrivalOfFirstRecord: '2025-01-02T03:00:00.123Z',
      approximateArrivalOfLastRecord: '2025-01-02T03:00:01.456Z',
      batchSize: 2,
      streamArn: base.streamArn,
    },
    payload: { Records: [{ seq: '11' }, { seq: '12' }] },
  });
});

test('DynamoDB: DDBStreamBatchInfo with whole-second times; no responseContext for records never invoked', () => {
  const document = buildFailureRecord({
    ...base,
    kind: 'dynamodb',
    condition: 'RecordAgeExceeded',
    approximateInvokeCount: 0,
    responseContext: undefined,
  });
  expect(document).not.toHaveProperty('responseContext');
  expect(document).not.toHaveProperty('KinesisBatchInfo');
  expect(document.DDBStreamBatchInfo).toMatchObject({
    approximateArrivalOfFirstRecord: '2025-01-02T03:00:00Z',
    approximateArrivalOfLastRecord: '2025-01-02T03:00:01Z',
  });
  expect(document.requestContext).toMatchObject({
    condition: 'RecordAgeExceeded',
    approximateInvokeCount: 0,
  });
});

test('refuses an empty chunk', () => {
  expect(() =>
    buildFailureRecord({
      ...base,
      records: [],
      kind: 'kinesis',
      condition: 'RecordAgeExceeded',
      responseContext: undefined,
    }),
  ).toThrow(/received 0/);
});
