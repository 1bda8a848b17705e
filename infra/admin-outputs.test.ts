/**
 * The stack outputs the admin CLI reads (cli/target.ts) exist under the names it looks for: the
 * tables by name, the failures bucket (a CloudFormation-chosen name), the salt secret, the
 * ActiveSessions shard count and the per-site shard plan (which also reaches every function that
 * writes or reads by it).
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../handlers/env-names';
import { TIER_NAMES } from '../schemas/registry';
import { ADMIN_OUTPUTS, ADMIN_TABLE_OUTPUTS, ADMIN_USAGE_PLAN_OUTPUTS } from './admin-outputs';
import { prebuiltCode } from './constructs/test-support/prebuilt-code';
import { LiveInsightStack } from './liveinsight-stack';
import { DEFAULT_ACTIVE_SESSION_SHARDS, TABLE_KEYS, resourceNames } from './resources';

const STAGE = 'liveinsight-test';

/** A hot site with its own shard counts (README "Scale"): the plan reaches writers and readers. */
const HOT = { bigshop: { activeSessionShards: 64, rollupKeys: 32 } };

test('every output the admin CLI reads is in the stack', () => {
  const template = Template.fromStack(
    new LiveInsightStack(new App(), 'Test', {
      stage: STAGE,
      siteShards: HOT,
      ...prebuiltCode(__dirname),
    }),
  );
  const outputs = template.findOutputs('*');
  const names = resourceNames(STAGE).tables;
  const tableRefs = template.findResources('AWS::DynamoDB::Table');
  const logicalIdOf = (tableName: string): string | undefined =>
    Object.entries(tableRefs).find(
      ([, r]) => (r as { Properties: { TableName: string } }).Properties.TableName === tableName,
    )?.[0];
  for (const key of TABLE_KEYS) {
    expect(outputs[ADMIN_TABLE_OUTPUTS[key]]?.['Value']).toEqual({ Ref: logicalIdOf(names[key]) });
  }
  const bucket = outputs[ADMIN_OUTPUTS.failureBucket]?.['Value'] as { Ref: string };
  expect(template.toJSON()['Resources'][bucket.Ref]['Type']).toBe('AWS::S3::Bucket');
  expect(bucket.Ref).toMatch(/FailuresBucket/);
  expect(outputs[ADMIN_OUTPUTS.visitorSaltSecretArn]?.['Value']).toBeDefined();
  expect(outputs[ADMIN_OUTPUTS.activeSessionShards]?.['Value']).toBe(
    String(DEFAULT_ACTIVE_SESSION_SHARDS),
  );
  expect(outputs[ADMIN_OUTPUTS.siteShards]?.['Value']).toBe(JSON.stringify(HOT));
  // One plan for every writer and reader by it: consumer (ActiveSessions), rollup (buckets) and
  // query (both) get the same LIVEINSIGHT_SITE_SHARDS.
  const functions = Object.values(template.findResources('AWS::Lambda::Function')) as {
    Properties: { Description?: string; Environment?: { Variables?: Record<string, unknown> } };
  }[];
  const withPlan = functions.filter(
    (f) => f.Properties.Environment?.Variables?.[ENV.siteShards] !== undefined,
  );
  expect(withPlan.map((f) => (f.Properties.Description ?? '').split(' ')[1]).sort()).toEqual([
    'consumer:',
    'realtime',
    'rollup:',
  ]);
  for (const f of withPlan) {
    expect(JSON.parse(String(f.Properties.Environment?.Variables?.[ENV.siteShards]))).toEqual(HOT);
  }
  // The ingest keys' side on AWS: the REST API and each tier's usage plan.
  const refOf = (name: string): string =>
    (outputs[name]?.['Value'] as { Ref?: string } | undefined)?.Ref ?? '(none)';
  expect(template.toJSON()['Resources'][refOf(ADMIN_OUTPUTS.apiId)]['Type']).toBe(
    'AWS::ApiGateway::RestApi',
  );
  for (const tier of TIER_NAMES) {
    const plan = template.toJSON()['Resources'][refOf(ADMIN_USAGE_PLAN_OUTPUTS[tier])];
    expect(plan['Type']).toBe('AWS::ApiGateway::UsagePlan');
    expect(plan['Properties']['UsagePlanName']).toContain(tier);
  }
  expect(outputs[ADMIN_OUTPUTS.apiUrl]?.['Value']).toBeDefined();
  expect(outputs[ADMIN_OUTPUTS.dashboardUrl]?.['Value']).toBeDefined();
});
