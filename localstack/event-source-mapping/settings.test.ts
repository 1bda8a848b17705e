// Lambda's names, defaults and ranges for stream event-source-mapping settings.
import { CONSUMER_MAPPING_SETTINGS, PROCESSOR_MAPPING_SETTINGS } from '../../infra/resources';
import { EventSourceMappingConfigError } from './errors';
import { resolveSettings, type EventSourceMappingSettingsInput } from './settings';

test('applies Lambda defaults and turns -1 into infinity', () => {
  expect(resolveSettings({ StartingPosition: 'LATEST' }, 'kinesis')).toEqual({
    batchSize: 100,
    batchingWindowMs: 0,
    parallelizationFactor: 1,
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: Infinity,
    maximumRecordAgeMs: Infinity,
    reportBatchItemFailures: false,
    startingPosition: { type: 'LATEST' },
    onFailureDestinationArn: undefined,
  });
});

test('reads every setting under its Lambda name', () => {
  const resolved = resolveSettings(
    {
      BatchSize: 500,
      MaximumBatchingWindowInSeconds: 2,
      ParallelizationFactor: 4,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 3,
      MaximumRecordAgeInSeconds: 3600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'AT_TIMESTAMP',
      StartingPositionTimestamp: 1_700_000_000,
      DestinationConfig: { OnFailure: { Destination: 'arn:aws:s3:::failed-batches' } },
    },
    'kinesis',
  );
  expect(resolved).toEqual({
    batchSize: 500,
    batchingWindowMs: 2000,
    parallelizationFactor: 4,
    bisectBatchOnFunctionError: true,
    maximumRetryAttempts: 3,
    maximumRecordAgeMs: 3_600_000,
    reportBatchItemFailures: true,
    startingPosition: { type: 'AT_TIMESTAMP', timestampMs: 1_700_000_000_000 },
    onFailureDestinationArn: 'arn:aws:s3:::failed-batches',
  });
});

test.each([
  ['BatchSize', 0],
  ['BatchSize', 10_001],
  ['BatchSize', 1.5],
  ['MaximumBatchingWindowInSeconds', 301],
  ['MaximumBatchingWindowInSeconds', -1],
  ['ParallelizationFactor', 11],
  ['ParallelizationFactor', 0],
  ['MaximumRetryAttempts', -2],
  ['MaximumRetryAttempts', 10_001],
  ['MaximumRecordAgeInSeconds', 59],
  ['MaximumRecordAgeInSeconds', 0],
  ['MaximumRecordAgeInSeconds', 604_801],
  ['FunctionResponseTypes', ['ReportItemFailures']],
  ['TumblingWindowInSeconds', 30],
])('rejects %s = %j, naming the setting and the value', (field, value) => {
  const attempt = () => resolveSettings({ StartingPosition: 'LATEST', [field]: value }, 'kinesis');
  expect(attempt).toThrow(EventSourceMappingConfigError);
  expect(attempt).toThrow(field);
});

test('accepts the ends of each range', () => {
  expect(() =>
    resolveSettings(
      {
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 10_000,
        MaximumBatchingWindowInSeconds: 300,
        ParallelizationFactor: 10,
        MaximumRetryAttempts: 10_000,
        MaximumRecordAgeInSeconds: 604_800,
      },
      'dynamodb',
    ),
  ).not.toThrow();
  expect(() =>
    resolveSettings(
      {
        StartingPosition: 'TRIM_HORIZON',
        BatchSize: 1,
        MaximumRetryAttempts: 0,
        MaximumRecordAgeInSeconds: 60,
      },
      'kinesis',
    ),
  ).not.toThrow();
});

test('rejects a missing StartingPosition', () => {
  expect(() => resolveSettings({ BatchSize: 10 }, 'kinesis')).toThrow(/StartingPosition/);
});

test('AT_TIMESTAMP needs a timestamp, is Kinesis-only, and the timestamp needs AT_TIMESTAMP', () => {
  expect(() => resolveSettings({ StartingPosition: 'AT_TIMESTAMP' }, 'kinesis')).toThrow(
    /needs StartingPositionTimestamp/,
  );
  expect(() =>
    resolveSettings({ StartingPosition: 'AT_TIMESTAMP', StartingPositionTimestamp: 1 }, 'dynamodb'),
  ).toThrow(/not supported for DynamoDB Streams/);
  expect(() =>
    resolveSettings({ StartingPosition: 'LATEST', StartingPositionTimestamp: 1 }, 'kinesis'),
  ).toThrow(/only valid with StartingPosition AT_TIMESTAMP/);
});

test('takes the settings objects of infra/resources.ts as they are (the ones CDK deploys)', () => {
  const consumer: EventSourceMappingSettingsInput = CONSUMER_MAPPING_SETTINGS;
  const processor: EventSourceMappingSettingsInput = PROCESSOR_MAPPING_SETTINGS;
  expect(resolveSettings(consumer, 'kinesis')).toMatchObject({
    batchSize: CONSUMER_MAPPING_SETTINGS.BatchSize,
    parallelizationFactor: CONSUMER_MAPPING_SETTINGS.ParallelizationFactor,
    reportBatchItemFailures: true,
  });
  expect(() => resolveSettings(processor, 'dynamodb')).not.toThrow();
});
