/**
 * The deploy-time settings of one stage, read once from CDK context (`cdk.json` or
 * `npm run deploy -- -c key=value`) and validated here, so a wrong value fails `synth` with the
 * context key, the value received and the form expected — before CloudFormation sees it.
 *
 * Context values given on the command line always arrive as strings (`-c shardCount=4` is
 * "4"); values in cdk.json keep their JSON type. Both are accepted.
 *
 * | context key | form | default |
 * |---|---|---|
 * | `stage` | 1–40 lowercase letters, digits, single hyphens | `liveinsight-dev` |
 * | `alarmEmail` | an e-mail address (alarms and budget notifications) | none: no subscription |
 * | `monthlyBudgetUsd` | a positive number of US dollars | 50 |
 * | `sites` | refused: sites and their origins live in the registry table (`npm run admin -- sites add … --stage <stage>`), not in the deployment | — |
 * | `streamMode` | `on-demand` or `provisioned` | `provisioned` |
 * | `shardCount` | an integer 1–500 (provisioned only) | 1 |
 * | `activeSessionShards` | an integer 1–64: ActiveSessions partition keys of every site without its own count | 4 |
 * | `siteShards` | `bigshop=64/32;blog=8` (site = ActiveSessions shards 1–64 [/ rollup keys dividing them]) or JSON `{"bigshop":{"activeSessionShards":64,"rollupKeys":32}}`; hot site at 30,000 events/s: `=64/32` (README "Scale") | none |
 * | `apiGatewayCloudWatchRole` | `true` or `false`: create the account's API Gateway logging role (once per account and region) | `true` |
 * | `consumerReader` | `enhanced-fan-out` (pushed, ≈ 70 ms) or `shared-throughput` (polled ≈ 1/s; no $0.015 per shard-hour consumer charge) | `enhanced-fan-out` |
 * | `apiCache` | `true` or `false`: the API stage's 0.5 GB cache cluster ($0.02 an hour) for `GET /realtime` and `/health`; off, the query function caches `/realtime` 3 s itself | `true` |
 * | `runbookBaseUrl` | an https URL ending in `/` where this repository's files are browsable (alarm descriptions link `<base>docs/operations/troubleshooting.md#…`) | none: repository-relative links |
 */
import {
  DEFAULT_ACTIVE_SESSION_SHARDS,
  MAX_ACTIVE_SESSION_SHARDS,
  ShardPlanError,
  parseShardPlan,
  parseSiteShardsShorthand,
  type SiteShards,
} from '../schemas/shard-plan';
import { CONSUMER_KINESIS_READER, assertValidPrefix, type KinesisReader } from './resources';

export type StreamMode = 'on-demand' | 'provisioned';

export interface StageConfig {
  /** Resource prefix, stack name, API stage name and metrics namespace suffix. */
  readonly stage: string;
  /** Where alarm and budget notifications go; undefined: the SNS topic has no subscription. */
  readonly alarmEmail: string | undefined;
  readonly monthlyBudgetUsd: number;
  readonly streamMode: StreamMode;
  /** Shards of a provisioned stream (ignored on-demand). */
  readonly shardCount: number;
  /** ActiveSessions shards of every site without its own count (schemas/shard-plan.ts). */
  readonly activeSessionShards: number;
  /** Sites with their own ActiveSessions shards and rollup keys: the hot ones. */
  readonly siteShards: Readonly<Record<string, SiteShards>>;
  /**
   * Create the account-level API Gateway → CloudWatch Logs role and its AWS::ApiGateway::Account
   * setting. One per account and region: a second stage in the same account sets this false.
   */
  readonly apiGatewayCloudWatchRole: boolean;
  /**
   * Prefix of the runbook links in alarm descriptions, e.g.
   * `https://github.com/acme/liveinsight/blob/main/`; empty: links relative to the repository.
   */
  readonly runbookBaseUrl: string;
  /** How the consumer reads the events stream (docs/operations/cost.md: the small profile). */
  readonly consumerReader: KinesisReader;
  /** The API stage's cache cluster (infra/constructs/query-api.ts; cost.md: the small profile). */
  readonly apiCache: boolean;
}

