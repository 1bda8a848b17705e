/**
 * The CDK props of a stream event-source mapping (Kinesis or DynamoDB Streams) from the settings
 * in infra/resources.ts that the local event-source mapping runs with too.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { StreamEventSourceProps } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import type { EventSourceMappingSettings } from '../resources';
import { LeastPrivilegeS3OnFailureDestination } from './s3-on-failure-destination';

/** `settings` must have passed validateEventSourceMappingSettings. */
export function streamMappingProps(
  settings: EventSourceMappingSettings,
  failureBucket: s3.IBucket,
): StreamEventSourceProps {
  return {
    batchSize: settings.BatchSize,
    maxBatchingWindow: Duration.seconds(settings.MaximumBatchingWindowInSeconds),
    parallelizationFactor: settings.ParallelizationFactor,
    bisectBatchOnError: settings.BisectBatchOnFunctionError,
    // CDK leaves these unset for Lambda's "-1 = infinite".
    ...(settings.MaximumRetryAttempts === -1
      ? {}
      : { retryAttempts: settings.MaximumRetryAttempts }),
    ...(settings.MaximumRecordAgeInSeconds === -1
      ? {}
      : { maxRecordAge: Duration.seconds(settings.MaximumRecordAgeInSeconds) }),
    reportBatchItemFailures: settings.FunctionResponseTypes.includes('ReportBatchItemFailures'),
    startingPosition:
      settings.StartingPosition === 'LATEST'
        ? lambda.StartingPosition.LATEST
        : lambda.StartingPosition.TRIM_HORIZON,
    onFailure: new LeastPrivilegeS3OnFailureDestination(failureBucket),
  };
}

/**
 * Acknowledges (cdk-nag AwsSolutions-IAM5) the `*` resource of `dynamodb:ListStreams` on a
 * function's policy: a DynamoDB Streams mapping needs the call, which has no resource-level
 * permissions. `scopedTo` says which stream ARNs the stream reads themselves are scoped to.
 */
export function acknowledgeListStreams(policy: IConstruct, scopedTo: string): void {
  Validations.of(policy).acknowledge({
    id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
    reason: `dynamodb:ListStreams, which a DynamoDB Streams event-source mapping needs, has no resource-level permissions (granted by aws-cdk-lib’s DynamoEventSource), nor have the X-Ray calls of active tracing (xray:PutTraceSegments, xray:PutTelemetryRecords); the stream reads themselves are scoped to ${scopedTo}.`,
  });
}
