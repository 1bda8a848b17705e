/**
 * The one reader of the local stack's environment variables (the handlers' own variables live
 * in handlers/config.ts). Validates everything at start-up and names each bad variable.
 */
import { LOCAL_STACK_ENV, readLocalStackLocation } from '../handlers/local-stack-location';
import { LocalConfigError } from './errors';
import { KINESIS_ENGINES, type KinesisEngine } from './kinesis-engine';

export const LOCAL_ENV = {
  /** `emulators` (default) or `localstack` (needs a container runtime). */
  mode: 'LIVEINSIGHT_LOCAL',
  /** Kinesis engine behind the endpoint: `kinesalite` (default) or `kinesis-mock`. */
  kinesis: 'LIVEINSIGHT_KINESIS',
  /** Port of the one AWS endpoint (default 4566). */
  awsPort: 'LIVEINSIGHT_AWS_PORT',
  /** Directory for DynamoDB (-dbPath), kinesalite and S3 data kept across restarts; in memory if unset. */
  dataDir: 'LIVEINSIGHT_DATA_DIR',
  /** Java executable for DynamoDB Local (default `java`). */
  java: 'LIVEINSIGHT_JAVA',
  /** Milliseconds between TTL sweeps (default 10000; `manual` = only on request). */
  ttlSweepMs: 'LIVEINSIGHT_TTL_SWEEP_MS',
  /** Seconds after expiry before the sweeper deletes an item (default 0; AWS: up to ~2 days). */
  ttlLagSeconds: 'LIVEINSIGHT_TTL_LAG_SECONDS',
  /** Resource name prefix for `npm start` (default `liveinsight-dev`). */
  stage: LOCAL_STACK_ENV.stage,
  /** Shards of the local events stream (default 2). */
  kinesisShards: 'LIVEINSIGHT_KINESIS_SHARDS',
  /** Port of the local HTTP edge: ingest, query, dashboard (default 3000; 0 = a free one). */
  edgePort: 'LIVEINSIGHT_EDGE_PORT',
  /** `off` runs the product without demo traffic (default `on`). */
  demo: 'LIVEINSIGHT_DEMO',
  /** Where `npm start` keeps its local state: read tokens, metrics, demo.json (default .liveinsight). */
  stateDir: LOCAL_STACK_ENV.stateDir,
  /**
   * On stop, how long the consumer may drain what the edge acknowledged before the rest is
   * counted as not stored (default 15; 0 = do not wait).
   */
  drainSeconds: 'LIVEINSIGHT_DRAIN_SECONDS',
  /** Set by jest's globalSetup for test workers: where the shared test stack runs (JSON). */
  testStack: 'LIVEINSIGHT_TEST_STACK',
} as const;

export type LocalMode = 'emulators' | 'localstack';

export interface LocalConfig {
  readonly mode: LocalMode;
  readonly kinesisEngine: KinesisEngine;
  readonly awsPort: number;
  readonly dataDir: string | undefined;
  readonly javaCommand: string | undefined;
  readonly ttl: { readonly intervalMs: number | 'manual'; readonly lagSeconds: number };
  readonly stage: string;
  readonly kinesisShards: number;
  readonly edgePort: number;
  readonly demoTraffic: boolean;
  readonly stateDir: string;
  readonly drainSeconds: number;
}

type Env = Readonly<Record<string, string | undefined>>;

function value(env: Env, name: string): string | undefined {
  const raw = env[name];
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim();
}

function oneOf<T extends string>(
  env: Env,
  name: string,
  allowed: readonly T[],
  fallback: T,
  problems: string[],
): T {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const found = allowed.find((candidate) => candidate === raw);
  if (found === undefined) {
    problems.push(`${name} is ${JSON.stringify(raw)} (expected one of ${allowed.join(', ')})`);
    return fallback;
  }
  return found;
}

function integer(
  env: Env,
  name: string,
  fallback: number,
  [min, max]: readonly [number, number],
  problems: string[],
): number {
  const raw = value(env, name);
  if (raw === undefined) return fallback;
  const parsed = Number(raw);
  if (!Number.isInteger(parsed) || parsed < min || parsed > max) {
    problems.push(`${name} is ${JSON.stringify(raw)} (expected an integer from ${min} to ${max})`);
    return fallback;
  }
  return parsed;
}

