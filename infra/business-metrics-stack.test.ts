/**
 * The stack wires the processor to the Sessions and ActiveSessions streams of its own tables and
 * puts the business dashboard next to it.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { liveAliasFunctionName } from './constructs/test-support/function-checks';
import { ENV } from '../handlers/env-names';
import { LiveInsightStack } from './liveinsight-stack';
import { resourceNames } from './resources';

const STAGE = 'liveinsight-metrics';
const prebuilt = { kind: 'prebuilt', dir: __dirname } as const;

const template = Template.fromStack(
  new LiveInsightStack(new App(), 'MetricsTest', {
    stage: STAGE,
    consumerCode: prebuilt,
    processorCode: prebuilt,
  }),
);

test('the processor reads the streams of the stack’s Sessions and ActiveSessions tables', () => {
  for (const table of ['DataSessionsTable', 'DataActiveSessionsTable']) {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp(table), 'StreamArn'] },
      FunctionName: liveAliasFunctionName('ProcessorFunction'),
    });
  }
});

test('the processor is told the table names the streams belong to', () => {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Description: Match.stringLikeRegexp('^LiveInsight processor'),
    Environment: {
      Variables: Match.objectLike({
        [ENV.sessionsTable]: { Ref: Match.stringLikeRegexp('DataSessionsTable') },
        [ENV.activeSessionsTable]: { Ref: Match.stringLikeRegexp('DataActiveSessionsTable') },
        [ENV.metricsNamespace]: `LiveInsight/${STAGE}`,
      }),
    },
  });
  expect(JSON.stringify(template.toJSON())).toContain(resourceNames(STAGE).tables.activeSessions);
});

test('the business dashboard is named after the stage and shows the processor’s health', () => {
  template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
    DashboardName: `${STAGE}-business`,
  });
  const body = JSON.stringify(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(body).toContain('IteratorAge');
  expect(body).toContain('ActiveSessionMinutes');
});
