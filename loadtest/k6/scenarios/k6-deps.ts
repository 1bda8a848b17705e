/**
 * The k6 side of LoadDeps: k6/http, check, sleep and the run's counters. Imported only by the
 * k6 entry files (typechecked by loadtest/k6/tsconfig.json, run by k6 itself).
 */
import http from 'k6/http';
import { check, sleep } from 'k6';
import { Counter } from 'k6/metrics';
import type { LoadConfig } from '../lib/config';
import { readConfig } from '../lib/config';
import type { Answer, LoadDeps, Tags } from '../lib/iterations';
import { SCENARIOS, type LoadOptions, type ScenarioName } from '../lib/scenarios';
import { type SummaryData, summarize, summaryFiles } from '../lib/summary';

// Metrics are created in k6's init context (module top level), as k6 requires.
const eventsSent = new Counter('events_sent');
const eventsAccepted = new Counter('events_accepted');
const throttled = new Counter('throttled');
const serverErrors = new Counter('server_errors');
const runId = Date.now().toString(36);

function answer(response: { status: number; body: unknown }): Answer {
  return {
    status: response.status,
    body: typeof response.body === 'string' ? response.body : null,
  };
}

export const k6Deps: LoadDeps = {
  post: (url: string, body: string, headers: Tags, tags: Tags) =>
    answer(http.post(url, body, { headers: { ...headers }, tags: { ...tags } })),
  get: (url: string, headers: Tags, tags: Tags) =>
    answer(http.get(url, { headers: { ...headers }, tags: { ...tags } })),
  check: (name: string, ok: boolean) => check(ok, { [name]: (passed) => passed }),
  counters: {
    sent: (n: number) => eventsSent.add(n),
    accepted: (n: number) => eventsAccepted.add(n),
    throttled: () => throttled.add(1),
    serverErrors: () => serverErrors.add(1),
  },
  sleep: (seconds: number) => sleep(seconds),
  now: () => Date.now(),
  random: () => Math.random(),
  iterationId: () => `${runId}_${__VU}_${__ITER}`,
};

/** Settings and options of one scenario; 429s become expected answers where the scenario says so. */
export function setUp(name: ScenarioName): { config: LoadConfig; options: LoadOptions } {
  const scenario = SCENARIOS[name];
  const config = readConfig(__ENV, scenario.needs);
  if (scenario.throttleExpected)
    http.setResponseCallback(http.expectedStatuses({ min: 200, max: 299 }, 429));
  return { config, options: scenario.options(config) };
}

export function handleSummaryOf(name: ScenarioName, config: LoadConfig) {
  return (data: SummaryData): Record<string, string> =>
    summaryFiles(summarize(name, config, data, new Date()), config.summaryPath);
}
