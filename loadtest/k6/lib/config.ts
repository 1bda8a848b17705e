/**
 * Run settings from k6's `__ENV` (or any string map): where the stage is, which keys and token
 * to use, and the rates. Pure: no k6 or Node module, so jest tests it and k6 runs it as is.
 */
export interface LoadConfig {
  /** The stage's ingest/query base URL, without a trailing slash. */
  readonly baseUrl: string;
  /** Key A: the site the scenarios load. */
  readonly siteA: string;
  readonly keyA: string;
  /** Key B: a second site, for tenant isolation. */
  readonly siteB: string;
  readonly keyB: string;
  /** A read token of site A, for the realtime readers. */
  readonly readToken: string;
  /** Requests per second of the baseline (per key). */
  readonly rate: number;
  /** Key A's usage-plan rate, requests/s (the standard tier unless told). */
  readonly keyRateLimit: number;
  /** Scenario length, seconds (the soak's is `soakMinutes`). */
  readonly durationSeconds: number;
  readonly soakMinutes: number;
  /** Dashboards polling GET /realtime. */
  readonly readers: number;
  /** Where handleSummary writes its JSON. */
  readonly summaryPath: string;
}

/** The standard usage-plan tier's per-key rate (infra/api/ingest-api-spec.ts USAGE_PLAN_TIERS). */
export const STANDARD_KEY_RATE = 1000;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function required(env: Env, name: string): string {
  const value = env[name];
  if (value === undefined || value === '') {
    throw new ConfigError(
      `${name} is not set (expected it in the environment: k6 run -e ${name}=…)`,
    );
  }
  return value;
}

function positive(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value <= 0) {
    throw new ConfigError(`${name} is ${JSON.stringify(raw)} (expected a number above 0)`);
  }
  return value;
}

/**
 * Reads the settings. Keys the scenario does not use may be left out: `needs` names the ones it
 * does, so a missing one fails at start with its name instead of as a 403 mid-run.
 */
export function readConfig(env: Env, needs: readonly ('keyB' | 'readToken')[] = []): LoadConfig {
  const baseUrl = required(env, 'BASE_URL').replace(/\/+$/, '');
  if (!/^https?:\/\//.test(baseUrl)) {
    throw new ConfigError(`BASE_URL is ${JSON.stringify(baseUrl)} (expected http:// or https://…)`);
  }
  return {
    baseUrl,
    siteA: required(env, 'SITE_A'),
    keyA: required(env, 'KEY_A'),
    siteB: needs.includes('keyB') ? required(env, 'SITE_B') : (env.SITE_B ?? ''),
    keyB: needs.includes('keyB') ? required(env, 'KEY_B') : (env.KEY_B ?? ''),
    readToken: needs.includes('readToken') ? required(env, 'READ_TOKEN') : (env.READ_TOKEN ?? ''),
    rate: positive(env, 'RATE', 50),
    keyRateLimit: positive(env, 'KEY_RATE_LIMIT', STANDARD_KEY_RATE),
    durationSeconds: positive(env, 'DURATION_SECONDS', 60),
    soakMinutes: positive(env, 'SOAK_MINUTES', 60),
    readers: positive(env, 'READERS', 20),
    summaryPath: env.SUMMARY_PATH ?? 'k6-summary.json',
  };
}
