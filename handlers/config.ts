/**
 * The one reader of `process.env` (DESIGN.md section 7). Each handler declares what it needs;
 * the reader validates it once at start-up and names every missing or malformed variable.
 */
import { ENV, type EnvName } from './env-names';
import {
  DEFAULT_ACTIVE_SESSION_SHARDS,
  MAX_ACTIVE_SESSION_SHARDS,
  parseShardPlan,
  uniformPlan,
  type ShardPlan,
  ShardPlanError,
} from '../schemas/shard-plan';

export { ENV };

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    readonly problems: readonly string[],
  ) {
    super(message);
  }
}

type Env = Readonly<Record<string, string | undefined>>;

/** Collects problems instead of failing on the first, so one start-up error names them all. */
class EnvReader {
  readonly problems: string[] = [];
  constructor(private readonly env: Env) {}

  required(name: EnvName): string {
    const value = this.env[name];
    if (value === undefined || value.trim() === '') {
      this.problems.push(`${name} is missing (expected a non-empty string)`);
      return '';
    }
    return value;
  }

  optional(name: EnvName): string | undefined {
    const value = this.env[name];
    return value === undefined || value.trim() === '' ? undefined : value;
  }

  integer(name: EnvName, fallback: number, range: { min: number; max: number }): number {
    const raw = this.optional(name);
    if (raw === undefined) return fallback;
    const value = Number(raw);
    if (!Number.isInteger(value) || value < range.min || value > range.max) {
      this.problems.push(
        `${name} is ${JSON.stringify(raw)} (expected an integer from ${range.min} to ${range.max})`,
      );
      return fallback;
    }
    return value;
  }

  url(name: EnvName): string | undefined {
    const raw = this.optional(name);
    if (raw === undefined) return undefined;
    try {
      return new URL(raw).toString().replace(/\/$/, '');
    } catch (cause) {
      this.problems.push(`${name} is ${JSON.stringify(raw)} (expected an absolute URL)`);
      void cause;
      return undefined;
    }
  }

  done<T>(what: string, value: T): T {
    if (this.problems.length > 0) {
      throw new ConfigError(
        `Invalid ${what} configuration: ${this.problems.join('; ')}`,
        this.problems,
      );
    }
    return value;
  }
}

export interface AwsConfig {
  /** Set locally (one LocalStack-style endpoint for every client); unset on AWS. */
  readonly endpoint: string | undefined;
  readonly region: string;
}

function readAws(reader: EnvReader): AwsConfig {
  return {
    endpoint: reader.url(ENV.awsEndpoint),
    region: reader.optional(ENV.awsRegion) ?? 'us-east-1',
  };
}

/** Partition shards of ActiveSessions of every site without its own count. */
function readActiveSessionShards(reader: EnvReader): number {
  return reader.integer(ENV.activeSessionShards, DEFAULT_ACTIVE_SESSION_SHARDS, {
    min: 1,
    max: MAX_ACTIVE_SESSION_SHARDS,
  });
}

/**
 * The per-site plan (schemas/shard-plan.ts): the default count and the sites with
 * their own (JSON `{"bigshop":{"activeSessionShards":64,"rollupKeys":32}}`). Writers and readers
 * of ActiveSessions and of the rollup read the same variables, set from one stage setting.
 */
function readShardPlan(reader: EnvReader, defaultShards: number): ShardPlan {
  const raw = reader.optional(ENV.siteShards);
  if (raw === undefined) return uniformPlan(defaultShards);
  try {
    return parseShardPlan(defaultShards, JSON.parse(raw) as unknown);
  } catch (cause) {
    if (!(cause instanceof SyntaxError) && !(cause instanceof ShardPlanError)) throw cause;
    reader.problems.push(
      `${ENV.siteShards} is ${JSON.stringify(raw.slice(0, 200))} (expected ${cause instanceof SyntaxError ? 'JSON' : cause.message})`,
    );
    return uniformPlan(defaultShards);
  }
}

function readShards(reader: EnvReader): { activeSessionShards: number; shardPlan: ShardPlan } {
  const activeSessionShards = readActiveSessionShards(reader);
  return { activeSessionShards, shardPlan: readShardPlan(reader, activeSessionShards) };
}

export interface ConsumerConfig {
  readonly aws: AwsConfig;
  readonly eventsTable: string;
  readonly sessionsTable: string;
  readonly activeSessionsTable: string;
  readonly badRowsTable: string;
  /** Lambda's on-failure destination; the consumer also keeps oversized bad-row payloads here. */
  readonly failureBucket: string;
  readonly activeSessionShards: number;
  /**
   * ActiveSessions shards per site (activeSessionShards is its default); absent (a config built
   * by hand, e.g. a CLI target of a stage deployed before per-site counts): every site has
   * activeSessionShards.
   */
  readonly shardPlan?: ShardPlan;
  /** Where the HMAC key of the daily visitor salt comes from. */
  readonly visitorSalt: VisitorSaltSource;
}

/**
 * The visitor-salt key: its value from the environment (the local stack, which has no Secrets
 * Manager), or the id of a Secrets Manager secret the consumer reads at runtime (AWS: the value
 * never appears in the function's configuration).
 */
export type VisitorSaltSource =
  | { readonly kind: 'value'; readonly secret: string }
  | { readonly kind: 'secrets-manager'; readonly secretId: string };