/** The context keys this module reads, each written once. */
export const STAGE_CONTEXT_KEYS = {
  stage: 'stage',
  alarmEmail: 'alarmEmail',
  monthlyBudgetUsd: 'monthlyBudgetUsd',
  streamMode: 'streamMode',
  shardCount: 'shardCount',
  activeSessionShards: 'activeSessionShards',
  siteShards: 'siteShards',
  apiGatewayCloudWatchRole: 'apiGatewayCloudWatchRole',
  runbookBaseUrl: 'runbookBaseUrl',
  consumerReader: 'consumerReader',
  apiCache: 'apiCache',
} as const satisfies Record<keyof StageConfig, string>;

/** A context key read only to refuse it (sites live in the registry table now). */
export const REMOVED_SITES_CONTEXT_KEY = 'sites';

export const STAGE_DEFAULTS = {
  stage: 'liveinsight-dev',
  monthlyBudgetUsd: 50,
  // One provisioned shard ($0.015/h ≈ $11/month) instead of on-demand ($0.04/h ≈ $29/month
  // before any data): the idle cost decides the default (docs/operations/cost.md).
  streamMode: 'provisioned',
  shardCount: 1,
  activeSessionShards: DEFAULT_ACTIVE_SESSION_SHARDS,
  apiGatewayCloudWatchRole: true,
  apiCache: true,
} as const satisfies Partial<StageConfig>;

export class StageConfigError extends Error {
  override readonly name = 'StageConfigError';
  constructor(
    readonly contextKey: string,
    readonly received: unknown,
    expected: string,
  ) {
    super(`context ${contextKey} is ${describe(received)} (expected ${expected})`);
  }
}

function describe(value: unknown): string {
  return JSON.stringify(value) ?? String(value);
}

/** A pragmatic shape check (one @, a dot in the domain, no spaces); SNS confirms the rest. */
const EMAIL_PATTERN = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

function stageFrom(value: unknown): string {
  if (value === undefined) return STAGE_DEFAULTS.stage;
  const key = STAGE_CONTEXT_KEYS.stage;
  if (typeof value !== 'string') {
    throw new StageConfigError(key, value, '1–40 lowercase letters, digits or single hyphens');
  }
  try {
    assertValidPrefix(value);
  } catch {
    throw new StageConfigError(
      key,
      value,
      '1–40 lowercase letters, digits or single hyphens, starting and ending with a letter or digit',
    );
  }
  return value;
}

function emailFrom(value: unknown): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !EMAIL_PATTERN.test(value)) {
    throw new StageConfigError(STAGE_CONTEXT_KEYS.alarmEmail, value, 'an e-mail address');
  }
  return value;
}

function numberFrom(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'string' && value.trim() !== '') return Number(value);
  return undefined;
}

function budgetFrom(value: unknown): number {
  if (value === undefined) return STAGE_DEFAULTS.monthlyBudgetUsd;
  const parsed = numberFrom(value);
  if (parsed === undefined || !Number.isFinite(parsed) || parsed <= 0) {
    throw new StageConfigError(
      STAGE_CONTEXT_KEYS.monthlyBudgetUsd,
      value,
      'a positive number of US dollars',
    );
  }
  return parsed;
}

function streamModeFrom(value: unknown): StreamMode {
  if (value === undefined) return STAGE_DEFAULTS.streamMode;
  if (value === 'on-demand' || value === 'provisioned') return value;
  throw new StageConfigError(STAGE_CONTEXT_KEYS.streamMode, value, 'on-demand or provisioned');
}

function shardCountFrom(value: unknown): number {
  if (value === undefined) return STAGE_DEFAULTS.shardCount;
  const parsed = numberFrom(value);
  if (parsed === undefined || !Number.isInteger(parsed) || parsed < 1 || parsed > 500) {
    throw new StageConfigError(STAGE_CONTEXT_KEYS.shardCount, value, 'an integer from 1 to 500');
  }
  return parsed;
}

function activeSessionShardsFrom(value: unknown): number {
  if (value === undefined) return STAGE_DEFAULTS.activeSessionShards;
  const parsed = numberFrom(value);
  if (
    parsed === undefined ||
    !Number.isInteger(parsed) ||
    parsed < 1 ||
    parsed > MAX_ACTIVE_SESSION_SHARDS
  ) {
    throw new StageConfigError(
      STAGE_CONTEXT_KEYS.activeSessionShards,
      value,
      `an integer from 1 to ${MAX_ACTIVE_SESSION_SHARDS}`,
    );
  }
  return parsed;
}

