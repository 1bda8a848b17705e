import { Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { DataResources } from '../data-resources';

/**
 * The tables, stream and buckets a function construct under test is given. They are not under
 * test here (their buckets' access logs and point-in-time recovery are the stack's call), so
 * those two cdk-nag findings are acknowledged on them.
 */
export function dataFixture(scope: Construct, stage: string): DataResources {
  const data = new DataResources(scope, 'Data', { stage });
  for (const id of ['AwsSolutions::AwsSolutions-S1', 'AwsSolutions::AwsSolutions-DDB3']) {
    Validations.of(data).acknowledge({
      id,
      reason: 'DataResources is not the construct under test',
    });
  }
  return data;
}
