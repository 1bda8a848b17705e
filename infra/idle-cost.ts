/**
 * What one synthesized stage bills per month with no traffic at all: a pure function over the
 * CloudFormation template that counts the resources with a fixed hourly or monthly price and
 * prices them (us-east-1 list prices, IDLE_PRICES). Everything else in the template bills per
 * request, GB-second or GB stored and costs nothing while idle (docs/operations/cost.md lists
 * it). A resource type that has a fixed price but is missing here would make the figure too low,
 * so FIXED_COST_TYPES_NOT_PRICED names the ones known to exist and idleCost refuses them.
 *
 * `npm run bench:idle-cost` prints it for the default stage and the small profile;
 * infra/idle-cost.test.ts holds both to their targets (DESIGN.md section 6).
 */

/** Hours in a billing month, as AWS's pricing pages count them. */
export const HOURS_PER_MONTH = 730;

/**
 * us-east-1 list prices. Kinesis: DESIGN.md section 5; the others from each service's pricing
 * page (docs/operations/cost.md).
 */
export const IDLE_PRICES = {
  kinesisShardHourUsd: 0.015,
  kinesisOnDemandStreamHourUsd: 0.04,
  /** Enhanced fan-out on a provisioned stream, per consumer and shard; on-demand: per GB only. */
  kinesisEfoConsumerShardHourUsd: 0.015,
  /** API Gateway REST cache cluster, per hour, by size in GB. */
  apiCacheHourUsdBySize: {
    '0.5': 0.02,
    '1.6': 0.038,
    '6.1': 0.2,
    '13.5': 0.25,
    '28.4': 0.5,
    '58.2': 1.0,
    '118': 1.9,
    '237': 3.8,
  } as Readonly<Record<string, number>>,
  /** Per standard-resolution metric an alarm reads (a metric-math alarm bills each metric). */
  alarmMetricMonthUsd: 0.1,
  /** High-resolution (period under 60 s) alarm metrics. */
  highResolutionAlarmMetricMonthUsd: 0.3,
  compositeAlarmMonthUsd: 0.5,
  /** Beyond the account's free dashboards. */
  dashboardMonthUsd: 3,
  /** Beyond the account's free budgets: $0.02 a day. */
  budgetDayUsd: 0.02,
  secretMonthUsd: 0.4,
  webAclMonthUsd: 5,
  /** Per rule or rule group in a web ACL. */
  webAclRuleMonthUsd: 1,
  /** Customer-managed KMS key. */
  kmsKeyMonthUsd: 1,
} as const;

/** Resource types with a fixed price that idleCost does not price: refused, never ignored. */
export const FIXED_COST_TYPES_NOT_PRICED = [
  'AWS::EC2::NatGateway',
  'AWS::ElasticLoadBalancingV2::LoadBalancer',
  'AWS::EC2::VPCEndpoint',
  'AWS::Route53::HostedZone',
  'AWS::DynamoDB::GlobalTable',
  'AWS::ElastiCache::CacheCluster',
  'AWS::RDS::DBInstance',
  'AWS::ApiGatewayV2::DomainName',
] as const;

/**
 * Allowances the account gives for free (3 dashboards, 2 budgets). A stage that is the only one
 * in its account uses them; a second stage in the same account does not get them again.
 */
export interface FreeAllowances {
  readonly dashboards: number;
  readonly budgets: number;
}

export const FIRST_STAGE_ALLOWANCES: FreeAllowances = { dashboards: 3, budgets: 2 };
export const NO_ALLOWANCES: FreeAllowances = { dashboards: 0, budgets: 0 };

export interface IdleCostItem {
  /** What is billed, e.g. "Kinesis stream, provisioned, 1 shard". */
  readonly item: string;
  readonly count: number;
  readonly usdPerMonth: number;
}

export interface IdleCost {
  readonly items: readonly IdleCostItem[];
  readonly usdPerMonth: number;
}

interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export interface CfnTemplate {
  readonly Resources?: Record<string, CfnResource>;
}

/** Cents, so a sum of list prices does not pick up binary fractions. */
function round(usd: number): number {
  return Math.round(usd * 100) / 100;
}

