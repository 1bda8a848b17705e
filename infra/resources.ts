/**
 * THE one definition of LiveInsight's AWS resources: tables, the Kinesis stream, buckets and
 * the event-source-mapping settings. Plain data on purpose — no aws-cdk-lib import — so the
 * local bootstrap, the handlers' env wiring and the CDK stack all read it without loading CDK.
 *
 * Names derive from a prefix: the stage name (`liveinsight-dev`) locally and on AWS, a unique
 * prefix per integration-test file so that files run in parallel on one emulator.
 */
import { RETENTION, WINDOWS } from '../schemas/limits';
import { READ_TOKEN_LIFETIME_SECONDS } from '../schemas/query';
import type { TierName } from '../schemas/registry';
import {
  DEFAULT_ACTIVE_SESSION_SHARDS,
  MAX_ACTIVE_SESSION_SHARDS,
  ShardPlanError,
  parseShardPlan,
  type ShardPlan,
  type SiteShards,
} from '../schemas/shard-plan';

/** DynamoDB scalar attribute types used in keys. */
export type KeyType = 'S' | 'N';

export interface KeyAttribute {
  readonly name: string;
  readonly type: KeyType;
}

export type StreamViewType = 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES' | 'KEYS_ONLY';

export interface GlobalSecondaryIndexDefinition {
  readonly indexName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  readonly projection: 'ALL' | 'KEYS_ONLY';
}

export interface TtlDefinition {
  /** Number attribute holding the expiry in epoch seconds (DynamoDB TTL's format). */
  readonly attribute: string;
  /** How long after the item's reference time (write or last activity) it expires. */
  readonly retentionSeconds: number;
}

export const TABLE_KEYS = [
  'events',
  'sessions',
  'activeSessions',
  'badRows',
  'readTokens',
  'realtimeRollups',
  'registry',
] as const;
export type TableKey = (typeof TABLE_KEYS)[number];

export interface TableDefinition {
  readonly key: TableKey;
  /** CloudFormation logical id and construct id in the CDK stack. */
  readonly logicalId: string;
  readonly tableName: string;
  readonly partitionKey: KeyAttribute;
  readonly sortKey?: KeyAttribute;
  /** Undefined: no TTL (the registry's sites and keys live until an operator changes them). */
  readonly ttl?: TtlDefinition;
  /** Undefined: no stream. */
  readonly stream?: StreamViewType;
  readonly globalSecondaryIndexes: readonly GlobalSecondaryIndexDefinition[];
  readonly billingMode: 'PAY_PER_REQUEST';
}

export const BUCKET_KEYS = ['failures', 'dashboard'] as const;
export type BucketKey = (typeof BUCKET_KEYS)[number];

export interface ResourceNames {
  readonly prefix: string;
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly eventsStream: string;
  /** The consumer's enhanced fan-out registration on the events stream (CONSUMER_KINESIS_READER). */
  readonly eventsStreamConsumer: string;
  readonly buckets: Readonly<Record<BucketKey, string>>;
}

const DAY_SECONDS = 86_400;

/** Shared attribute name of every table's TTL. */
export const TTL_ATTRIBUTE = 'expiresAt';

/**
 * Retention per table in seconds, from the one definition of the windows and retention
 * (schemas/limits.ts, which the pipeline reads too): raw events 90 days, bad rows 30 days.
 */
export const RETENTION_SECONDS = {
  events: RETENTION.eventsDays * DAY_SECONDS,
  sessions: RETENTION.sessionsDays * DAY_SECONDS,
  /** ActiveSessions expire 30 minutes after the session's last activity (GA4's window). */
  activeSessions: WINDOWS.activeSessionMs / 1000,
  badRows: RETENTION.badRowsDays * DAY_SECONDS,
  /** Query API read tokens expire a year after creation unless rotated sooner (issue 8). */
  readTokens: READ_TOKEN_LIFETIME_SECONDS,
  /**
   * Realtime rollup buckets are read for at most an hour (pipeline/realtime/rollup.ts sets each
   * item's own expiry); this is the chunk markers' lifetime: the stream's 24 h retention + 1 day.
   */
  realtimeRollups: 2 * DAY_SECONDS,
} as const satisfies Partial<Record<TableKey, number>>;

