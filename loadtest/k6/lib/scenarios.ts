/**
 * Every scenario: its k6 options (built from the run's settings) and its exec functions. The
 * k6 entry files in scenarios/ only bind these to k6's modules; the smoke test runs the same
 * exec functions on the local edge. Option shapes follow k6's `Options` (the k6 typecheck,
 * loadtest/k6/tsconfig.json, checks them against @types/k6 where the entry files assign them).
 */
import type { LoadConfig } from './config';
import {
  type LoadDeps,
  ingestIteration,
  limitsIteration,
  noisyIteration,
  quietIteration,
  readerIteration,
  smokeIteration,
} from './iterations';

type Executor =
  | { executor: 'per-vu-iterations'; vus: number; iterations: number; maxDuration: string }
  | {
      executor: 'constant-arrival-rate';
      rate: number;
      timeUnit: string;
      duration: string;
      preAllocatedVUs: number;
      maxVUs: number;
    }
  | {
      executor: 'ramping-arrival-rate';
      startRate: number;
      timeUnit: string;
      preAllocatedVUs: number;
      maxVUs: number;
      stages: { target: number; duration: string }[];
    }
  | { executor: 'constant-vus'; vus: number; duration: string };

export type ScenarioOptions = Executor & {
  exec: string;
  startTime?: string;
  tags?: Record<string, string>;
};

export interface LoadOptions {
  scenarios: Record<string, ScenarioOptions>;
  thresholds: Record<string, string[]>;
  /** The summary keeps these percentiles (the thresholds use p95 and p99). */
  summaryTrendStats: string[];
}

export type Exec = (config: LoadConfig, deps: LoadDeps) => void;

export interface Scenario {
  /** Settings it needs besides BASE_URL, SITE_A and KEY_A. */
  readonly needs: readonly ('keyB' | 'readToken')[];
  /** Whether a 429 is an expected answer (k6 then counts it as not failed). */
  readonly throttleExpected: boolean;
  options(config: LoadConfig): LoadOptions;
  readonly exec: Readonly<Record<string, Exec>>;
}

/** Latency targets of a request the stage accepted (DESIGN: p95 < 100 ms at the edge; AWS adds the network). */
export const LATENCY = { p95Ms: 300, p99Ms: 1000 } as const;

const TREND_STATS = ['avg', 'min', 'med', 'max', 'p(90)', 'p(95)', 'p(99)'];

/** Enough VUs for `rate` requests/s if each takes up to `seconds`: arrival-rate executors need them pre-allocated. */
export function vusFor(rate: number, seconds = 0.5): { preAllocatedVUs: number; maxVUs: number } {
  const pre = Math.max(2, Math.ceil(rate * seconds));
  return { preAllocatedVUs: pre, maxVUs: pre * 4 };
}

function latency(filter: string): Record<string, string[]> {
  return {
    [`http_req_duration{${filter}}`]: [`p(95)<${LATENCY.p95Ms}`, `p(99)<${LATENCY.p99Ms}`],
  };
}

/**
 * Common thresholds: failure rate (5xx and unexpected 4xx; 429 only where expected), checks,
 * no server errors at all, and dropped iterations under 1 % of those planned (an open-loop
 * executor drops an iteration when no VU is free: the stage or the load generator fell behind).
 */
export function thresholds(plannedIterations: number): Record<string, string[]> {
  return {
    ...latency('expected_response:true'),
    http_req_failed: ['rate<0.001'],
    checks: ['rate>0.999'],
    server_errors: ['count==0'],
    dropped_iterations: [`count<=${Math.max(1, Math.floor(plannedIterations * 0.01))}`],
  };
}

function constant(rate: number, seconds: number, exec: string): ScenarioOptions {
  return {
    executor: 'constant-arrival-rate',
    rate: Math.max(1, Math.round(rate)),
    timeUnit: '1s',
    duration: `${seconds}s`,
    ...vusFor(rate),
    exec,
  };
}

function once(exec: string): ScenarioOptions {
  return { executor: 'per-vu-iterations', vus: 1, iterations: 1, maxDuration: '2m', exec };
}

function simple(
  options: (config: LoadConfig) => LoadOptions['scenarios'],
  planned: (c: LoadConfig) => number,
) {
  return (config: LoadConfig): LoadOptions => ({
    scenarios: options(config),
    thresholds: thresholds(planned(config)),
    summaryTrendStats: TREND_STATS,
  });
}

const ingest =
  (throttleExpected: boolean): Exec =>
  (config, deps) =>
    ingestIteration(config, deps, throttleExpected);

/** The at-limit rate: just under key A's usage plan (90 %), so no 429 is expected. */
export function atLimitRate(config: LoadConfig): number {
  return Math.floor(config.keyRateLimit * 0.9);
}

/** The spike: 5 × baseline for a minute, then two minutes back at baseline to recover. */
export function spikePlan(config: LoadConfig) {
  return {
    base: config.rate,
    peak: config.rate * 5,
    spikeSeconds: 60,
    recoverySeconds: 120,
    rampSeconds: 10,
  };
}

/** The dashboards' poll interval, seconds (the dashboard polls GET /realtime about every 5 s). */
export const READER_POLL_SECONDS = 5;