function positiveInteger(value: unknown, what: string): number {
  const parsed = typeof value === 'string' ? Number(value) : value;
  if (typeof parsed !== 'number' || !Number.isInteger(parsed) || parsed < 1) {
    throw new Error(`${what} is ${JSON.stringify(value)} (expected a positive integer)`);
  }
  return parsed;
}

/** The logical id a `{Fn::GetAtt: [id, 'Arn']}` or `{Ref: id}` points at. */
function referencedId(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const record = value as Record<string, unknown>;
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return getAtt[0];
  if (typeof record['Ref'] === 'string') return record['Ref'];
  return undefined;
}

interface StreamShape {
  readonly onDemand: boolean;
  readonly shards: number;
}

function streamShape(id: string, resource: CfnResource): StreamShape {
  const props = resource.Properties ?? {};
  const details = props['StreamModeDetails'] as Record<string, unknown> | undefined;
  if (details?.['StreamMode'] === 'ON_DEMAND') return { onDemand: true, shards: 0 };
  // Without StreamModeDetails, CloudFormation creates a provisioned stream of ShardCount shards.
  return { onDemand: false, shards: positiveInteger(props['ShardCount'], `${id} ShardCount`) };
}

/** Metrics an alarm bills: one, or each MetricStat of a metric-math alarm. */
function alarmMetrics(resource: CfnResource): { standard: number; highResolution: number } {
  const props = resource.Properties ?? {};
  const metrics = props['Metrics'];
  if (Array.isArray(metrics)) {
    let standard = 0;
    let highResolution = 0;
    for (const metric of metrics as Record<string, unknown>[]) {
      const stat = metric['MetricStat'] as Record<string, unknown> | undefined;
      if (stat === undefined) continue; // an expression is not a billed metric
      if (Number(stat['Period']) < 60) highResolution += 1;
      else standard += 1;
    }
    return { standard, highResolution };
  }
  return Number(props['Period']) < 60
    ? { standard: 0, highResolution: 1 }
    : { standard: 1, highResolution: 0 };
}

/**
 * Itemised idle cost of one stage's template. `allowances`: the account's free dashboards and
 * budgets this stage uses (FIRST_STAGE_ALLOWANCES for the only stage of an account).
 */
