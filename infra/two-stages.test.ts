/**
 * Two stages deploy into one account and region without colliding: no account-scoped physical
 * name, export or metric namespace is shared, and only the first stage creates the account's
 * API Gateway CloudWatch role (the second opts out with `apiGatewayCloudWatchRole=false`).
 * Both stacks come from the app's own context reading (buildApp), as `npm run deploy` makes them.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { buildApp } from './app';
import { prebuiltCode } from './constructs/test-support/prebuilt-code';

const code = prebuiltCode(__dirname);

/** Both stages in one app (one account), each read from its own context. */
function synthStage(context: Record<string, string>): Template {
  const app = new App({ context });
  const { stack } = buildApp(app, code);
  return Template.fromStack(stack);
}

const dev = synthStage({ stage: 'liveinsight-dev' });
// The second stage also runs the small profile's reader (docs/operations/cost.md).
const prod = synthStage({
  stage: 'liveinsight-prod',
  apiGatewayCloudWatchRole: 'false',
  consumerReader: 'shared-throughput',
});

/**
 * Top-level properties that name a resource in the account and region (or globally): two stacks
 * must not share one. Names nested in a property are listed by path.
 */
const NAME_KEYS = [
  'TableName',
  'Name',
  'AlarmName',
  'DashboardName',
  'TopicName',
  'BucketName',
  'FunctionName',
  'LogGroupName',
  'RoleName',
  'BackupVaultName',
  'ApplicationName',
  'ConsumerName',
  'SecretName',
  'StreamName',
  'QueueName',
  'UsagePlanName',
  'Budget.BudgetName',
  'BackupPlan.BackupPlanName',
  'SamplingRule.RuleName',
] as const;

/** Resource types whose `Name` is scoped inside another resource (not the account). */
const SCOPED_NAME_TYPES = new Set([
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::ApiKey',
  'AWS::Lambda::Alias',
]);

function physicalNames(template: Template): Set<string> {
  const names = new Set<string>();
  for (const resource of Object.values(template.toJSON()['Resources'] as Record<string, unknown>)) {
    const { Type, Properties } = resource as { Type: string; Properties?: Record<string, unknown> };
    if (SCOPED_NAME_TYPES.has(Type)) continue;
    for (const path of NAME_KEYS) {
      let value: unknown = Properties;
      for (const key of path.split('.')) {
        value =
          typeof value === 'object' && value !== null
            ? (value as Record<string, unknown>)[key]
            : undefined;
      }
      if (typeof value === 'string') names.add(`${Type} ${value}`);
    }
  }
  return names;
}

function exportNames(template: Template): Set<string> {
  const outputs = template.toJSON()['Outputs'] as
    Record<string, { Export?: { Name?: unknown } }> | undefined;
  return new Set(
    Object.values(outputs ?? {}).flatMap((o) =>
      typeof o.Export?.Name === 'string' ? [o.Export.Name] : [],
    ),
  );
}

/** Every CloudWatch namespace of our own metrics: metric filters, EMF config, alarms. */
function ownNamespaces(template: Template): Set<string> {
  const text = JSON.stringify(template.toJSON());
  const found = new Set<string>();
  for (const match of text.matchAll(/"(?:Namespace|MetricNamespace)":"([^"]+)"/g)) {
    const namespace = match[1] ?? '';
    if (!namespace.startsWith('AWS/')) found.add(namespace);
  }
  for (const match of text.matchAll(/"LIVEINSIGHT_METRICS_NAMESPACE":"([^"]+)"/g)) {
    found.add(match[1] ?? '');
  }
  return found;
}

const shared = (a: Set<string>, b: Set<string>): string[] => [...a].filter((x) => b.has(x));

describe('two stages in one account', () => {
  it('share no physical name', () => {
    const devNames = physicalNames(dev);
    expect(devNames.size).toBeGreaterThan(20);
    expect(shared(devNames, physicalNames(prod))).toEqual([]);
  });

  it('share no export', () => {
    expect(shared(exportNames(dev), exportNames(prod))).toEqual([]);
  });

  it('publish and read their metrics in namespaces of their own', () => {
    for (const [template, stage] of [
      [dev, 'liveinsight-dev'],
      [prod, 'liveinsight-prod'],
    ] as const) {
      const namespaces = [...ownNamespaces(template)];
      expect(namespaces).toContain(`LiveInsight/${stage}`);
      for (const namespace of namespaces) {
        expect(namespace).toMatch(new RegExp(`^LiveInsight/${stage}(/|$)`));
      }
    }
    expect(shared(ownNamespaces(dev), ownNamespaces(prod))).toEqual([]);
  });

  it('name the API stage after the stage', () => {
    dev.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'liveinsight-dev' });
    prod.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'liveinsight-prod' });
  });

  it('read the stream as each stage’s consumerReader says', () => {
    dev.resourceCountIs('AWS::Kinesis::StreamConsumer', 1);
    prod.resourceCountIs('AWS::Kinesis::StreamConsumer', 0);
    prod.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: {
        'Fn::GetAtt': [Match.stringLikeRegexp('^DataEventsStream'), 'Arn'],
      },
    });
  });

  it('create the account’s API Gateway CloudWatch role once', () => {
    dev.resourceCountIs('AWS::ApiGateway::Account', 1);
    prod.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});
