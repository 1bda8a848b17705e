import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../handlers/env-names';
import { PROCESSOR_MAPPING_SETTINGS, resourceNames } from '../resources';
import { ProcessorFunction, type ProcessorFunctionProps } from './processor-function';
import { dataFixture } from './test-support/data-fixture';
import {
  expectBundledHandler,
  expectStreamMapping,
  ownNagFindings,
} from './test-support/function-checks';

const STAGE = 'processor-test';

function synth(props: Partial<ProcessorFunctionProps> = {}, app = new App()): Template {
  const stack = new Stack(app, 'ProcessorTest');
  const data = dataFixture(stack, STAGE);
  new ProcessorFunction(stack, 'Processor', {
    sessionsTable: data.tables.sessions,
    activeSessionsTable: data.tables.activeSessions,
    badRowsTable: data.tables.badRows,
    failureBucket: data.buckets.failures,
    code: { kind: 'prebuilt', dir: __dirname },
    ...props,
  });
  return Template.fromStack(stack);
}

describe('ProcessorFunction', () => {
  const template = synth();

  test('runs nodejs22.x with 256 MB and 30 s', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      MemorySize: 256,
      Timeout: 30,
    });
  });

  test('gets its tables, bucket and namespace through the shared env names', () => {
    const functions = template.findResources('AWS::Lambda::Function');
    const env = (
      Object.values(functions)[0] as {
        Properties: { Environment: { Variables: Record<string, unknown> } };
      }
    ).Properties.Environment.Variables;

    expect(Object.keys(env).sort()).toEqual(
      [
        ENV.sessionsTable,
        ENV.activeSessionsTable,
        ENV.badRowsTable,
        ENV.failureBucket,
        ENV.metricsNamespace,
      ].sort(),
    );
    expect(env[ENV.metricsNamespace]).toBe('LiveInsight');
  });

  test.each([
    ['Sessions', 'DataSessionsTable'],
    ['ActiveSessions', 'DataActiveSessionsTable'],
  ])(
    'maps the %s stream with the settings object the local mapping uses, S3 on failure',
    (_name, table) => {
      expectStreamMapping(
        template,
        { 'Fn::GetAtt': [Match.stringLikeRegexp(table), 'StreamArn'] },
        PROCESSOR_MAPPING_SETTINGS,
      );
    },
  );

  test('has exactly two mappings, one per stream', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
  });

  test('may read the two streams, write bad rows and put payload and on-failure objects: nothing more', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: { Action: unknown }[] } } })
          .Properties.PolicyDocument.Statement,
    );
    const actions = new Set(statements.flatMap((s) => [s.Action].flat() as string[]));
    expect([...actions].sort()).toEqual(
      [
        'dynamodb:BatchWriteItem',
        'dynamodb:DescribeStream',
        'dynamodb:GetRecords',
        'dynamodb:GetShardIterator',
        'dynamodb:ListStreams',
        'logs:CreateLogStream',
        'logs:PutLogEvents',
        's3:ListBucket',
        's3:PutObject',
        // Active X-Ray tracing (no resource-level permissions).
        'xray:PutTelemetryRecords',
        'xray:PutTraceSegments',
      ].sort(),
    );
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          {
            Action: 'dynamodb:BatchWriteItem',
            Effect: 'Allow',
            Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataBadRowsTable'), 'Arn'] },
          },
        ]),
      },
    });
    // The derivation never re-reads a table; EMF needs no cloudwatch:PutMetricData.
    expect(JSON.stringify(template.toJSON())).toContain(resourceNames(STAGE).tables.badRows);
  });

  test('refuses out-of-range settings and names with the value received', () => {
    expect(() =>
      synth({
        mappingSettings: {
          processorFromActiveSessions: { ...PROCESSOR_MAPPING_SETTINGS, BatchSize: 20_000 },
        },
      }),
    ).toThrow('BatchSize is 20000 (expected an integer 1–10000)');
    expect(() => synth({ metricsNamespace: 'AWS/Lambda' })).toThrow(
      'metricsNamespace is "AWS/Lambda"',
    );
    expect(() => synth({ memorySize: 64 })).toThrow('memorySize is 64');
  });
});

test('passes the AwsSolutions checks of its own resources, with the exceptions stated', () => {
  expect(ownNagFindings('processor-nag-', (app) => synth({}, app))).toEqual([]);
});

test('bundles handlers/processor with esbuild at synth time, offline', () => {
  expectBundledHandler(synth({ code: { kind: 'bundle' } }));
});
