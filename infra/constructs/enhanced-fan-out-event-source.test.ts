import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { EnhancedFanOutEventSource } from './enhanced-fan-out-event-source';

interface Fixture {
  readonly stack: Stack;
  readonly fn: lambda.Function;
  readonly source: EnhancedFanOutEventSource;
}

function fixture(streamProps: kinesis.StreamProps = {}): Fixture {
  const stack = new Stack(new App(), 'EfoTest');
  const stream = new kinesis.Stream(stack, 'Stream', streamProps);
  const consumer = new kinesis.StreamConsumer(stack, 'StreamConsumer', {
    stream,
    streamConsumerName: 'efo-test',
  });
  const fn = new lambda.Function(stack, 'Fn', {
    runtime: lambda.Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('exports.handler = async () => {};'),
  });
  const source = new EnhancedFanOutEventSource(consumer, {
    startingPosition: lambda.StartingPosition.TRIM_HORIZON,
    batchSize: 10,
  });
  return { stack, fn, source };
}

test('maps the function to the consumer ARN with the props given', () => {
  const { stack, fn, source } = fixture();

  fn.addEventSource(source);

  Template.fromStack(stack).hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    EventSourceArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^StreamConsumer'), 'ConsumerARN'] },
    StartingPosition: 'TRIM_HORIZON',
    BatchSize: 10,
  });
  expect(stack.resolve(source.eventSourceMappingId)).toEqual({
    Ref: expect.stringMatching(/^FnKinesisConsumerEventSource/) as unknown,
  });
});

test('grants kms:Decrypt on a customer-managed key of the stream, on that key only', () => {
  // KMS encryption without a key given: CDK creates the stream's key (`StreamKey…`).
  const { stack, fn, source } = fixture({ encryption: kinesis.StreamEncryption.KMS });

  fn.addEventSource(source);

  const policies = Object.values(Template.fromStack(stack).findResources('AWS::IAM::Policy'));
  const decrypt = JSON.stringify(policies).match(/"Action":"kms:Decrypt","Effect":"Allow"[^}]*}/g);
  expect(decrypt).toHaveLength(1);
  expect(decrypt?.[0]).toMatch(/"Fn::GetAtt":\["StreamKey[0-9A-F]{8}","Arn"\]/);
});

test('grants no KMS action for the AWS-managed key', () => {
  const { stack, fn, source } = fixture({ encryption: kinesis.StreamEncryption.MANAGED });

  fn.addEventSource(source);

  expect(JSON.stringify(Template.fromStack(stack).findResources('AWS::IAM::Policy'))).not.toContain(
    'kms:',
  );
});

test('names the consumer when used before binding or bound twice', () => {
  const { fn, source } = fixture();

  expect(() => source.eventSourceMappingId).toThrow(
    'EnhancedFanOutEventSource on EfoTest/StreamConsumer is not bound to a function yet',
  );
  fn.addEventSource(source);
  expect(() => fn.addEventSource(source)).toThrow(
    'EnhancedFanOutEventSource on EfoTest/StreamConsumer is already bound to a function',
  );
});
