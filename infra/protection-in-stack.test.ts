/**
 * The deployed app as `npm run synth` builds it (infra/app.ts, handlers bundled by esbuild),
 * synthesized once for a production stage: cdk-nag's AwsSolutions and Serverless packs find
 * nothing unacknowledged, and the template carries the protection of issue 12 items 3–5 —
 * aliases and canaries with the mappings' logical ids unchanged, reserved concurrency, X-Ray,
 * PITR and deletion protection, backups, the failures lifecycle, per-key throttles, WAF and no
 * secret value in any environment.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { EVENTS_METHOD_THROTTLE, USAGE_PLAN_TIERS } from './api/ingest-api-spec';
import { QUERY_ROUTE_THROTTLES } from './api/query-api-spec';
import { buildApp } from './app';
import { COUNTED_COMMON_RULES } from './constructs/api-firewall';
import { nagFindings } from './constructs/test-support/nag-report';
import { prebuiltCode } from './constructs/test-support/prebuilt-code';
import { ENV } from '../handlers/env-names';
import { PROTECTION_DEFAULTS } from './protection-config';
import { FUNCTION_KEYS, reservedConcurrency } from './resources';

const STAGE = 'liveinsight-prod';
const outdir = mkdtempSync(join(tmpdir(), 'protection-in-stack-'));
// Prebuilt code: nothing here is about the bundles (liveinsight-stack.test.ts checks those).
const { app, stack } = buildApp(
  new App({ outdir, context: { stage: STAGE } }),
  prebuiltCode(__dirname),
);
let synthError: unknown;
try {
  app.synth();
} catch (error) {
  synthError = error;
}
const findings = nagFindings(outdir);
// A synthesis refused by cdk-nag still wrote the template: read it from the assembly, so the
// other assertions report on their own.
const template = Template.fromJSON(
  JSON.parse(readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8')) as Record<
    string,
    unknown
  >,
);
const resources = template.toJSON().Resources as Record<
  string,
  { Type: string; Properties?: Record<string, unknown> }
>;

afterAll(() => rmSync(outdir, { recursive: true, force: true }));

function ofType(type: string): [string, Record<string, unknown>][] {
  return Object.entries(resources)
    .filter(([, resource]) => resource.Type === type)
    .map(([id, resource]) => [id, resource.Properties ?? {}]);
}

/** Our functions (not aws-cdk-lib's deploy helpers): the ones with a `live` alias. */
function ourFunctionIds(): string[] {
  return ofType('AWS::Lambda::Alias').map(([, alias]) => {
    const name = alias['FunctionName'] as { Ref: string };
    return name.Ref;
  });
}

