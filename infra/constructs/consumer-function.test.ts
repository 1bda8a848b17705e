import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../handlers/env-names';
import { CONSUMER_MAPPING_SETTINGS, resourceNames } from '../resources';
import { ConsumerFunction, type ConsumerFunctionProps } from './consumer-function';
import { dataFixture } from './test-support/data-fixture';
import { nagCheckedApp, nagFindings } from './test-support/nag-report';

const STAGE = 'consumer-test';

function synth(props: Partial<ConsumerFunctionProps> = {}, app = new App()): Template {
  const stack = new Stack(app, 'ConsumerTest');
  const data = dataFixture(stack, STAGE);
  new ConsumerFunction(stack, 'Consumer', {
    eventsStream: data.eventsStream,
    eventsTable: data.tables.events,
    sessionsTable: data.tables.sessions,
    activeSessionsTable: data.tables.activeSessions,
    badRowsTable: data.tables.badRows,
    failureBucket: data.buckets.failures,
    code: { kind: 'prebuilt', dir: __dirname },
    ...props,
  });
  return Template.fromStack(stack);
}

describe('ConsumerFunction', () => {
  const template = synth({ reservedConcurrentExecutions: 4 });

  test('runs nodejs22.x with 512 MB, 15 s and the reserved concurrency asked for', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      MemorySize: 512,
      Timeout: 15,
      ReservedConcurrentExecutions: 4,
    });
  });

  test('gets every table, the bucket and the salt secret through the shared env names', () => {
    const names = resourceNames(STAGE).tables;
    const variables = template.findResources('AWS::Lambda::Function');
    const env = (
      Object.values(variables)[0] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      }
    ).Properties.Environment.Variables;

    expect(Object.keys(env).sort()).toEqual(
      [
        ENV.eventsTable,
        ENV.sessionsTable,
        ENV.activeSessionsTable,
        ENV.badRowsTable,
        ENV.failureBucket,
        ENV.activeSessionShards,
        ENV.visitorSaltSecret,
        'NODE_OPTIONS',
      ].sort(),
    );
    // The heap setting bench:hot-path measures the pipeline with.
    expect(env['NODE_OPTIONS']).toBe('--max-semi-space-size=32');
    expect(JSON.stringify(env)).toContain('resolve:secretsmanager');
    expect(JSON.stringify(template.toJSON())).toContain(names.events);
  });

  test('maps Kinesis with the settings object the local mapping uses, S3 on failure', () => {
    const s = CONSUMER_MAPPING_SETTINGS;
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: Match.anyValue(),
      BatchSize: s.BatchSize,
      MaximumBatchingWindowInSeconds: s.MaximumBatchingWindowInSeconds,
      ParallelizationFactor: s.ParallelizationFactor,
      BisectBatchOnFunctionError: s.BisectBatchOnFunctionError,
      MaximumRetryAttempts: s.MaximumRetryAttempts,
      MaximumRecordAgeInSeconds: s.MaximumRecordAgeInSeconds,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: s.StartingPosition,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataFailuresBucket'), 'Arn'] },
        },
      },
    });
  });

  test('is granted exactly the calls it makes: no deletes, no indexes, no secret reads', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    for (const action of [
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      'dynamodb:GetItem',
      's3:PutObject',
      's3:ListBucket',
      'kinesis:GetRecords',
      'logs:PutLogEvents',
    ]) {
      expect(policies).toContain(action);
    }
    for (const absent of [
      'dynamodb:DeleteItem',
      '/index/*',
      'secretsmanager:',
      's3:GetObject',
      's3:Delete',
    ]) {
      expect(policies).not.toContain(absent);
    }
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain(
      'AWSLambdaBasicExecutionRole',
    );
  });

  test('infinite retries and record age (-1) leave CDK defaults unset', () => {
    const infinite = synth({
      mappingSettings: {
        ...CONSUMER_MAPPING_SETTINGS,
        MaximumRetryAttempts: -1,
        MaximumRecordAgeInSeconds: -1,
      },
    });
    infinite.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      MaximumRetryAttempts: Match.absent(),
      MaximumRecordAgeInSeconds: Match.absent(),
    });
  });

  test('refuses out-of-range settings with the value received', () => {
    expect(() =>
      synth({ mappingSettings: { ...CONSUMER_MAPPING_SETTINGS, BatchSize: 20_000 } }),
    ).toThrow('BatchSize is 20000 (expected an integer 1–10000)');
    expect(() => synth({ reservedConcurrentExecutions: 0 })).toThrow(
      'reservedConcurrentExecutions is 0',
    );
    expect(() => synth({ timeout: Duration.seconds(15), memorySize: 64 })).toThrow(
      'memorySize is 64',
    );
  });
});

test('bundles handlers/consumer with esbuild at synth time, offline', () => {
  const template = synth({ code: { kind: 'bundle' } });

  template.hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'index.handler',
    Runtime: 'nodejs22.x',
  });
});

test('passes the AwsSolutions checks of its own resources, with the exceptions stated', () => {
  const { app, outdir } = nagCheckedApp('consumer-nag-');

  expect(() => synth({}, app)).not.toThrow();
  const findings = nagFindings(outdir).filter((finding) => !finding.includes('/Data/'));
  expect(findings).toEqual([]);
});
