/**
 * The idle cost of a stage, counted from its synthesized template: the default stage and the
 * documented small profile against their targets (DESIGN.md section 6: ≤ $50 and ≤ $25 a month),
 * the `apiCache=false` switch in the template (no cache cluster, no method caching, the query
 * function caching /realtime itself) with cdk-nag still clean, and the pricing rules on small
 * hand-made templates.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../handlers/env-names';
import { REALTIME_CACHE_SECONDS } from './api/query-api-spec';
import { nagFindings } from './constructs/test-support/nag-report';
import { prebuiltCode } from './constructs/test-support/prebuilt-code';
import {
  FIRST_STAGE_ALLOWANCES,
  NO_ALLOWANCES,
  SMALL_PROFILE_CONTEXT,
  idleCost,
  type CfnTemplate,
} from './idle-cost';
import { synthesizeInto } from './idle-cost-synth';

const code = prebuiltCode(__dirname);
const outdirs: string[] = [];
function synthesized(context: Readonly<Record<string, string>>) {
  const outdir = mkdtempSync(join(tmpdir(), 'idle-cost-test-'));
  outdirs.push(outdir);
  return { template: synthesizeInto(outdir, context, code), outdir };
}
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const defaultStage = synthesized({});
const smallProfile = synthesized(SMALL_PROFILE_CONTEXT);

const QUERY_FUNCTION = {
  Description: Match.stringLikeRegexp('realtime query API'),
};

describe('idle cost of the synthesized stages', () => {
  it('keeps the default stage within $50 a month as its account’s only stage', () => {
    expect(idleCost(defaultStage.template, FIRST_STAGE_ALLOWANCES).usdPerMonth).toBeLessThanOrEqual(
      50,
    );
  });

  it('keeps the small profile within $25 a month, also as a further stage of an account', () => {
    expect(idleCost(smallProfile.template, FIRST_STAGE_ALLOWANCES).usdPerMonth).toBeLessThanOrEqual(
      25,
    );
    expect(idleCost(smallProfile.template, NO_ALLOWANCES).usdPerMonth).toBeLessThanOrEqual(25);
  });

  it('prices in the small profile neither a cache cluster, nor enhanced fan-out, nor WAF', () => {
    const items = idleCost(smallProfile.template).items.map((item) => item.item);
    expect(items.filter((item) => /cache cluster|fan-out|WAF/.test(item))).toEqual([]);
    expect(items.filter((item) => /Kinesis stream/.test(item))).toHaveLength(1);
  });
});

describe('context apiCache', () => {
  it('off: the stage has no cache cluster and caches no method, and the function caches 3 s', () => {
    const template = Template.fromJSON(smallProfile.template as Record<string, unknown>);
    template.resourceCountIs('AWS::ApiGateway::Stage', 1);
    template.allResourcesProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: Match.absent(),
      CacheClusterSize: Match.absent(),
    });
    const [stage] = Object.values(template.findResources('AWS::ApiGateway::Stage'));
    const settings = (stage?.['Properties'] as { MethodSettings: Record<string, unknown>[] })
      .MethodSettings;
    expect(settings.filter((setting) => setting['CachingEnabled'] === true)).toEqual([]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      ...QUERY_FUNCTION,
      Environment: {
        Variables: Match.objectLike({
          [ENV.realtimeCacheMs]: String(REALTIME_CACHE_SECONDS * 1000),
        }),
      },
    });
  });

  it('off: /health keeps its stage throttle', () => {
    const template = Template.fromJSON(smallProfile.template as Record<string, unknown>);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          ResourcePath: '/~1health',
          HttpMethod: 'GET',
          ThrottlingRateLimit: 10,
          ThrottlingBurstLimit: 20,
        }),
      ]),
    });
  });

  it('off: cdk-nag finds nothing unacknowledged', () => {
    expect(nagFindings(smallProfile.outdir)).toEqual([]);
  });

  it('on (default): a 0.5 GB cache cluster, and the function keeps nothing', () => {
    const template = Template.fromJSON(defaultStage.template as Record<string, unknown>);
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      CacheClusterEnabled: true,
      CacheClusterSize: '0.5',
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      ...QUERY_FUNCTION,
      Environment: { Variables: Match.objectLike({ [ENV.realtimeCacheMs]: '0' }) },
    });
    expect(nagFindings(defaultStage.outdir)).toEqual([]);
  });
});

describe('idleCost on hand-made templates', () => {
  const stream = (props: Record<string, unknown>) => ({
    Type: 'AWS::Kinesis::Stream',
    Properties: props,
  });
  const consumer = {
    Type: 'AWS::Kinesis::StreamConsumer',
    Properties: { StreamARN: { 'Fn::GetAtt': ['S', 'Arn'] }, ConsumerName: 'c' },
  };

  it('bills enhanced fan-out per shard on a provisioned stream and not at all on-demand', () => {
    const provisioned = idleCost({ Resources: { S: stream({ ShardCount: 2 }), C: consumer } });
    expect(provisioned.usdPerMonth).toBe(43.8); // (2 shards + 2 consumer-shards) × $0.015 × 730
    const onDemand = idleCost({
      Resources: { S: stream({ StreamModeDetails: { StreamMode: 'ON_DEMAND' } }), C: consumer },
    });
    expect(onDemand.usdPerMonth).toBe(29.2);
  });

  it('bills each metric of a metric-math alarm, not its expressions', () => {
    const template: CfnTemplate = {
      Resources: {
        A: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 60 } },
        M: {
          Type: 'AWS::CloudWatch::Alarm',
          Properties: {
            Metrics: [
              { Id: 'a', MetricStat: { Period: 60 } },
              { Id: 'b', MetricStat: { Period: 300 } },
              { Id: 'e', Expression: 'a/b' },
            ],
          },
        },
        H: { Type: 'AWS::CloudWatch::Alarm', Properties: { Period: 10 } },
      },
    };
    expect(idleCost(template).usdPerMonth).toBe(0.6); // 3 × $0.10 + 1 × $0.30
  });

  it('counts dashboards and budgets beyond the allowances the account gives', () => {
    const template: CfnTemplate = {
      Resources: {
        D1: { Type: 'AWS::CloudWatch::Dashboard' },
        D2: { Type: 'AWS::CloudWatch::Dashboard' },
        B: { Type: 'AWS::Budgets::Budget' },
      },
    };
    expect(idleCost(template, FIRST_STAGE_ALLOWANCES).usdPerMonth).toBe(0);
    expect(idleCost(template, NO_ALLOWANCES).usdPerMonth).toBe(6.61);
  });

  it('refuses what it cannot price rather than leaving it out', () => {
    expect(() => idleCost({ Resources: { N: { Type: 'AWS::EC2::NatGateway' } } })).toThrow(
      /AWS::EC2::NatGateway \(N\).*fixed price/,
    );
    expect(() =>
      idleCost({
        Resources: {
          St: {
            Type: 'AWS::ApiGateway::Stage',
            Properties: { CacheClusterEnabled: true, CacheClusterSize: '2' },
          },
        },
      }),
    ).toThrow(/CacheClusterSize is "2" \(expected one of 0.5, 1.6/);
    expect(() => idleCost({ Resources: { C: consumer } })).toThrow(/C StreamARN is .*expected a/);
  });
});