describe('the deployed app (production stage)', () => {
  it('synthesizes with cdk-nag AwsSolutions and Serverless applied, nothing unacknowledged', () => {
    expect(synthError).toBeUndefined();
    expect(findings).toEqual([]);
  });

  it('keeps the logical id of every event-source mapping it had before the aliases', () => {
    const fixture = JSON.parse(
      readFileSync(
        join(__dirname, '__fixtures__', 'event-source-mapping-logical-ids.json'),
        'utf8',
      ),
    ) as { logicalIds: string[] };

    expect(
      ofType('AWS::Lambda::EventSourceMapping')
        .map(([id]) => id)
        .sort(),
    ).toEqual([...fixture.logicalIds].sort());
  });

  it('gives every function of ours a `live` alias that its mappings and integrations invoke', () => {
    const aliases = ofType('AWS::Lambda::Alias');
    // consumer, processor, rollup, query, read-token authorizer, ingest-key authorizer
    expect(aliases).toHaveLength(6);
    for (const [, alias] of aliases) expect(alias['Name']).toBe('live');
    const aliasIds = new Set(aliases.map(([id]) => id));

    for (const [, mapping] of ofType('AWS::Lambda::EventSourceMapping')) {
      // `<function>:live`, the alias' qualified name, spelled from the alias' ARN.
      const name = JSON.stringify(mapping['FunctionName']);
      expect(name).toMatch(/":live"\]\]\}$/);
      expect([...aliasIds].some((id) => name.includes(`"${id}"`))).toBe(true);
    }
    // API Gateway may invoke the aliases only, never the unqualified functions.
    const apiPermissions = ofType('AWS::Lambda::Permission').filter(
      ([, permission]) => permission['Principal'] === 'apigateway.amazonaws.com',
    );
    expect(apiPermissions.length).toBeGreaterThan(0);
    for (const [, permission] of apiPermissions) {
      expect(aliasIds.has((permission['FunctionName'] as { Ref: string }).Ref)).toBe(true);
    }
  });

  it('deploys every alias as a 10 % / 5 minute canary that rolls back on alarms', () => {
    template.resourceCountIs('AWS::CodeDeploy::DeploymentGroup', 6);
    template.allResourcesProperties('AWS::CodeDeploy::DeploymentGroup', {
      DeploymentConfigName: 'CodeDeployDefault.LambdaCanary10Percent5Minutes',
      AlarmConfiguration: Match.objectLike({ Enabled: true }),
      AutoRollbackConfiguration: {
        Enabled: true,
        Events: Match.arrayWith(['DEPLOYMENT_FAILURE', 'DEPLOYMENT_STOP_ON_ALARM']),
      },
    });
    for (const [, group] of ofType('AWS::CodeDeploy::DeploymentGroup')) {
      const alarms = (group['AlarmConfiguration'] as { Alarms: unknown[] }).Alarms;
      expect(alarms.length).toBeGreaterThanOrEqual(1);
    }
    template.allResources('AWS::Lambda::Alias', {
      UpdatePolicy: { CodeDeployLambdaAliasUpdate: Match.anyValue() },
    });
  });

  it('traces every function of ours with X-Ray and samples 10 % of API requests', () => {
    for (const id of ourFunctionIds()) {
      expect(resources[id]?.Properties?.['TracingConfig']).toEqual({ Mode: 'Active' });
    }
    template.hasResourceProperties('AWS::XRay::SamplingRule', {
      SamplingRule: Match.objectLike({ FixedRate: 0.1, ReservoirSize: 1 }),
    });
  });

  it('reserves shards × parallelization for the stream functions and caps the query path', () => {
    // The app's default stream: one provisioned shard.
    const expected = reservedConcurrency({ mode: 'provisioned', shardCount: 1 });
    const reserved = Object.fromEntries(
      ofType('AWS::Lambda::Function')
        .filter(([, fn]) => fn['ReservedConcurrentExecutions'] !== undefined)
        .map(([id, fn]) => [id.replace(/[0-9A-F]{8}$/, ''), fn['ReservedConcurrentExecutions']]),
    );

    expect(reserved).toEqual({
      ConsumerFunction: expected.consumer,
      ProcessorFunction: expected.processor,
      RollupFunction: expected.rollup,
      QueryQueryFunction: expected.query,
      QueryAuthorizerFunction: expected.authorizer,
      IngestAuthorizerFunction: expected.ingestAuthorizer,
    });
    expect(expected).toEqual({
      consumer: 2,
      processor: 8,
      rollup: 4,
      query: 10,
      authorizer: 5,
      ingestAuthorizer: 10,
    });
  });

  it('turns on point-in-time recovery and deletion protection on every table', () => {
    template.resourceCountIs('AWS::DynamoDB::Table', 7);
    template.allResourcesProperties('AWS::DynamoDB::Table', {
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
    });
  });

  it('backs up Sessions, ReadTokens and Registry daily for 35 days', () => {
    template.hasResourceProperties('AWS::Backup::BackupPlan', {
      BackupPlan: {
        BackupPlanRule: [
          Match.objectLike({
            ScheduleExpression: 'cron(0 3 * * ? *)',
            Lifecycle: { DeleteAfterDays: PROTECTION_DEFAULTS.backupRetentionDays },
          }),
        ],
      },
    });
    const selection = JSON.stringify(ofType('AWS::Backup::BackupSelection'));
    expect(selection).toMatch(/DataSessionsTable\w+/);
    expect(selection).toMatch(/DataReadTokensTable\w+/);
    expect(selection).toMatch(/DataRegistryTable\w+/);
    expect(selection).not.toMatch(/DataEventsTable\w+/);
  });

  it('expires the failures bucket’s objects as bad rows expire', () => {
    const failures = ofType('AWS::S3::Bucket').find(([id]) => id.startsWith('DataFailuresBucket'));
    expect(failures?.[1]['LifecycleConfiguration']).toEqual({
      Rules: [
        expect.objectContaining({
          Status: 'Enabled',
          ExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 1 },
        }),
      ],
    });
  });

  it('throttles POST /events per key and method in each usage plan, under a stage ceiling', () => {
    for (const tier of Object.values(USAGE_PLAN_TIERS)) {
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        Description: tier.description,
        ApiStages: [
          Match.objectLike({
            Throttle: {
              '/events/POST': {
                RateLimit: tier.throttle.rateLimit,
                BurstLimit: tier.throttle.burstLimit,
              },
            },
          }),
        ],
      });
    }
    // The stage ceiling is a safety net above every tier, so every tier is reachable.
    const tierRates = Object.values(USAGE_PLAN_TIERS).map((tier) => tier.throttle.rateLimit);
    expect(EVENTS_METHOD_THROTTLE.rateLimit).toBeGreaterThan(Math.max(...tierRates));
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/*',
          HttpMethod: '*',
          ThrottlingRateLimit: EVENTS_METHOD_THROTTLE.rateLimit,
        }),
        Match.objectLike({
          ResourcePath: '/~1events',
          HttpMethod: 'POST',
          ThrottlingRateLimit: EVENTS_METHOD_THROTTLE.rateLimit,
        }),
      ]),
    });
  });

  it('throttles the read routes and answers /health from the stage cache', () => {
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/~1realtime',
          HttpMethod: 'GET',
          ThrottlingRateLimit: QUERY_ROUTE_THROTTLES.realtime.rateLimit,
        }),
        Match.objectLike({
          ResourcePath: '/~1sessions~1active',
          HttpMethod: 'GET',
          ThrottlingRateLimit: QUERY_ROUTE_THROTTLES.sessionsActive.rateLimit,
        }),
        Match.objectLike({
          ResourcePath: '/~1health',
          HttpMethod: 'GET',
          CachingEnabled: true,
          ThrottlingRateLimit: QUERY_ROUTE_THROTTLES.health.rateLimit,
        }),
      ]),
    });
  });

  it('puts a WAF web ACL with AWS’s common rules and a per-IP rate limit on the API stage', () => {
    template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            RateBasedStatement: { Limit: PROTECTION_DEFAULTS.wafRateLimit, AggregateKeyType: 'IP' },
          },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
              RuleActionOverrides: COUNTED_COMMON_RULES.map((name) => ({
                Name: name,
                ActionToUse: { Count: {} },
              })),
            }),
          },
        }),
      ]),
    });
    const [association] = ofType('AWS::WAFv2::WebACLAssociation');
    expect(JSON.stringify(association?.[1]['WebACLArn'])).toMatch(/ApiFirewallWebAcl/);
    expect(JSON.stringify(association?.[1]['ResourceArn'])).toMatch(/IngestApiDeploymentStage/);
  });

  it('puts no secret value in any function’s environment', () => {
    const environments = ofType('AWS::Lambda::Function').map(
      ([, fn]) =>
        (fn['Environment'] as { Variables?: Record<string, unknown> } | undefined)?.Variables ?? {},
    );
    expect(JSON.stringify(environments)).not.toContain('resolve:secretsmanager');
    expect(environments.some((env) => ENV.visitorSaltSecretArn in env)).toBe(true);
    expect(environments.some((env) => ENV.visitorSaltSecret in env)).toBe(false);
  });

  it('adds log metric filters and the four saved Logs Insights queries', () => {
    const ours = ofType('AWS::Logs::MetricFilter').filter(([, filter]) =>
      JSON.stringify(filter['MetricTransformations']).includes(`"LiveInsight/${STAGE}/Logs"`),
    );
    // 2 of the access logs, 1 error-lines filter per function.
    expect(ours).toHaveLength(2 + FUNCTION_KEYS.length);
    const names = ofType('AWS::Logs::QueryDefinition').map(([, query]) => query['Name']);
    expect(names.sort()).toEqual(
      ['5xx-by-key', 'errors-by-type', 'slowest-batches', 'throttles'].map((n) => `${STAGE}/${n}`),
    );
  });

  it('protects a production stage from deletion', () => {
    expect(stack.terminationProtection).toBe(true);
  });
});