/** Tables whose items expire (every table but the registry). */
type ExpiringTableKey = keyof typeof RETENTION_SECONDS;

/** Default number of partition shards of ActiveSessions (`${siteId}#${shard}`, shard 0..N-1). */
export { DEFAULT_ACTIVE_SESSION_SHARDS, MAX_ACTIVE_SESSION_SHARDS };

/** Name of the Sessions GSI that lists a site's sessions of one day by start time. */
export const SESSIONS_BY_SITE_DAY_INDEX = 'bySiteDay';

export class ResourceDefinitionError extends Error {
  override readonly name = 'ResourceDefinitionError';
}

/**
 * Prefix rules: the strictest name among our resources is an S3 bucket name (lowercase letters,
 * digits and hyphens, 3–63 characters); the longest suffix is `-active-sessions` (16), so the
 * prefix stays ≤ 40 characters and every derived name stays valid everywhere.
 */
const PREFIX_PATTERN = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;

export function assertValidPrefix(prefix: string): void {
  if (!PREFIX_PATTERN.test(prefix) || prefix.includes('--')) {
    throw new ResourceDefinitionError(
      `Resource prefix ${JSON.stringify(prefix)} is invalid (expected 1–40 lowercase letters, ` +
        'digits or single hyphens, starting and ending with a letter or digit)',
    );
  }
}

export function resourceNames(prefix: string): ResourceNames {
  assertValidPrefix(prefix);
  return {
    prefix,
    tables: {
      events: `${prefix}-events`,
      sessions: `${prefix}-sessions`,
      activeSessions: `${prefix}-active-sessions`,
      badRows: `${prefix}-bad-rows`,
      readTokens: `${prefix}-read-tokens`,
      realtimeRollups: `${prefix}-realtime-rollups`,
      registry: `${prefix}-registry`,
    },
    eventsStream: `${prefix}-events`,
    eventsStreamConsumer: `${prefix}-events-consumer`,
    buckets: {
      failures: `${prefix}-failures`,
      dashboard: `${prefix}-dashboard`,
    },
  };
}

/**
 * Table definitions in a fixed order (events, sessions, activeSessions, badRows, readTokens,
 * realtimeRollups, registry).
 */
