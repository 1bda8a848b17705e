/**
 * The stack wires the realtime rollup function to its own ActiveSessions stream and
 * RealtimeRollups table, deploys every mapping infra/resources.ts defines, and keeps the
 * ActiveSessions stream within DynamoDB Streams' two readers per shard.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { liveAliasFunctionName } from './constructs/test-support/function-checks';
import { ENV } from '../handlers/env-names';
import { LiveInsightStack } from './liveinsight-stack';
import { EVENT_SOURCE_MAPPINGS, ROLLUP_MAPPING_SETTINGS } from './resources';

const prebuilt = { kind: 'prebuilt', dir: __dirname } as const;

const template = Template.fromStack(
  new LiveInsightStack(new App(), 'RollupInStack', {
    stage: 'liveinsight-rollup',
    consumerCode: prebuilt,
    processorCode: prebuilt,
    rollupCode: prebuilt,
    queryCode: prebuilt,
    authorizerCode: prebuilt,
    ingestAuthorizerCode: prebuilt,
  }),
);

interface CfnMapping {
  readonly Properties: { readonly EventSourceArn: unknown; readonly FunctionName: unknown };
}
const mappings = Object.values(template.findResources('AWS::Lambda::EventSourceMapping')).map(
  (resource) => (resource as CfnMapping).Properties,
);

test('deploys every event-source mapping of infra/resources.ts, the rollup’s included', () => {
  expect(mappings).toHaveLength(EVENT_SOURCE_MAPPINGS.length);
});

test('the rollup reads the stack’s ActiveSessions stream with ROLLUP_MAPPING_SETTINGS', () => {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    EventSourceArn: {
      'Fn::GetAtt': [Match.stringLikeRegexp('^DataActiveSessionsTable'), 'StreamArn'],
    },
    FunctionName: liveAliasFunctionName('RollupFunction'),
    BisectBatchOnFunctionError: ROLLUP_MAPPING_SETTINGS.BisectBatchOnFunctionError,
    MaximumBatchingWindowInSeconds: ROLLUP_MAPPING_SETTINGS.MaximumBatchingWindowInSeconds,
  });
});

test('the ActiveSessions stream has two readers, the most DynamoDB Streams serves per shard', () => {
  const readers = mappings
    .filter((m) => JSON.stringify(m.EventSourceArn).includes('"DataActiveSessionsTable'))
    .map(
      (m) =>
        /"(?:Ref|Fn::GetAtt)":\[?"(\w+?)[0-9A-F]{8}"/.exec(JSON.stringify(m.FunctionName))?.[1],
    );

  // Each reads through its `live` alias.
  expect(readers.sort()).toEqual(['ProcessorFunctionLiveAlias', 'RollupFunctionLiveAlias']);
  for (const m of mappings) expect(JSON.stringify(m.FunctionName)).toContain(':live');
});

test('the rollup writes the stack’s RealtimeRollups table, which the query function reads', () => {
  const rollupsTable = { Ref: Match.stringLikeRegexp('^DataRealtimeRollupsTable') };
  template.hasResourceProperties('AWS::Lambda::Function', {
    Description: Match.stringLikeRegexp('^LiveInsight rollup'),
    Environment: {
      Variables: {
        [ENV.realtimeRollupsTable]: rollupsTable,
        [ENV.activeSessionsTable]: { Ref: Match.stringLikeRegexp('^DataActiveSessionsTable') },
      },
    },
  });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Description: Match.stringLikeRegexp('^LiveInsight realtime query API'),
    Environment: { Variables: Match.objectLike({ [ENV.realtimeRollupsTable]: rollupsTable }) },
  });
});

test('the business dashboard shows the rollup’s errors and iterator age', () => {
  const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));

  expect(body).toContain('Realtime rollup — iterator age (stream lag)');
  expect(body).toMatch(/"Ref":"RollupFunction[0-9A-F]{8}"/);
});