function readVisitorSalt(reader: EnvReader): VisitorSaltSource {
  const secret = reader.optional(ENV.visitorSaltSecret);
  const secretId = reader.optional(ENV.visitorSaltSecretArn);
  if (secret !== undefined && secretId !== undefined) {
    reader.problems.push(
      `${ENV.visitorSaltSecret} and ${ENV.visitorSaltSecretArn} are both set (expected one: the key locally, the secret's ARN on AWS)`,
    );
  }
  if (secretId !== undefined) return { kind: 'secrets-manager', secretId };
  if (secret !== undefined) return { kind: 'value', secret };
  reader.problems.push(
    `${ENV.visitorSaltSecretArn} (AWS) or ${ENV.visitorSaltSecret} (local) is missing (expected one of them)`,
  );
  return { kind: 'value', secret: '' };
}

export function readConsumerConfig(env: Env = process.env): ConsumerConfig {
  const reader = new EnvReader(env);
  return reader.done('consumer', {
    aws: readAws(reader),
    eventsTable: reader.required(ENV.eventsTable),
    sessionsTable: reader.required(ENV.sessionsTable),
    activeSessionsTable: reader.required(ENV.activeSessionsTable),
    badRowsTable: reader.required(ENV.badRowsTable),
    failureBucket: reader.required(ENV.failureBucket),
    ...readShards(reader),
    visitorSalt: readVisitorSalt(reader),
  });
}

export interface ProcessorConfig {
  readonly aws: AwsConfig;
  readonly badRowsTable: string;
  readonly metricsNamespace: string;
  /** The tables whose streams the processor reads: a record's table is told by its stream ARN. */
  readonly sessionsTable: string;
  readonly activeSessionsTable: string;
  /** Oversized bad-row payloads go here (as the consumer's do). */
  readonly failureBucket: string;
}

export function readProcessorConfig(env: Env = process.env): ProcessorConfig {
  const reader = new EnvReader(env);
  return reader.done('processor', {
    aws: readAws(reader),
    badRowsTable: reader.required(ENV.badRowsTable),
    metricsNamespace: reader.optional(ENV.metricsNamespace) ?? 'LiveInsight',
    sessionsTable: reader.required(ENV.sessionsTable),
    activeSessionsTable: reader.required(ENV.activeSessionsTable),
    failureBucket: reader.required(ENV.failureBucket),
  });
}

export interface RollupConfig {
  readonly aws: AwsConfig;
  readonly realtimeRollupsTable: string;
  /** The table whose stream the rollup function reads (a record's table is told by its ARN). */
  readonly activeSessionsTable: string;
  /** Rollup bucket keys per site (`rollupKeysOf`; CONTRACT.md, issue 18). */
  readonly shardPlan: ShardPlan;
}

export function readRollupConfig(env: Env = process.env): RollupConfig {
  const reader = new EnvReader(env);
  return reader.done('rollup', {
    aws: readAws(reader),
    realtimeRollupsTable: reader.required(ENV.realtimeRollupsTable),
    activeSessionsTable: reader.required(ENV.activeSessionsTable),
    shardPlan: readShards(reader).shardPlan,
  });
}

export interface QueryConfig {
  readonly aws: AwsConfig;
  readonly realtimeRollupsTable: string;
  readonly activeSessionsTable: string;
  readonly activeSessionShards: number;
  /** ActiveSessions shards per site (activeSessionShards is its default). */
  readonly shardPlan: ShardPlan;
  /** The dashboard's origin when it is not the API's (CloudFront): allowed by CORS. */
  readonly dashboardOrigin: string | undefined;
  /** In-process TTL of `/realtime` answers (0: API Gateway's stage cache is in front). */
  readonly realtimeCacheMs: number;
}

export function readQueryConfig(env: Env = process.env): QueryConfig {
  const reader = new EnvReader(env);
  return reader.done('query', {
    aws: readAws(reader),
    realtimeRollupsTable: reader.required(ENV.realtimeRollupsTable),
    activeSessionsTable: reader.required(ENV.activeSessionsTable),
    ...readShards(reader),
    dashboardOrigin: reader.url(ENV.dashboardOrigin),
    realtimeCacheMs: reader.integer(ENV.realtimeCacheMs, 0, { min: 0, max: 60_000 }),
  });
}

export interface AuthorizerConfig {
  readonly aws: AwsConfig;
  readonly readTokensTable: string;
}

export function readAuthorizerConfig(env: Env = process.env): AuthorizerConfig {
  const reader = new EnvReader(env);
  return reader.done('authorizer', {
    aws: readAws(reader),
    readTokensTable: reader.required(ENV.readTokensTable),
  });
}

export interface IngestAuthorizerConfig {
  readonly aws: AwsConfig;
  readonly registryTable: string;
}

export function readIngestAuthorizerConfig(env: Env = process.env): IngestAuthorizerConfig {
  const reader = new EnvReader(env);
  return reader.done('ingest authorizer', {
    aws: readAws(reader),
    registryTable: reader.required(ENV.registryTable),
  });
}

export function readAwsConfig(env: Env = process.env): AwsConfig {
  const reader = new EnvReader(env);
  return reader.done('AWS', readAws(reader));
}