const SITE_SHARDS_FORM =
  '"<siteId>=<shards 1–64>[/<rollup keys dividing them>]" parts joined by ";" (e.g. "bigshop=64/32") ' +
  'or JSON {"bigshop":{"activeSessionShards":64,"rollupKeys":32}}';

/** Validated with the same rules the functions apply to their env (parseShardPlan). */
function siteShardsFrom(value: unknown, defaultShards: number): Record<string, SiteShards> {
  const key = STAGE_CONTEXT_KEYS.siteShards;
  if (value === undefined || value === '') return {};
  try {
    let sites: unknown = value;
    if (typeof value === 'string') {
      const text = value.trim();
      sites = text.startsWith('{') ? (JSON.parse(text) as unknown) : parseSiteShardsShorthand(text);
    }
    return { ...parseShardPlan(defaultShards, sites).sites };
  } catch (cause) {
    if (cause instanceof ShardPlanError) {
      throw new StageConfigError(`${key}: ${cause.field}`, cause.received, cause.expected);
    }
    if (cause instanceof SyntaxError) throw new StageConfigError(key, value, SITE_SHARDS_FORM);
    throw cause;
  }
}

function booleanFrom(key: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  throw new StageConfigError(key, value, 'true or false');
}

function consumerReaderFrom(value: unknown): KinesisReader {
  if (value === undefined) return CONSUMER_KINESIS_READER;
  if (value === 'enhanced-fan-out' || value === 'shared-throughput') return value;
  throw new StageConfigError(
    STAGE_CONTEXT_KEYS.consumerReader,
    value,
    'enhanced-fan-out or shared-throughput',
  );
}

function runbookBaseUrlFrom(value: unknown): string {
  if (value === undefined || value === '') return '';
  if (typeof value !== 'string' || !/^https:\/\/\S+\/$/.test(value)) {
    throw new StageConfigError(
      STAGE_CONTEXT_KEYS.runbookBaseUrl,
      value,
      'an https URL ending in "/", e.g. "https://github.com/acme/liveinsight/blob/main/"',
    );
  }
  return value;
}

/**
 * Sites used to be deployment context (their origins were stage variables). They are data in
 * the registry table now, changed without a redeploy; a `sites` context is refused so a stale
 * cdk.json or deploy command does not silently do nothing.
 */
function refuseSites(value: unknown): void {
  if (value === undefined || value === '') return;
  throw new StageConfigError(
    REMOVED_SITES_CONTEXT_KEY,
    value,
    'no sites context: sites and their allowed origins live in the registry table; add them with ' +
      '`npm run admin -- sites add --site <id> --origin <origin> --stage <stage>`',
  );
}

/**
 * Reads and validates every stage setting. `context` is `(key) => app.node.tryGetContext(key)`,
 * or a plain lookup in tests.
 */
export function readStageConfig(context: (key: string) => unknown): StageConfig {
  const k = STAGE_CONTEXT_KEYS;
  refuseSites(context(REMOVED_SITES_CONTEXT_KEY));
  const activeSessionShards = activeSessionShardsFrom(context(k.activeSessionShards));
  return {
    stage: stageFrom(context(k.stage)),
    alarmEmail: emailFrom(context(k.alarmEmail)),
    monthlyBudgetUsd: budgetFrom(context(k.monthlyBudgetUsd)),
    streamMode: streamModeFrom(context(k.streamMode)),
    shardCount: shardCountFrom(context(k.shardCount)),
    activeSessionShards,
    siteShards: siteShardsFrom(context(k.siteShards), activeSessionShards),
    apiGatewayCloudWatchRole: booleanFrom(
      k.apiGatewayCloudWatchRole,
      context(k.apiGatewayCloudWatchRole),
      STAGE_DEFAULTS.apiGatewayCloudWatchRole,
    ),
    runbookBaseUrl: runbookBaseUrlFrom(context(k.runbookBaseUrl)),
    consumerReader: consumerReaderFrom(context(k.consumerReader)),
    apiCache: booleanFrom(k.apiCache, context(k.apiCache), STAGE_DEFAULTS.apiCache),
  };
}

/** CloudWatch namespace of one stage's business metrics: stages never add up each other's. */
export function stageMetricsNamespace(baseNamespace: string, stage: string): string {
  return `${baseNamespace}/${stage}`;
}
