/**
 * What one iteration of each scenario does, written against `LoadDeps` instead of k6's modules:
 * k6 runs them with its own http/check/metrics (scenarios/k6-deps.ts), the smoke test with a
 * synchronous adapter on the local edge. Pure TypeScript: no k6 or Node module.
 */
import type { LoadConfig } from './config';
import { drawBatchSize, limitCases, sessionEvents } from './payloads';

export interface Answer {
  readonly status: number;
  readonly body: string | null;
}

export type Tags = Readonly<Record<string, string>>;

/** The part of k6 the iterations use (k6's http.post is synchronous, so is this). */
export interface LoadDeps {
  post(url: string, body: string, headers: Tags, tags: Tags): Answer;
  get(url: string, headers: Tags, tags: Tags): Answer;
  /** k6's `check`: records a named pass/fail, returns whether it passed. */
  check(name: string, ok: boolean): boolean;
  readonly counters: {
    /** Events in requests sent. */
    sent(events: number): void;
    /** Events the stage answered as accepted: compare with the stage's stored count at the end. */
    accepted(events: number): void;
    throttled(): void;
    serverErrors(): void;
  };
  sleep(seconds: number): void;
  now(): number;
  random(): number;
  /** Unique per run, VU and iteration: event and session ids derive from it. */
  iterationId(): string;
}

export type Tenant = 'a' | 'b';

function keyOf(config: LoadConfig, tenant: Tenant): { siteId: string; key: string } {
  return tenant === 'a'
    ? { siteId: config.siteA, key: config.keyA }
    : { siteId: config.siteB, key: config.keyB };
}

function acceptedOf(answer: Answer): number {
  if (answer.body === null) return 0;
  try {
    const parsed = JSON.parse(answer.body) as { accepted?: unknown };
    return typeof parsed.accepted === 'number' ? parsed.accepted : 0;
  } catch {
    return 0;
  }
}

/** One POST /events with `events` events; returns the answer after counting it. */
export function postEvents(
  config: LoadConfig,
  deps: LoadDeps,
  tenant: Tenant,
  events: number,
  throttleExpected: boolean,
): Answer {
  const { siteId, key } = keyOf(config, tenant);
  const body = JSON.stringify({
    siteId,
    events: sessionEvents(deps.iterationId(), events, deps.now()),
  });
  deps.counters.sent(events);
  // The browser form: key in the query, text/plain (a CORS-simple request, as the tracker sends).
  const answer = deps.post(
    `${config.baseUrl}/events?key=${encodeURIComponent(key)}`,
    body,
    { 'content-type': 'text/plain;charset=UTF-8' },
    { name: 'POST /events', tenant },
  );
  const accepted = answer.status === 200 || answer.status === 207 ? acceptedOf(answer) : 0;
  deps.counters.accepted(accepted);
  if (answer.status === 429) deps.counters.throttled();
  if (answer.status >= 500) deps.counters.serverErrors();
  if (answer.status === 200) deps.check('200 accepts every event', accepted === events);
  else if (answer.status === 429)
    deps.check('429 only where throttling is expected', throttleExpected);
  else deps.check(`POST /events answers 200 (got ${answer.status})`, false);
  return answer;
}

/** Baseline, at-limit, stress, spike, soak: one request of a realistic size. */
export function ingestIteration(
  config: LoadConfig,
  deps: LoadDeps,
  throttleExpected: boolean,
): void {
  postEvents(config, deps, 'a', drawBatchSize(deps.random), throttleExpected);
}

/** Tenant isolation, the noisy side: key A over its limit (429s expected). */
export function noisyIteration(config: LoadConfig, deps: LoadDeps): void {
  postEvents(config, deps, 'a', drawBatchSize(deps.random), true);
}

/** Tenant isolation, the quiet side: key B within its limit must never see a 429. */
export function quietIteration(config: LoadConfig, deps: LoadDeps): void {
  postEvents(config, deps, 'b', drawBatchSize(deps.random), false);
}

/** Smoke: one event accepted, a realtime read if a token is given, health answered. */
export function smokeIteration(config: LoadConfig, deps: LoadDeps): void {
  postEvents(config, deps, 'a', 1, false);
  const health = deps.get(`${config.baseUrl}/health`, {}, { name: 'GET /health' });
  deps.check('GET /health answers 200', health.status === 200);
  if (config.readToken !== '') readerIteration(config, deps, 0);
}

/** Payload limits: each case answered as the contract says. */
export function limitsIteration(config: LoadConfig, deps: LoadDeps): void {
  for (const c of limitCases(config.siteA, deps.iterationId(), deps.now())) {
    deps.counters.sent(c.events);
    const key = c.goodKey ? config.keyA : 'no-such-key-on-any-stage';
    const answer = deps.post(
      `${config.baseUrl}/events?key=${encodeURIComponent(key)}`,
      c.body,
      { 'content-type': 'text/plain;charset=UTF-8' },
      { name: `limits: ${c.name}` },
    );
    deps.counters.accepted(answer.status === 200 ? acceptedOf(answer) : 0);
    deps.check(`${c.name} answers ${c.expectStatus}`, answer.status === c.expectStatus);
  }
}

/** A dashboard: GET /realtime with the read token, then wait like its poll interval. */
export function readerIteration(config: LoadConfig, deps: LoadDeps, pollSeconds: number): void {
  const answer = deps.get(
    `${config.baseUrl}/realtime?siteId=${encodeURIComponent(config.siteA)}`,
    { authorization: `Bearer ${config.readToken}` },
    { name: 'GET /realtime' },
  );
  if (answer.status >= 500) deps.counters.serverErrors();
  let siteOk = false;
  try {
    siteOk = (JSON.parse(answer.body ?? '') as { siteId?: unknown }).siteId === config.siteA;
  } catch {
    siteOk = false;
  }
  deps.check('GET /realtime answers 200 with the site', answer.status === 200 && siteOk);
  if (pollSeconds > 0) deps.sleep(pollSeconds);
}
