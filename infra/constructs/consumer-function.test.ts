import { App, Duration, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../../handlers/env-names';
import {
  CONSUMER_KINESIS_READER,
  CONSUMER_MAPPING_SETTINGS,
  EVENT_SOURCE_MAPPINGS,
  type KinesisReader,
  resourceNames,
} from '../resources';
import { ConsumerFunction, type ConsumerFunctionProps } from './consumer-function';
import { EFO_CONSUMER_ACTIONS, EFO_STREAM_ACTIONS } from './enhanced-fan-out-event-source';
import { dataFixture } from './test-support/data-fixture';
import {
  expectBundledHandler,
  expectStreamMapping,
  liveAliasFunctionName,
  ownNagFindings,
} from './test-support/function-checks';

const STAGE = 'consumer-test';
const CONSUMER_NAME = resourceNames(STAGE).eventsStreamConsumer;

const streamArn = { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataEventsStream'), 'Arn'] };
const consumerArn = {
  'Fn::GetAtt': [Match.stringLikeRegexp('^ConsumerEventsStreamConsumer'), 'ConsumerARN'],
};

interface PolicyStatement {
  readonly Action: string | readonly string[];
  readonly Resource: unknown;
}

/** `{ "Fn::GetAtt": ["LogicalId1234ABCD", "Attr"] }` as `LogicalId.Attr`; anything else as JSON. */
function resourceName(resource: unknown): string {
  const getAtt = (resource as { 'Fn::GetAtt'?: unknown } | null)?.['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string' && typeof getAtt[1] === 'string') {
    return `${getAtt[0].replace(/[0-9A-F]{8}$/, '')}.${getAtt[1]}`;
  }
  return JSON.stringify(resource);
}

/** Every IAM statement of the template that allows a Kinesis action: actions and resource. */
function kinesisStatements(template: Template): { actions: string[]; resource: string }[] {
  return Object.values(template.findResources('AWS::IAM::Policy'))
    .flatMap(
      (policy) =>
        (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } }).Properties
          .PolicyDocument.Statement,
    )
    .map((statement) => ({
      actions: [statement.Action].flat(),
      resource: resourceName(statement.Resource),
    }))
    .filter((statement) => statement.actions.some((action) => action.startsWith('kinesis:')));
}

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
    streamConsumerName: CONSUMER_NAME,
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
        ENV.siteShards,
        ENV.visitorSaltSecretArn,
        'NODE_OPTIONS',
      ].sort(),
    );
    // The heap setting bench:hot-path measures the pipeline with.
    expect(env['NODE_OPTIONS']).toBe('--max-semi-space-size=32');
    // The salt secret's ARN, read at runtime: never its value (no dynamic reference).
    expect(env[ENV.visitorSaltSecretArn]).toEqual({
      Ref: expect.stringMatching(/^ConsumerVisitorSaltSecret/) as unknown,
    });
    expect(JSON.stringify(template.toJSON())).not.toContain('resolve:secretsmanager');
    expect(JSON.stringify(template.toJSON())).toContain(names.events);
  });

  test('maps Kinesis with the settings object the local mapping uses, S3 on failure', () => {
    expectStreamMapping(template, consumerArn, CONSUMER_MAPPING_SETTINGS);
  });

  test('reads the stream through the enhanced fan-out consumer of the consumer mapping', () => {
    // The default follows the definition the local mapping reads too.
    const definition = EVENT_SOURCE_MAPPINGS.find((m) => m.key === 'consumerFromEvents');
    expect(definition?.source).toEqual({
      kind: 'kinesis',
      stream: 'events',
      reader: CONSUMER_KINESIS_READER,
    });
    expect(CONSUMER_KINESIS_READER).toBe('enhanced-fan-out');

    template.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    template.hasResourceProperties('AWS::Kinesis::StreamConsumer', {
      ConsumerName: CONSUMER_NAME,
      StreamARN: streamArn,
    });
    template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: consumerArn,
      FunctionName: liveAliasFunctionName('ConsumerFunction'),
    });
  });

  test('may read the consumer and the stream exactly as Lambda documents for fan-out', () => {
    expect(kinesisStatements(template)).toEqual([
      {
        actions: [...EFO_CONSUMER_ACTIONS],
        resource: 'ConsumerEventsStreamConsumer.ConsumerARN',
      },
      { actions: [...EFO_STREAM_ACTIONS], resource: 'DataEventsStream.Arn' },
    ]);
    expect([...EFO_CONSUMER_ACTIONS].sort()).toEqual([
      'kinesis:DescribeStreamConsumer',
      'kinesis:SubscribeToShard',
    ]);
    expect([...EFO_STREAM_ACTIONS].sort()).toEqual([
      'kinesis:DescribeStream',
      'kinesis:DescribeStreamSummary',
      'kinesis:GetRecords',
      'kinesis:GetShardIterator',
      'kinesis:ListShards',
    ]);
  });

  test('is granted exactly the calls it makes: no deletes, no indexes, no reads of Sessions', () => {
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    for (const action of [
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
      's3:PutObject',
      's3:ListBucket',
      'kinesis:GetRecords',
      'logs:PutLogEvents',
    ]) {
      expect(policies).toContain(action);
    }
    for (const absent of [
      'dynamodb:DeleteItem',
      // The consumer never reads Sessions: a refused conditional put returns the stored item.
      'dynamodb:GetItem',
      '/index/*',
      's3:GetObject',
      's3:Delete',
    ]) {
      expect(policies).not.toContain(absent);
    }
    expect(JSON.stringify(template.findResources('AWS::IAM::Role'))).not.toContain(
      'AWSLambdaBasicExecutionRole',
    );
  });

  test('may read the salt secret and nothing else of Secrets Manager', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy'))
      .flatMap(
        (policy) =>
          (policy as { Properties: { PolicyDocument: { Statement: PolicyStatement[] } } })
            .Properties.PolicyDocument.Statement,
      )
      .filter((statement) =>
        [statement.Action].flat().some((action) => action.startsWith('secretsmanager:')),
      );

    expect(statements).toEqual([
      expect.objectContaining({
        Action: 'secretsmanager:GetSecretValue',
        Resource: { Ref: expect.stringMatching(/^ConsumerVisitorSaltSecret/) as unknown },
      }),
    ]);
  });

  test('names the consumer after the events stream when no name is given', () => {
    synth({ streamConsumerName: undefined }).hasResourceProperties('AWS::Kinesis::StreamConsumer', {
      ConsumerName: {
        'Fn::Join': ['', [{ Ref: Match.stringLikeRegexp('^DataEventsStream') }, '-consumer']],
      },
    });
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

describe('ConsumerFunction with the shared-throughput reader', () => {
  const shared = synth({ kinesisReader: 'shared-throughput' });

  test('maps the stream itself, registers no consumer, same settings and destination', () => {
    shared.resourceCountIs('AWS::Kinesis::StreamConsumer', 0);
    shared.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: streamArn,
      BatchSize: CONSUMER_MAPPING_SETTINGS.BatchSize,
      ParallelizationFactor: CONSUMER_MAPPING_SETTINGS.ParallelizationFactor,
      DestinationConfig: {
        OnFailure: {
          Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('DataFailuresBucket'), 'Arn'] },
        },
      },
    });
  });

  test('keeps aws-cdk-lib’s stream read grant, on the stream only', () => {
    const statements = kinesisStatements(shared);

    expect(statements).toHaveLength(1);
    expect(statements[0]?.resource).toBe('DataEventsStream.Arn');
    expect(statements[0]?.actions).toEqual(expect.arrayContaining([...EFO_STREAM_ACTIONS]));
  });
});

test('bundles handlers/consumer with esbuild at synth time, offline', () => {
  expectBundledHandler(synth({ code: { kind: 'bundle' } }));
});

test.each<KinesisReader>(['enhanced-fan-out', 'shared-throughput'])(
  'passes the AwsSolutions checks of its own resources with the %s reader, exceptions stated',
  (kinesisReader) => {
    expect(ownNagFindings('consumer-nag-', (app) => synth({ kinesisReader }, app))).toEqual([]);
  },
);
