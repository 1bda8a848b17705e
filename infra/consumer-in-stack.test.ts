/**
 * The stack registers the consumer's enhanced fan-out consumer on its own events stream, under
 * the name infra/resources.ts derives from the stage, and maps the consumer function to it.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { liveAliasFunctionName } from './constructs/test-support/function-checks';
import { LiveInsightStack } from './liveinsight-stack';
import { resourceNames } from './resources';

const STAGE = 'liveinsight-consumer';
const prebuilt = { kind: 'prebuilt', dir: __dirname } as const;

const template = Template.fromStack(
  new LiveInsightStack(new App(), 'ConsumerInStack', {
    stage: STAGE,
    consumerCode: prebuilt,
    processorCode: prebuilt,
    rollupCode: prebuilt,
    queryCode: prebuilt,
    authorizerCode: prebuilt,
    ingestAuthorizerCode: prebuilt,
  }),
);

test('registers one stream consumer, named from the stage, on the stack’s events stream', () => {
  template.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
  template.hasResourceProperties('AWS::Kinesis::StreamConsumer', {
    ConsumerName: resourceNames(STAGE).eventsStreamConsumer,
    StreamARN: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataEventsStream'), 'Arn'] },
  });
});

test('the consumer function’s mapping reads that stream consumer', () => {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    EventSourceArn: {
      'Fn::GetAtt': [Match.stringLikeRegexp('^ConsumerEventsStreamConsumer'), 'ConsumerARN'],
    },
    FunctionName: liveAliasFunctionName('ConsumerFunction'),
  });
  const kinesisMappings = Object.values(
    template.findResources('AWS::Lambda::EventSourceMapping'),
  ).filter((mapping) => JSON.stringify(mapping).includes('"DataEventsStream'));
  // Nothing reads the stream with standard iterators beside the fan-out consumer.
  expect(kinesisMappings).toEqual([]);
});
