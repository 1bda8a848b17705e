/**
 * A Lambda event source on a Kinesis enhanced fan-out (EFO) consumer, granting only what Lambda
 * documents for it: kinesis:SubscribeToShard and kinesis:DescribeStreamConsumer on the consumer,
 * and the stream reads (DescribeStream, DescribeStreamSummary, GetRecords, GetShardIterator,
 * ListShards) on its stream. aws-cdk-lib's KinesisConsumerEventSource grants the stream's whole
 * read set on both ARNs instead (ListStreams and the consumer actions on the stream, GetRecords
 * and the like on the consumer).
 */
import { Names } from 'aws-cdk-lib';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  StreamEventSource,
  type StreamEventSourceProps,
} from 'aws-cdk-lib/aws-lambda-event-sources';

/** What Lambda calls on the consumer: the push subscription and its status. */
export const EFO_CONSUMER_ACTIONS = [
  'kinesis:SubscribeToShard',
  'kinesis:DescribeStreamConsumer',
] as const;

/** What Lambda calls on the stream behind the consumer: its shards and their positions. */
export const EFO_STREAM_ACTIONS = [
  'kinesis:DescribeStream',
  'kinesis:DescribeStreamSummary',
  'kinesis:GetRecords',
  'kinesis:GetShardIterator',
  'kinesis:ListShards',
] as const;

export class EnhancedFanOutEventSource extends StreamEventSource {
  private mapping: lambda.EventSourceMapping | undefined;

  constructor(
    readonly streamConsumer: kinesis.IStreamConsumer,
    props: StreamEventSourceProps,
  ) {
    super(props);
  }

  bind(target: lambda.IFunction): void {
    if (this.mapping !== undefined) {
      throw new Error(
        `EnhancedFanOutEventSource on ${this.streamConsumer.node.path} is already bound to a function (expected one mapping per event source)`,
      );
    }
    this.mapping = target.addEventSourceMapping(
      `KinesisConsumerEventSource:${Names.nodeUniqueId(this.streamConsumer.node)}`,
      this.enrichMappingOptions({
        eventSourceArn: this.streamConsumer.streamConsumerArn,
        supportS3OnFailureDestination: true,
      }),
    );
    this.streamConsumer.grant(target, ...EFO_CONSUMER_ACTIONS);
    const stream = this.streamConsumer.stream;
    stream.grant(target, ...EFO_STREAM_ACTIONS);
    // Only a customer-managed key needs kms:Decrypt; the AWS-managed aws/kinesis key needs none.
    stream.encryptionKey?.grantDecrypt(target);
  }

  /** The mapping's id (its UUID); the event source must be bound first. */
  get eventSourceMappingId(): string {
    return this.boundMapping().eventSourceMappingId;
  }

  get eventSourceMappingArn(): string {
    return this.boundMapping().eventSourceMappingArn;
  }

  private boundMapping(): lambda.EventSourceMapping {
    if (this.mapping === undefined) {
      throw new Error(
        `EnhancedFanOutEventSource on ${this.streamConsumer.node.path} is not bound to a function yet (expected fn.addEventSource first)`,
      );
    }
    return this.mapping;
  }
}