export const SCENARIOS = {
  smoke: {
    needs: [],
    throttleExpected: false,
    options: simple(
      () => ({ smoke: once('default') }),
      () => 1,
    ),
    exec: { default: smokeIteration },
  },
  limits: {
    needs: [],
    throttleExpected: false,
    options: (config) => ({
      ...simple(
        () => ({ limits: once('default') }),
        () => 1,
      )(config),
      // The refusals are the point: only checks and server errors count here.
      thresholds: { checks: ['rate==1'], server_errors: ['count==0'] },
    }),
    exec: { default: limitsIteration },
  },
  baseline: {
    needs: [],
    throttleExpected: false,
    options: simple(
      (c) => ({ baseline: constant(c.rate, c.durationSeconds, 'default') }),
      (c) => c.rate * c.durationSeconds,
    ),
    exec: { default: ingest(false) },
  },
  'at-limit': {
    needs: [],
    throttleExpected: false,
    options: simple(
      (c) => ({ atLimit: constant(atLimitRate(c), c.durationSeconds, 'default') }),
      (c) => atLimitRate(c) * c.durationSeconds,
    ),
    exec: { default: ingest(false) },
  },
  stress: {
    needs: [],
    throttleExpected: true,
    options: (c) => {
      const limit = c.keyRateLimit;
      const third = Math.max(1, Math.round(c.durationSeconds / 3));
      return {
        scenarios: {
          stress: {
            executor: 'ramping-arrival-rate',
            startRate: Math.round(limit / 2),
            timeUnit: '1s',
            ...vusFor(limit * 2),
            stages: [
              { target: limit * 2, duration: `${third}s` },
              { target: limit * 2, duration: `${third}s` },
              { target: Math.round(limit / 2), duration: `${third}s` },
            ],
            exec: 'default',
          },
        },
        // 429s are expected (k6's response callback marks them so); 5xx never are.
        thresholds: { ...thresholds(limit * 1.5 * c.durationSeconds), throttled: ['count>0'] },
        summaryTrendStats: TREND_STATS,
      };
    },
    exec: { default: ingest(true) },
  },
  isolation: {
    needs: ['keyB'],
    throttleExpected: true,
    options: (c) => ({
      scenarios: {
        noisy: {
          ...constant(c.keyRateLimit * 2, c.durationSeconds, 'noisy'),
          tags: { tenant: 'a' },
        },
        quiet: {
          ...constant(Math.min(c.rate, c.keyRateLimit / 2), c.durationSeconds, 'quiet'),
          tags: { tenant: 'b' },
        },
      },
      thresholds: {
        ...latency('scenario:quiet'),
        'http_req_failed{scenario:quiet}': ['rate<0.001'],
        'checks{scenario:quiet}': ['rate>0.999'],
        'throttled{scenario:quiet}': ['count==0'],
        'throttled{scenario:noisy}': ['count>0'],
        server_errors: ['count==0'],
      },
      summaryTrendStats: TREND_STATS,
    }),
    exec: { noisy: noisyIteration, quiet: quietIteration },
  },
  spike: {
    needs: [],
    throttleExpected: true,
    options: (c) => {
      const p = spikePlan(c);
      const spikeTotal = p.rampSeconds * 2 + p.spikeSeconds;
      return {
        scenarios: {
          spike: {
            executor: 'ramping-arrival-rate',
            startRate: p.base,
            timeUnit: '1s',
            ...vusFor(p.peak),
            stages: [
              { target: p.peak, duration: `${p.rampSeconds}s` },
              { target: p.peak, duration: `${p.spikeSeconds}s` },
              { target: p.base, duration: `${p.rampSeconds}s` },
            ],
            exec: 'default',
          },
          recovery: {
            ...constant(p.base, p.recoverySeconds, 'default'),
            startTime: `${spikeTotal}s`,
          },
        },
        // During the spike 429s may come (if it crosses the key's limit); after it, the stage
        // must be back to baseline latency with no failures.
        thresholds: {
          ...latency('scenario:recovery'),
          'http_req_failed{scenario:recovery}': ['rate<0.001'],
          'throttled{scenario:recovery}': ['count==0'],
          server_errors: ['count==0'],
        },
        summaryTrendStats: TREND_STATS,
      };
    },
    exec: { default: ingest(true) },
  },
  soak: {
    needs: [],
    throttleExpected: false,
    options: simple(
      (c) => ({ soak: constant(c.rate, c.soakMinutes * 60, 'default') }),
      (c) => c.rate * c.soakMinutes * 60,
    ),
    exec: { default: ingest(false) },
  },
  readers: {
    needs: ['readToken'],
    throttleExpected: false,
    options: (c) => ({
      scenarios: {
        readers: {
          executor: 'constant-vus',
          vus: Math.round(c.readers),
          duration: `${c.durationSeconds}s`,
          exec: 'default',
        },
      },
      thresholds: {
        ...latency('name:GET /realtime'),
        http_req_failed: ['rate<0.001'],
        checks: ['rate>0.999'],
        server_errors: ['count==0'],
      },
      summaryTrendStats: TREND_STATS,
    }),
    exec: { default: (config, deps) => readerIteration(config, deps, READER_POLL_SECONDS) },
  },
} as const satisfies Record<string, Scenario>;

export type ScenarioName = keyof typeof SCENARIOS;