export function readLocalConfig(env: Env = process.env): LocalConfig {
  const problems: string[] = [];
  const sweep = value(env, LOCAL_ENV.ttlSweepMs);
  // The two variables the admin CLI reads too (handlers/local-stack-location.ts).
  const location = readLocalStackLocation(env);
  const config: LocalConfig = {
    mode: oneOf(env, LOCAL_ENV.mode, ['emulators', 'localstack'], 'emulators', problems),
    kinesisEngine: oneOf(env, LOCAL_ENV.kinesis, KINESIS_ENGINES, 'kinesalite', problems),
    awsPort: integer(env, LOCAL_ENV.awsPort, 4566, [0, 65_535], problems),
    dataDir: value(env, LOCAL_ENV.dataDir),
    javaCommand: value(env, LOCAL_ENV.java),
    ttl: {
      intervalMs:
        sweep === 'manual'
          ? 'manual'
          : integer(env, LOCAL_ENV.ttlSweepMs, 10_000, [100, 86_400_000], problems),
      lagSeconds: integer(env, LOCAL_ENV.ttlLagSeconds, 0, [0, 7 * 86_400], problems),
    },
    stage: location.stage,
    kinesisShards: integer(env, LOCAL_ENV.kinesisShards, 2, [1, 50], problems),
    edgePort: integer(env, LOCAL_ENV.edgePort, 3000, [0, 65_535], problems),
    demoTraffic: oneOf(env, LOCAL_ENV.demo, ['on', 'off'], 'on', problems) === 'on',
    stateDir: location.stateDir,
    drainSeconds: integer(env, LOCAL_ENV.drainSeconds, 15, [0, 3_600], problems),
  };
  if (problems.length > 0) {
    throw new LocalConfigError(`Invalid local stack configuration: ${problems.join('; ')}`);
  }
  return config;
}

/** What globalSetup hands to test workers. */
export interface TestStackDescriptor {
  readonly mode: LocalMode;
  readonly region: string;
  /** Endpoint per Kinesis engine available in this run. */
  readonly endpoints: Readonly<Partial<Record<KinesisEngine, string>>>;
  readonly defaultEngine: KinesisEngine;
  /** DynamoDB Local's own port (emulators only), for tests that must bypass the endpoint. */
  readonly dynamodbLocal?: string;
}

export function writeTestStackDescriptor(descriptor: TestStackDescriptor): void {
  process.env[LOCAL_ENV.testStack] = JSON.stringify(descriptor);
}

function isEngine(candidate: unknown): candidate is KinesisEngine {
  return KINESIS_ENGINES.some((engine) => engine === candidate);
}

/** Parses the descriptor globalSetup wrote; undefined outside a jest integration run. */
export function readTestStackDescriptor(env: Env = process.env): TestStackDescriptor | undefined {
  const raw = value(env, LOCAL_ENV.testStack);
  if (raw === undefined) return undefined;
  const fail = (why: string, cause?: unknown): never => {
    throw new LocalConfigError(`${LOCAL_ENV.testStack} is malformed: ${why}`, { cause });
  };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (cause) {
    return fail('not JSON', cause);
  }
  if (typeof parsed !== 'object' || parsed === null) return fail('expected an object');
  const record = parsed as Record<string, unknown>;
  const mode = record.mode;
  if (mode !== 'emulators' && mode !== 'localstack') return fail(`mode ${String(mode)}`);
  if (typeof record.region !== 'string') return fail('region is not a string');
  if (!isEngine(record.defaultEngine)) return fail(`defaultEngine ${String(record.defaultEngine)}`);
  const endpointsRaw = record.endpoints;
  if (typeof endpointsRaw !== 'object' || endpointsRaw === null) return fail('endpoints missing');
  const endpoints: Partial<Record<KinesisEngine, string>> = {};
  for (const [engine, url] of Object.entries(endpointsRaw)) {
    if (!isEngine(engine) || typeof url !== 'string') return fail(`endpoint ${engine}`);
    endpoints[engine] = url;
  }
  const dynamodbLocal = record.dynamodbLocal;
  if (dynamodbLocal !== undefined && typeof dynamodbLocal !== 'string') {
    return fail('dynamodbLocal is not a string');
  }
  return {
    mode,
    region: record.region,
    endpoints,
    defaultEngine: record.defaultEngine,
    ...(dynamodbLocal === undefined ? {} : { dynamodbLocal }),
  };
}
