import { CfnElement, Stack } from 'aws-cdk-lib';
import type * as s3 from 'aws-cdk-lib/aws-s3';

/** How cdk-nag prints a bucket's ARN in a finding id: `<LogicalId.Arn>` for one of this app. */
export function nagArnOf(bucket: s3.IBucket): string {
  const resource = bucket.node.defaultChild;
  return resource instanceof CfnElement
    ? `<${Stack.of(resource).getLogicalId(resource)}.Arn>`
    : bucket.bucketArn;
}
