/**
 * An S3 on-failure destination for stream event-source mappings with only the permissions
 * Lambda documents for it — s3:PutObject on the objects it writes (`aws/lambda/<ESM-UUID>/…`)
 * and s3:ListBucket — instead of aws-cdk-lib's S3OnFailureDestination, which grants the function
 * read, write and delete on the whole bucket.
 */
import { Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { nagArnOf } from './nag-arn';

/** Key prefix Lambda writes on-failure records under. */
export const ON_FAILURE_KEY_PREFIX = 'aws/lambda/';

export class LeastPrivilegeS3OnFailureDestination implements lambda.IEventSourceDlq {
  constructor(private readonly bucket: s3.IBucket) {}

  bind(
    _target: lambda.IEventSourceMapping,
    targetHandler: lambda.IFunction,
  ): lambda.DlqDestinationConfig {
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['s3:PutObject'],
        resources: [this.bucket.arnForObjects(`${ON_FAILURE_KEY_PREFIX}*`)],
      }),
    );
    targetHandler.addToRolePolicy(
      new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [this.bucket.bucketArn] }),
    );
    return { destination: this.bucket.bucketArn };
  }
}

/**
 * Acknowledges, on the policy holding this destination's grant, the cdk-nag wildcard finding
 * that Lambda's own object names make unavoidable.
 */
export function acknowledgeOnFailureObjects(policy: IConstruct, bucket: s3.IBucket): void {
  Validations.of(policy).acknowledge({
    id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArnOf(bucket)}/${ON_FAILURE_KEY_PREFIX}*]`,
    reason:
      'Lambda names on-failure objects aws/lambda/<mapping UUID>/<shard>/<date>/…: unknown at deploy time (Lambda documents s3:PutObject for S3 destinations).',
  });
}