export function tableDefinitions(prefix: string): readonly TableDefinition[] {
  const names = resourceNames(prefix).tables;
  const ttl = (key: ExpiringTableKey): TtlDefinition => ({
    attribute: TTL_ATTRIBUTE,
    retentionSeconds: RETENTION_SECONDS[key],
  });
  return [
    {
      // pk = `${siteId}#${sessionId}`, sk = eventId: a deterministic key makes raw writes idempotent.
      key: 'events',
      logicalId: 'EventsTable',
      tableName: names.events,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttl: ttl('events'),
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    },
    {
      // pk = `${siteId}#${sessionId}`; one item per session. The stream feeds the processor.
      key: 'sessions',
      logicalId: 'SessionsTable',
      tableName: names.sessions,
      partitionKey: { name: 'pk', type: 'S' },
      ttl: ttl('sessions'),
      stream: 'NEW_AND_OLD_IMAGES',
      globalSecondaryIndexes: [
        {
          // siteDay = `${siteId}#${yyyy-mm-dd}`, startedAt = epoch ms: a day's sessions in order.
          indexName: SESSIONS_BY_SITE_DAY_INDEX,
          partitionKey: { name: 'siteDay', type: 'S' },
          sortKey: { name: 'startedAt', type: 'N' },
          // Keys only: the index entry changes only when a session starts, so the per-batch
          // Sessions writes don't also bill an index write (bench:consumer: 1.40 → 1.27 WCU/event).
          projection: 'KEYS_ONLY',
        },
      ],
      billingMode: 'PAY_PER_REQUEST',
    },
    {
      // pk = `${siteId}#${shard}` (shard 0..N-1 spreads a hot site), sk = sessionId.
      key: 'activeSessions',
      logicalId: 'ActiveSessionsTable',
      tableName: names.activeSessions,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttl: ttl('activeSessions'),
      stream: 'NEW_AND_OLD_IMAGES',
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    },
    {
      // pk = `${yyyy-mm-dd}#${bucket}`, sk = `${source}#${position}` (e.g. shard#sequence).
      key: 'badRows',
      logicalId: 'BadRowsTable',
      tableName: names.badRows,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttl: ttl('badRows'),
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    },
    {
      // Query API read tokens (issue 8): pk = siteId, sk = SHA-256 of the token. The key holds
      // the site, so a token of site A is never found under site B; tokens are never stored.
      key: 'readTokens',
      logicalId: 'ReadTokensTable',
      tableName: names.readTokens,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttl: ttl('readTokens'),
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    },
    {
      // Per-site, per-minute counters that answer GET /realtime (pk = siteId, sk = minute), and
      // the rollup function's chunk markers (pk = `#chunk#${eventID}`), which make its
      // transactions apply each stream record once. No stream: nothing derives from it.
      key: 'realtimeRollups',
      logicalId: 'RealtimeRollupsTable',
      tableName: names.realtimeRollups,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttl: ttl('realtimeRollups'),
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    },
    {
      // Sites and their ingest keys (issue 13; item shapes in schemas/registry.ts): pk = siteId,
      // sk = `site` or `ingestKey#<sha256 of the key>`. One partition per site, so the ingest
      // authorizer reads a key and its site with one Query on the site the key names. No TTL
      // (a site or key ends by an operator's disable or revoke), no stream (nothing derives
      // from it).
      key: 'registry',
      logicalId: 'RegistryTable',
      tableName: names.registry,
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    },
  ];
}

export function tableDefinition(prefix: string, key: TableKey): TableDefinition {
  const found = tableDefinitions(prefix).find((table) => table.key === key);
  if (found === undefined) {
    throw new ResourceDefinitionError(`No table definition for ${JSON.stringify(key)}`);
  }
  return found;
}

export interface StreamSettings {
  /** Provisioned shards: locally always, on AWS when `mode` is `provisioned`. */
  readonly shardCount: number;
  readonly mode: 'provisioned' | 'on-demand';
  readonly retentionHours: number;
}

export const DEFAULT_LOCAL_SHARD_COUNT = 2;

export interface EventsStreamDefinition {
  readonly logicalId: string;
  readonly streamName: string;
  readonly settings: StreamSettings;
}

export function eventsStreamDefinition(
  prefix: string,
  settings: Partial<StreamSettings> = {},
): EventsStreamDefinition {
  const resolved: StreamSettings = {
    shardCount: settings.shardCount ?? DEFAULT_LOCAL_SHARD_COUNT,
    mode: settings.mode ?? 'provisioned',
    retentionHours: settings.retentionHours ?? 24,
  };
  assertIntegerInRange('events stream shardCount', resolved.shardCount, 1, 500);
  assertIntegerInRange('events stream retentionHours', resolved.retentionHours, 24, 8_760);
  return {
    logicalId: 'EventsStream',
    streamName: resourceNames(prefix).eventsStream,
    settings: resolved,
  };
}

export interface BucketDefinition {
  readonly key: BucketKey;
  readonly logicalId: string;
  readonly bucketName: string;
}

export function bucketDefinitions(prefix: string): readonly BucketDefinition[] {
  const names = resourceNames(prefix).buckets;
  return [
    // Lambda on-failure destination: S3 records carry the whole invocation payload.
    { key: 'failures', logicalId: 'FailuresBucket', bucketName: names.failures },
    // Static live dashboard (S3 + CloudFront on AWS).
    { key: 'dashboard', logicalId: 'DashboardBucket', bucketName: names.dashboard },
  ];
}

