/**
 * Test-only: runs scenarios' exec functions a few times each with LoadDeps on a synchronous
 * HTTP adapter, and prints one JSON line: checks passed/failed by name and the counters. Started
 * by scenarios-smoke.int.test.ts as a child process (the edge it calls lives in the test's).
 *
 * Usage: node --require tsx/cjs run-iterations.ts '<plan JSON>'
 */
import { readConfig } from '../lib/config';
import type { LoadDeps } from '../lib/iterations';
import { SCENARIOS, type Scenario, type ScenarioName } from '../lib/scenarios';
import { startSyncHttp } from './sync-http';

export interface RunPlan {
  readonly env: Readonly<Record<string, string>>;
  readonly runId: string;
  readonly runs: readonly {
    readonly scenario: ScenarioName;
    readonly exec: string;
    readonly times: number;
  }[];
}

export interface RunResult {
  readonly checks: Record<string, { pass: number; fail: number }>;
  readonly sent: number;
  readonly accepted: number;
  readonly throttled: Record<string, number>;
  readonly serverErrors: number;
  readonly requests: number;
  readonly slept: number;
}

async function main(plan: RunPlan): Promise<RunResult> {
  const http = startSyncHttp();
  const result: RunResult = {
    checks: {},
    sent: 0,
    accepted: 0,
    throttled: {},
    serverErrors: 0,
    requests: 0,
    slept: 0,
  };
  const counts = result as { -readonly [K in keyof RunResult]: RunResult[K] };
  let label = '';
  let iteration = 0;
  const deps: LoadDeps = {
    post: (url, body, headers) => {
      counts.requests++;
      return http.request('POST', url, body, headers);
    },
    get: (url, headers) => {
      counts.requests++;
      return http.request('GET', url, null, headers);
    },
    check: (name, ok) => {
      const key = `${label}: ${name}`;
      const entry = (result.checks[key] ??= { pass: 0, fail: 0 });
      if (ok) entry.pass++;
      else entry.fail++;
      return ok;
    },
    counters: {
      sent: (n) => (counts.sent += n),
      accepted: (n) => (counts.accepted += n),
      throttled: () => (result.throttled[label] = (result.throttled[label] ?? 0) + 1),
      serverErrors: () => counts.serverErrors++,
    },
    // A smoke run checks the scripts, not the pacing: a dashboard's poll wait is counted, not slept.
    sleep: (seconds) => (counts.slept += seconds),
    now: () => Date.now(),
    random: Math.random,
    iterationId: () => `${plan.runId}_${iteration++}`,
  };
  try {
    for (const run of plan.runs) {
      const scenario: Scenario = SCENARIOS[run.scenario];
      const exec = scenario.exec[run.exec];
      if (exec === undefined) throw new Error(`scenario ${run.scenario} has no exec ${run.exec}`);
      const config = readConfig(plan.env, scenario.needs);
      // Options must build from the same settings k6 would read.
      scenario.options(config);
      label = `${run.scenario}.${run.exec}`;
      for (let i = 0; i < run.times; i++) exec(config, deps);
    }
  } finally {
    await http.close();
  }
  return result;
}

if (require.main === module) {
  const plan = JSON.parse(process.argv[2] ?? '') as RunPlan;
  main(plan).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exitCode = 1;
    },
  );
}