export function idleCost(
  template: CfnTemplate,
  allowances: FreeAllowances = NO_ALLOWANCES,
): IdleCost {
  const resources = Object.entries(template.Resources ?? {});
  const ofType = (type: string) => resources.filter(([, resource]) => resource.Type === type);
  for (const type of FIXED_COST_TYPES_NOT_PRICED) {
    const found = ofType(type);
    if (found.length > 0) {
      throw new Error(
        `template has ${type} (${found.map(([id]) => id).join(', ')}), which has a fixed price ` +
          'idleCost does not know (expected none: add its price to infra/idle-cost.ts)',
      );
    }
  }
  const items: IdleCostItem[] = [];
  const add = (item: string, count: number, usdPerMonth: number) => {
    if (count > 0) items.push({ item, count, usdPerMonth: round(usdPerMonth) });
  };

  const streams = new Map<string, StreamShape>();
  for (const [id, resource] of ofType('AWS::Kinesis::Stream')) {
    const shape = streamShape(id, resource);
    streams.set(id, shape);
    if (shape.onDemand) {
      add(
        `Kinesis stream ${id}, on-demand`,
        1,
        IDLE_PRICES.kinesisOnDemandStreamHourUsd * HOURS_PER_MONTH,
      );
    } else {
      add(
        `Kinesis stream ${id}, provisioned, ${shape.shards} shard(s)`,
        shape.shards,
        shape.shards * IDLE_PRICES.kinesisShardHourUsd * HOURS_PER_MONTH,
      );
    }
  }
  for (const [id, resource] of ofType('AWS::Kinesis::StreamConsumer')) {
    const streamId = referencedId(resource.Properties?.['StreamARN']);
    const stream = streamId === undefined ? undefined : streams.get(streamId);
    if (stream === undefined) {
      throw new Error(
        `${id} StreamARN is ${JSON.stringify(resource.Properties?.['StreamARN'])} (expected a ` +
          'reference to a stream of this template, whose shards it bills)',
      );
    }
    // On an on-demand stream enhanced fan-out bills per GB read only: nothing while idle.
    if (!stream.onDemand) {
      add(
        `Enhanced fan-out consumer ${id} × ${stream.shards} shard(s)`,
        stream.shards,
        stream.shards * IDLE_PRICES.kinesisEfoConsumerShardHourUsd * HOURS_PER_MONTH,
      );
    }
  }
  for (const [id, resource] of ofType('AWS::ApiGateway::Stage')) {
    const props = resource.Properties ?? {};
    if (props['CacheClusterEnabled'] !== true) continue;
    const size = String(props['CacheClusterSize'] ?? '0.5');
    const hourly = IDLE_PRICES.apiCacheHourUsdBySize[size];
    if (hourly === undefined) {
      throw new Error(
        `${id} CacheClusterSize is ${JSON.stringify(size)} (expected one of ` +
          `${Object.keys(IDLE_PRICES.apiCacheHourUsdBySize)
            .sort((a, b) => Number(a) - Number(b))
            .join(', ')})`,
      );
    }
    add(`API Gateway cache cluster ${size} GB (${id})`, 1, hourly * HOURS_PER_MONTH);
  }
  let standard = 0;
  let highResolution = 0;
  const alarms = ofType('AWS::CloudWatch::Alarm');
  for (const [, resource] of alarms) {
    const metrics = alarmMetrics(resource);
    standard += metrics.standard;
    highResolution += metrics.highResolution;
  }
  add(
    `CloudWatch alarms (${alarms.length}) reading ${standard} standard-resolution metric(s)`,
    standard,
    standard * IDLE_PRICES.alarmMetricMonthUsd,
  );
  add(
    'CloudWatch alarm metrics, high resolution',
    highResolution,
    highResolution * IDLE_PRICES.highResolutionAlarmMetricMonthUsd,
  );
  const composites = ofType('AWS::CloudWatch::CompositeAlarm').length;
  add('CloudWatch composite alarms', composites, composites * IDLE_PRICES.compositeAlarmMonthUsd);
  const dashboards = ofType('AWS::CloudWatch::Dashboard').length;
  const billedDashboards = Math.max(0, dashboards - allowances.dashboards);
  add(
    `CloudWatch dashboards (${dashboards}, ${dashboards - billedDashboards} within the free ones)`,
    billedDashboards,
    billedDashboards * IDLE_PRICES.dashboardMonthUsd,
  );
  const budgets = ofType('AWS::Budgets::Budget').length;
  const billedBudgets = Math.max(0, budgets - allowances.budgets);
  add(
    `AWS Budgets budgets (${budgets}, ${budgets - billedBudgets} within the free ones)`,
    billedBudgets,
    (billedBudgets * IDLE_PRICES.budgetDayUsd * HOURS_PER_MONTH) / 24,
  );
  const secrets = ofType('AWS::SecretsManager::Secret').length;
  add('Secrets Manager secrets', secrets, secrets * IDLE_PRICES.secretMonthUsd);
  for (const [id, resource] of ofType('AWS::WAFv2::WebACL')) {
    const rules = resource.Properties?.['Rules'];
    const ruleCount = Array.isArray(rules) ? rules.length : 0;
    add(
      `WAF web ACL ${id} + ${ruleCount} rule(s)`,
      1,
      IDLE_PRICES.webAclMonthUsd + ruleCount * IDLE_PRICES.webAclRuleMonthUsd,
    );
  }
  const keys = ofType('AWS::KMS::Key').length;
  add('KMS customer-managed keys', keys, keys * IDLE_PRICES.kmsKeyMonthUsd);

  return {
    items,
    usdPerMonth: round(items.reduce((sum, item) => sum + item.usdPerMonth, 0)),
  };
}

/**
 * The documented small profile (docs/operations/cost.md, README "Deploy to AWS"): one
 * provisioned shard read with shared throughput, no WAF, no backup plan, no API cache cluster.
 */
export const SMALL_PROFILE_CONTEXT = {
  streamMode: 'provisioned',
  shardCount: '1',
  consumerReader: 'shared-throughput',
  waf: 'false',
  backup: 'false',
  apiCache: 'false',
} as const satisfies Record<string, string>;