// ---------------------------------------------------------------------------------------------
// Event-source mappings. Field names are Lambda's (CreateEventSourceMapping), so the CDK
// construct and the local runner can be read side by side with the AWS documentation.

export interface EventSourceMappingSettings {
  readonly BatchSize: number;
  readonly MaximumBatchingWindowInSeconds: number;
  readonly ParallelizationFactor: number;
  readonly BisectBatchOnFunctionError: boolean;
  /** -1 = infinite (Lambda's default), else 0–10,000. */
  readonly MaximumRetryAttempts: number;
  /** -1 = infinite, else 60–604,800. */
  readonly MaximumRecordAgeInSeconds: number;
  readonly FunctionResponseTypes: readonly 'ReportBatchItemFailures'[];
  readonly StartingPosition: 'TRIM_HORIZON' | 'LATEST';
}

/**
 * How a Lambda mapping reads Kinesis: `shared-throughput` polls each shard about once a second
 * (standard iterators); `enhanced-fan-out` registers a stream consumer that Kinesis pushes
 * records to over HTTP/2 (about 70 ms on average, per the Kinesis documentation), at a price per
 * consumer-shard hour and per GB read.
 */
export type KinesisReader = 'shared-throughput' | 'enhanced-fan-out';

export type MappingSource =
  | { readonly kind: 'kinesis'; readonly stream: 'events'; readonly reader: KinesisReader }
  | { readonly kind: 'dynamodb-stream'; readonly table: 'sessions' | 'activeSessions' };

export const MAPPING_KEYS = [
  'consumerFromEvents',
  'processorFromSessions',
  'processorFromActiveSessions',
  'rollupFromActiveSessions',
] as const;
export type MappingKey = (typeof MAPPING_KEYS)[number];

export interface EventSourceMappingDefinition {
  readonly key: MappingKey;
  readonly functionKey: 'consumer' | 'processor' | 'rollup';
  readonly source: MappingSource;
  readonly settings: EventSourceMappingSettings;
  /** On-failure destination: always S3 here (only S3 records carry the batch's records). */
  readonly onFailure: { readonly kind: 's3'; readonly bucket: BucketKey };
}

/**
 * Node flags of the consumer Lambda (NODE_OPTIONS). A batch keeps ~1,000 records and their items
 * alive while it is processed, and V8's default young generation copies them on every scavenge;
 * a 32 MB semi-space lets a batch live and die in the young generation (bench:hot-path measures
 * the pipeline with and without it).
 */
export const CONSUMER_NODE_OPTIONS = '--max-semi-space-size=32';

/**
 * Enhanced fan-out: with Lambda's once-a-second polling the consumer alone would spend the 1 s
 * freshness budget (bench:freshness); pushed records leave room for the rollup's hop.
 */
export const CONSUMER_KINESIS_READER: KinesisReader = 'enhanced-fan-out';

/** Consumer ← Kinesis `events` (DESIGN.md sections 1 and 5). */
export const CONSUMER_MAPPING_SETTINGS: EventSourceMappingSettings = {
  BatchSize: 1000,
  // No extra wait: a batching window alone would spend the 1 s freshness budget
  // (bench:freshness). Under load records arrive faster than they are processed, so batches
  // still fill up.
  MaximumBatchingWindowInSeconds: 0,
  ParallelizationFactor: 2,
  BisectBatchOnFunctionError: true,
  MaximumRetryAttempts: 10,
  MaximumRecordAgeInSeconds: 21_600,
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  StartingPosition: 'TRIM_HORIZON',
};

/** Processor ← Sessions and ActiveSessions streams. */
export const PROCESSOR_MAPPING_SETTINGS: EventSourceMappingSettings = {
  BatchSize: 1000,
  MaximumBatchingWindowInSeconds: 1,
  ParallelizationFactor: 1,
  BisectBatchOnFunctionError: true,
  MaximumRetryAttempts: 10,
  MaximumRecordAgeInSeconds: 21_600,
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  StartingPosition: 'TRIM_HORIZON',
};

