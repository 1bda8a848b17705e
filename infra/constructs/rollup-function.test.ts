import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { liveAliasFunctionName } from './test-support/function-checks';
import { ENV } from '../../handlers/env-names';
import { ROLLUP_MAPPING_SETTINGS } from '../resources';
import { RollupFunction, type RollupFunctionProps } from './rollup-function';
import { dataFixture } from './test-support/data-fixture';
import {
  expectBundledHandler,
  expectStreamMapping,
  ownNagFindings,
} from './test-support/function-checks';

const STAGE = 'rollup-test';

function synth(props: Partial<RollupFunctionProps> = {}, app = new App()): Template {
  const stack = new Stack(app, 'RollupTest');
  const data = dataFixture(stack, STAGE);
  new RollupFunction(stack, 'Rollup', {
    activeSessionsTable: data.tables.activeSessions,
    realtimeRollupsTable: data.tables.realtimeRollups,
    failureBucket: data.buckets.failures,
    code: { kind: 'prebuilt', dir: __dirname },
    ...props,
  });
  return Template.fromStack(stack);
}

interface Statement {
  readonly Action: string | string[];
  readonly Effect: string;
  readonly Resource: unknown;
}

/** Every statement of the function role's policies, one action per entry, sorted. */
function grants(template: Template): { action: string; resource: string }[] {
  const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
    (policy) =>
      (policy as { Properties: { PolicyDocument: { Statement: Statement[] } } }).Properties
        .PolicyDocument.Statement,
  );
  return statements
    .flatMap((s) => {
      expect(s.Effect).toBe('Allow');
      return [s.Action].flat().flatMap((action) =>
        [s.Resource].flat().map((resource) => ({
          action,
          // Logical ids carry a hash suffix; keep the readable part.
          resource: JSON.stringify(resource).replace(/([A-Za-z]+?)[0-9A-F]{8}\b/g, '$1'),
        })),
      );
    })
    .sort((a, b) => `${a.action} ${a.resource}`.localeCompare(`${b.action} ${b.resource}`));
}

describe('RollupFunction', () => {
  const template = synth();

  test('runs nodejs22.x on x86_64 with 256 MB and 30 s, logging to its own group', () => {
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs22.x',
      Architectures: ['x86_64'],
      MemorySize: 256,
      Timeout: 30,
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^RollupLogs') } },
    });
  });

  test('gets exactly the rollups and ActiveSessions table names through the shared env names', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: {
          [ENV.realtimeRollupsTable]: { Ref: Match.stringLikeRegexp('^DataRealtimeRollupsTable') },
          [ENV.activeSessionsTable]: { Ref: Match.stringLikeRegexp('^DataActiveSessionsTable') },
        },
      },
    });
  });

  test('maps the ActiveSessions stream with ROLLUP_MAPPING_SETTINGS, S3 on failure', () => {
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    expectStreamMapping(
      template,
      { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataActiveSessionsTable'), 'StreamArn'] },
      ROLLUP_MAPPING_SETTINGS,
      { FunctionName: liveAliasFunctionName('RollupFunction') },
    );
  });

  test('deploys no bisection and no batching window (a retry restarts at the chunk’s first record)', () => {
    // Literal values, so that a change of ROLLUP_MAPPING_SETTINGS itself is noticed here too.
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BisectBatchOnFunctionError: false,
      MaximumBatchingWindowInSeconds: 0,
    });
  });

  test('may read the ActiveSessions stream, write rollups, read a chunk marker and put on-failure objects: nothing more', () => {
    const rollups = '{"Fn::GetAtt":["DataRealtimeRollupsTable","Arn"]}';
    const stream = '{"Fn::GetAtt":["DataActiveSessionsTable","StreamArn"]}';
    const bucket = '{"Fn::GetAtt":["DataFailuresBucket","Arn"]}';
    const onFailureObjects = `{"Fn::Join":["",[${bucket},"/aws/lambda/*"]]}`;
    const logs = '{"Fn::GetAtt":["RollupLogs","Arn"]}';

    expect(grants(template)).toEqual([
      { action: 'dynamodb:DescribeStream', resource: stream },
      { action: 'dynamodb:GetItem', resource: rollups },
      { action: 'dynamodb:GetRecords', resource: stream },
      { action: 'dynamodb:GetShardIterator', resource: stream },
      { action: 'dynamodb:ListStreams', resource: '"*"' },
      { action: 'dynamodb:PutItem', resource: rollups },
      { action: 'dynamodb:UpdateItem', resource: rollups },
      { action: 'logs:CreateLogStream', resource: logs },
      { action: 'logs:PutLogEvents', resource: logs },
      { action: 's3:ListBucket', resource: bucket },
      { action: 's3:PutObject', resource: onFailureObjects },
      // Active X-Ray tracing (no resource-level permissions).
      { action: 'xray:PutTelemetryRecords', resource: '"*"' },
      { action: 'xray:PutTraceSegments', resource: '"*"' },
    ]);
  });

  test('refuses out-of-range settings and memory, naming the value received', () => {
    expect(() =>
      synth({ mappingSettings: { ...ROLLUP_MAPPING_SETTINGS, MaximumRecordAgeInSeconds: 30 } }),
    ).toThrow(
      'rollup event source mapping rollupFromActiveSessions: MaximumRecordAgeInSeconds is 30',
    );
    expect(() => synth({ memorySize: 64 })).toThrow('memorySize is 64');
  });
});

test('passes the AwsSolutions checks of its own resources, with the exceptions stated', () => {
  expect(ownNagFindings('rollup-nag-', (app) => synth({}, app))).toEqual([]);
});

test('bundles handlers/rollup with esbuild at synth time, offline', () => {
  expectBundledHandler(synth({ code: { kind: 'bundle' } }));
});