/**
 * Realtime rollup ← ActiveSessions stream. No batching window: the rollup is on the freshness
 * path (event → /realtime). No bisection: a retried batch must start where the failed one
 * started, because the function's chunk markers are found by a chunk's first record
 * (handlers/rollup); records that cannot be applied are reported, never thrown.
 */
export const ROLLUP_MAPPING_SETTINGS: EventSourceMappingSettings = {
  BatchSize: 1000,
  MaximumBatchingWindowInSeconds: 0,
  ParallelizationFactor: 1,
  BisectBatchOnFunctionError: false,
  MaximumRetryAttempts: 10,
  MaximumRecordAgeInSeconds: 21_600,
  FunctionResponseTypes: ['ReportBatchItemFailures'],
  StartingPosition: 'TRIM_HORIZON',
};

export const EVENT_SOURCE_MAPPINGS: readonly EventSourceMappingDefinition[] = [
  {
    key: 'consumerFromEvents',
    functionKey: 'consumer',
    source: { kind: 'kinesis', stream: 'events', reader: CONSUMER_KINESIS_READER },
    settings: CONSUMER_MAPPING_SETTINGS,
    onFailure: { kind: 's3', bucket: 'failures' },
  },
  {
    key: 'processorFromSessions',
    functionKey: 'processor',
    source: { kind: 'dynamodb-stream', table: 'sessions' },
    settings: PROCESSOR_MAPPING_SETTINGS,
    onFailure: { kind: 's3', bucket: 'failures' },
  },
  {
    key: 'processorFromActiveSessions',
    functionKey: 'processor',
    source: { kind: 'dynamodb-stream', table: 'activeSessions' },
    settings: PROCESSOR_MAPPING_SETTINGS,
    onFailure: { kind: 's3', bucket: 'failures' },
  },
  {
    key: 'rollupFromActiveSessions',
    functionKey: 'rollup',
    source: { kind: 'dynamodb-stream', table: 'activeSessions' },
    settings: ROLLUP_MAPPING_SETTINGS,
    onFailure: { kind: 's3', bucket: 'failures' },
  },
];

/** A mapping with its source and destination resolved to concrete names for one prefix. */
export interface ResolvedEventSourceMapping extends EventSourceMappingDefinition {
  /** Kinesis stream name or DynamoDB table name (whose stream is read). */
  readonly sourceName: string;
  readonly onFailureBucketName: string;
}

export function eventSourceMappings(prefix: string): readonly ResolvedEventSourceMapping[] {
  const names = resourceNames(prefix);
  return EVENT_SOURCE_MAPPINGS.map((mapping) => {
    validateEventSourceMappingSettings(mapping.settings, mapping.key);
    return {
      ...mapping,
      sourceName:
        mapping.source.kind === 'kinesis' ? names.eventsStream : names.tables[mapping.source.table],
      onFailureBucketName: names.buckets[mapping.onFailure.bucket],
    };
  });
}

export class EventSourceMappingSettingsError extends RangeError {
  override readonly name = 'EventSourceMappingSettingsError';
  constructor(
    message: string,
    readonly setting: keyof EventSourceMappingSettings,
    readonly received: unknown,
  ) {
    super(message);
  }
}

function describe(value: unknown): string {
  return typeof value === 'number' || typeof value === 'boolean'
    ? String(value)
    : JSON.stringify(value);
}

function checkRange(
  label: string,
  setting: keyof EventSourceMappingSettings,
  value: number,
  ranges: readonly (readonly [number, number])[],
): void {
  const ok = Number.isInteger(value) && ranges.some(([min, max]) => value >= min && value <= max);
  if (!ok) {
    const expected = ranges
      .map(([min, max]) => (min === max ? String(min) : `${min}–${max}`))
      .join(' or ');
    throw new EventSourceMappingSettingsError(
      `${label}: ${setting} is ${describe(value)} (expected an integer ${expected})`,
      setting,
      value,
    );
  }
}

/**
 * Checks the ranges Lambda enforces for Kinesis and DynamoDB Streams sources (DESIGN.md section
 * 5), so a bad value fails at synth / start-up with the value received and the range expected,
 * not at deploy time.
 */
export function validateEventSourceMappingSettings(
  settings: EventSourceMappingSettings,
  label = 'event source mapping',
): EventSourceMappingSettings {
  checkRange(label, 'BatchSize', settings.BatchSize, [[1, 10_000]]);
  checkRange(label, 'MaximumBatchingWindowInSeconds', settings.MaximumBatchingWindowInSeconds, [
    [0, 300],
  ]);
  checkRange(label, 'ParallelizationFactor', settings.ParallelizationFactor, [[1, 10]]);
  checkRange(label, 'MaximumRetryAttempts', settings.MaximumRetryAttempts, [
    [-1, -1],
    [0, 10_000],
  ]);
  checkRange(label, 'MaximumRecordAgeInSeconds', settings.MaximumRecordAgeInSeconds, [
    [-1, -1],
    [60, 604_800],
  ]);
  if (typeof settings.BisectBatchOnFunctionError !== 'boolean') {
    throw new EventSourceMappingSettingsError(
      `${label}: BisectBatchOnFunctionError is ${describe(settings.BisectBatchOnFunctionError)} (expected true or false)`,
      'BisectBatchOnFunctionError',
      settings.BisectBatchOnFunctionError,
    );
  }
  const responseTypes: readonly unknown[] = settings.FunctionResponseTypes;
  if (!responseTypes.every((type) => type === 'ReportBatchItemFailures')) {
    throw new EventSourceMappingSettingsError(
      `${label}: FunctionResponseTypes is ${describe(responseTypes)} (expected [] or ["ReportBatchItemFailures"])`,
      'FunctionResponseTypes',
      responseTypes,
    );
  }
  const position: unknown = settings.StartingPosition;
  if (position !== 'TRIM_HORIZON' && position !== 'LATEST') {
    throw new EventSourceMappingSettingsError(
      `${label}: StartingPosition is ${describe(position)} (expected "TRIM_HORIZON" or "LATEST")`,
      'StartingPosition',
      position,
    );
  }
  return settings;
}

function assertIntegerInRange(label: string, value: number, min: number, max: number): void {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ResourceDefinitionError(
      `${label} is ${describe(value)} (expected an integer from ${min} to ${max})`,
    );
  }
}

/** Everything for one prefix, for callers that want the whole picture (bootstrap, CDK). */
export interface ResourceDefinitions {
  readonly names: ResourceNames;
  readonly tables: readonly TableDefinition[];
  readonly eventsStream: EventsStreamDefinition;
  readonly buckets: readonly BucketDefinition[];
  readonly eventSourceMappings: readonly ResolvedEventSourceMapping[];
  /** ActiveSessions shards of every site without its own count. */
  readonly activeSessionShards: number;
  /** Each site's ActiveSessions shards and rollup keys (schemas/shard-plan.ts). */
  readonly shardPlan: ShardPlan;
}

export interface ResourceOptions {
  readonly stream?: Partial<StreamSettings>;
  readonly activeSessionShards?: number;
  /** Sites with their own ActiveSessions shards and rollup keys (README "Scale"). */
  readonly siteShards?: Readonly<Record<string, SiteShards>>;
}

export function resourceDefinitions(
  prefix: string,
  options: ResourceOptions = {},
): ResourceDefinitions {
  const activeSessionShards = options.activeSessionShards ?? DEFAULT_ACTIVE_SESSION_SHARDS;
  assertIntegerInRange('activeSessionShards', activeSessionShards, 1, MAX_ACTIVE_SESSION_SHARDS);
  let shardPlan: ShardPlan;
  try {
    shardPlan = parseShardPlan(activeSessionShards, options.siteShards ?? {});
  } catch (cause) {
    if (!(cause instanceof ShardPlanError)) throw cause;
    throw new ResourceDefinitionError(cause.message);
  }
  return {
    names: resourceNames(prefix),
    tables: tableDefinitions(prefix),
    eventsStream: eventsStreamDefinition(prefix, options.stream),
    buckets: bucketDefinitions(prefix),
    eventSourceMappings: eventSourceMappings(prefix),
    activeSessionShards,
    shardPlan,
  };
}

// ---------------------------------------------------------------------------------------------
// Lambda functions: memory, timeout and reserved concurrency (read by the CDK constructs).

export const FUNCTION_KEYS = [
  'consumer',
  'processor',
  'rollup',
  'query',
  'authorizer',
  'ingestAuthorizer',
] as const;
export type FunctionKey = (typeof FUNCTION_KEYS)[number];

export interface FunctionTuning {
  readonly memoryMb: number;
  readonly timeoutSeconds: number;
}

/**
 * Memory and timeout of every function. The seed's setting is 512 MB / 15 s (the consumer's);
 * where a function departs, the entry says why.
 */
export const FUNCTION_TUNING = {
  consumer: { memoryMb: 512, timeoutSeconds: 15 },
  // 256 MB: the processor keeps no session state and writes only bad rows (metrics leave as EMF
  // on stdout). 30 s: a batch of up to 1,000 stream records with BatchWriteItem retries under
  // backoff must not time out, since a timeout re-sends the whole batch.
  processor: { memoryMb: 256, timeoutSeconds: 30 },
  // 256 MB: counters only. 30 s: sequential TransactWriteItems of ≤ 100 items with the SDK's
  // backoff on TransactionConflict (rollup-function.ts).
  rollup: { memoryMb: 256, timeoutSeconds: 30 },
  // 10 s: an API caller waits; a read that has not answered in 10 s has failed (API Gateway
  // gives up at 29 s).
  query: { memoryMb: 512, timeoutSeconds: 10 },
  authorizer: { memoryMb: 512, timeoutSeconds: 10 },
  // The ingest key authorizer (handlers/ingest-authorizer/). 256 MB: one BatchGetItem and a hash
  // per call. 5 s: API Gateway waits for it on the request path; with the result cache it runs
  // about once per key per TTL.
  ingestAuthorizer: { memoryMb: 256, timeoutSeconds: 5 },
} as const satisfies Record<FunctionKey, FunctionTuning>;

/**
 * Shards Lambda's concurrency is sized for on an on-demand Kinesis stream, whose shard count is
 * AWS's to choose: a new on-demand stream takes 4 MB/s of writes, i.e. 4 shards.
 */
export const ON_DEMAND_KINESIS_SHARD_ESTIMATE = 4;

/**
 * Shards of a DynamoDB stream: one per table partition, AWS's to choose; a new on-demand table
 * starts with about 4. Too few reserved means throttled batches (lag in the IteratorAge alarm),
 * never lost records.
 */
export const DYNAMODB_STREAM_SHARD_ESTIMATE = 4;

/**
 * The query path's caps: at ~30 ms a call, 10 concurrent query invocations serve ~300 rps, far
 * above the read routes' stage throttles; the authorizer's decisions are cached 60 s.
 */
export const QUERY_CONCURRENCY_CAP = 10;
export const AUTHORIZER_CONCURRENCY_CAP = 5;
/**
 * The ingest key authorizer runs once per key per cache TTL, not per request; 10 concurrent calls
 * of ~50 ms check ~200 new keys a second, and a cap keeps a flood of made-up keys (each a cache
 * miss) from taking the stream functions' concurrency.
 */
export const INGEST_AUTHORIZER_CONCURRENCY_CAP = 10;

/**
 * Reserved concurrency of every function. A stream function runs at most shards ×
 * ParallelizationFactor invocations per mapping (Lambda processes a shard's batches in order),
 * so that is what it reserves — it can never be starved by a read flood, and never takes more.
 * The query path gets a cap instead.
 */
export function reservedConcurrency(
  stream: Pick<StreamSettings, 'mode' | 'shardCount'>,
  dynamodbStreamShards: number = DYNAMODB_STREAM_SHARD_ESTIMATE,
): Readonly<Record<FunctionKey, number>> {
  assertIntegerInRange('dynamodbStreamShards', dynamodbStreamShards, 1, 1_000);
  const kinesisShards =
    stream.mode === 'on-demand' ? ON_DEMAND_KINESIS_SHARD_ESTIMATE : stream.shardCount;
  const byFunction: Record<FunctionKey, number> = {
    consumer: 0,
    processor: 0,
    rollup: 0,
    query: QUERY_CONCURRENCY_CAP,
    authorizer: AUTHORIZER_CONCURRENCY_CAP,
    ingestAuthorizer: INGEST_AUTHORIZER_CONCURRENCY_CAP,
  };
  for (const mapping of EVENT_SOURCE_MAPPINGS) {
    const shards = mapping.source.kind === 'kinesis' ? kinesisShards : dynamodbStreamShards;
    byFunction[mapping.functionKey] += shards * mapping.settings.ParallelizationFactor;
  }
  return byFunction;
}

// ---------------------------------------------------------------------------------------------
// Stack outputs the admin CLI (cli/target.ts) reads to find a deployed stage's resources. Table
// names follow the stage prefix, but bucket names are CloudFormation's to choose and the salt
// secret's ARN ends in a random suffix: the outputs are the one place that says what is deployed.
// Here, beside the resources, because cli/ may import infra/resources.ts and nothing else of infra/.

export const ADMIN_TABLE_OUTPUTS = {
  events: 'EventsTableName',
  sessions: 'SessionsTableName',
  activeSessions: 'ActiveSessionsTableName',
  badRows: 'BadRowsTableName',
  readTokens: 'ReadTokensTableName',
  realtimeRollups: 'RealtimeRollupsTableName',
  registry: 'RegistryTableName',
} as const satisfies Record<TableKey, string>;

export const ADMIN_OUTPUTS = {
  /** The on-failure destination (consumer, processor, rollup) and oversized bad-row payloads. */
  failureBucket: 'FailuresBucketName',
  /** The Secrets Manager secret whose value keys the daily visitor salt (the consumer's). */
  visitorSaltSecretArn: 'VisitorSaltSecretArn',
  /** Partition shards of ActiveSessions (the consumer's projection key). */
  activeSessionShards: 'ActiveSessionShards',
  /** Sites with their own ActiveSessions shards and rollup keys, JSON (schemas/shard-plan.ts). */
  siteShards: 'SiteShards',
  /** The REST API (ingest and query): `sites add` prints the script tag's API URL from it. */
  apiUrl: 'ApiUrl',
  /** The REST API's id, for the operator's messages about its API keys. */
  apiId: 'IngestApiId',
  /** The live dashboard: `sites add` and `read-tokens issue` print its link with a read token. */
  dashboardUrl: 'DashboardUrl',
  /** The tracker's versioned URL and SRI hash (dashboard hosting): `sites add`'s script tag. */
  trackerScriptUrl: 'TrackerScriptUrl',
  trackerIntegrity: 'TrackerIntegrity',
} as const;

/**
 * The usage plan of each tier: on a deployed stage `keys add` attaches the ingest key's API
 * Gateway key to its tier's plan (CreateUsagePlanKey), so the plan's throttle and quota apply.
 */
export const ADMIN_USAGE_PLAN_OUTPUTS = {
  starter: 'UsagePlanStarterId',
  standard: 'UsagePlanStandardId',
  scale: 'UsagePlanScaleId',
} as const satisfies Record<TierName, string>;
