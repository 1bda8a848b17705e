/** The k6 scenarios' pure parts: settings, payloads, options and the summary. */
import { LIMITS } from '../../../schemas/limits';
import { USAGE_PLAN_TIERS } from '../../../infra/api/ingest-api-spec';
import { ConfigError, STANDARD_KEY_RATE, readConfig } from './config';
import {
  BATCH_SIZE_MIX,
  byteLength,
  drawBatchSize,
  limitCases,
  meanBatchSize,
  sessionEvents,
  sizedBody,
} from './payloads';
import { LATENCY, SCENARIOS, atLimitRate, thresholds, vusFor } from './scenarios';
import { summarize, summaryFiles } from './summary';

const ENV = { BASE_URL: 'https://api.example.com/prod/', SITE_A: 'shop', KEY_A: 'key-a' };

describe('readConfig', () => {
  it('reads the stage, keys and rates, with defaults', () => {
    const config = readConfig({ ...ENV, RATE: '200' });
    expect(config).toMatchObject({
      baseUrl: 'https://api.example.com/prod',
      rate: 200,
      keyRateLimit: STANDARD_KEY_RATE,
    });
  });

  it('defaults key A’s limit to the standard usage plan', () => {
    expect(STANDARD_KEY_RATE).toBe(USAGE_PLAN_TIERS.standard.throttle.rateLimit);
  });

  it('names what is missing or malformed', () => {
    expect(() => readConfig({ SITE_A: 's', KEY_A: 'k' })).toThrow(/BASE_URL is not set/);
    expect(() => readConfig({ ...ENV, RATE: 'fast' })).toThrow(
      new ConfigError('RATE is "fast" (expected a number above 0)'),
    );
    expect(() => readConfig(ENV, ['keyB'])).toThrow(/SITE_B is not set/);
    expect(() => readConfig({ ...ENV, BASE_URL: 'api.example.com' })).toThrow(/expected http/);
  });
});

describe('payloads', () => {
  it('builds bodies of exactly the asked bytes, at and over the 1 MB limit', () => {
    const full = sizedBody('shop', 'run1', LIMITS.maxEventsPerRequest, LIMITS.maxBodyBytes, 1);
    const over = sizedBody('shop', 'run1', LIMITS.maxEventsPerRequest, LIMITS.maxBodyBytes + 1, 1);
    expect(Buffer.byteLength(full, 'utf8')).toBe(LIMITS.maxBodyBytes);
    expect(Buffer.byteLength(over, 'utf8')).toBe(LIMITS.maxBodyBytes + 1);
    const events = (JSON.parse(full) as { events: { url: string; eventId: string }[] }).events;
    expect(events).toHaveLength(500);
    expect(new Set(events.map((e) => e.eventId)).size).toBe(500);
    expect(Math.max(...events.map((e) => e.url.length))).toBeLessThanOrEqual(LIMITS.maxUrlLength);
  });

  it('refuses a size the events cannot reach', () => {
    expect(() => sizedBody('shop', 'run1', 1, 10, 1)).toThrow(
      /cannot make 1 events weigh 10 bytes/,
    );
  });

  it('counts UTF-8 bytes as Buffer does', () => {
    for (const text of ['abc', 'é', '€uro', '😀 x', ''])
      expect(byteLength(text)).toBe(Buffer.byteLength(text));
  });

  it('keeps ids within the contract and refuses a prefix that would break it', () => {
    const [event] = sessionEvents('abc', 1, 5);
    expect(event?.eventId.length).toBeGreaterThanOrEqual(16);
    expect(() => sessionEvents('x'.repeat(70), 1, 5)).toThrow(/expected at most 64/);
  });

  it('draws batch sizes inside the mix, with the mean the mix says', () => {
    let seed = 1;
    const random = () => ((seed = (seed * 16807) % 2147483647) - 1) / 2147483646;
    const sizes = Array.from({ length: 20_000 }, () => drawBatchSize(random));
    expect(Math.min(...sizes)).toBe(1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(100);
    const mean = sizes.reduce((a, b) => a + b, 0) / sizes.length;
    expect(mean).toBeCloseTo(meanBatchSize(), 0);
    expect(BATCH_SIZE_MIX.reduce((a, b) => a + b.weight, 0)).toBeCloseTo(1, 9);
  });

  it('lists the payload-limit cases with the contract’s answers', () => {
    expect(limitCases('shop', 'r', 1).map((c) => [c.name, c.expectStatus])).toEqual([
      ['500 events, 1048576 bytes', 200],
      ['501 events', 400],
      ['1048577 bytes', 413],
      ['bad JSON', 400],
      ['bad key', 403],
    ]);
  });
});

describe('scenario options', () => {
  const config = readConfig({
    ...ENV,
    KEY_B: 'key-b',
    SITE_B: 'b',
    READ_TOKEN: 't',
    RATE: '100',
    DURATION_SECONDS: '60',
  });

  it('puts p95/p99 latency, failure rate and dropped iterations into the thresholds', () => {
    expect(thresholds(6000)).toEqual(
      expect.objectContaining({
        'http_req_duration{expected_response:true}': [
          `p(95)<${LATENCY.p95Ms}`,
          `p(99)<${LATENCY.p99Ms}`,
        ],
        http_req_failed: ['rate<0.001'],
        dropped_iterations: ['count<=60'],
      }),
    );
  });

  it('runs the baseline at the asked constant arrival rate', () => {
    expect(SCENARIOS.baseline.options(config).scenarios.baseline).toMatchObject({
      executor: 'constant-arrival-rate',
      rate: 100,
      duration: '60s',
    });
  });

  it('stays just under the key’s limit at-limit and crosses it under stress', () => {
    expect(atLimitRate(config)).toBe(900);
    const stress = SCENARIOS.stress.options(config).scenarios.stress;
    expect(
      stress?.executor === 'ramping-arrival-rate' &&
        Math.max(...stress.stages.map((s) => s.target)),
    ).toBe(2000);
  });

  it('sends key A over its limit and key B under its own in the isolation run', () => {
    const { scenarios, thresholds: t } = SCENARIOS.isolation.options(config);
    expect(scenarios.noisy).toMatchObject({ rate: 2000, exec: 'noisy' });
    expect(scenarios.quiet).toMatchObject({ rate: 100, exec: 'quiet' });
    expect(t['throttled{scenario:quiet}']).toEqual(['count==0']);
  });

  it('starts the recovery when the spike has ramped down', () => {
    const { scenarios } = SCENARIOS.spike.options(config);
    expect(scenarios.recovery).toMatchObject({ startTime: '80s', rate: 100 });
  });

  it('pre-allocates VUs for the rate', () => {
    expect(vusFor(1000)).toEqual({ preAllocatedVUs: 500, maxVUs: 2000 });
  });

  it('builds options for every scenario from the same settings', () => {
    for (const scenario of Object.values(SCENARIOS)) {
      expect(Object.keys(scenario.options(config).scenarios).length).toBeGreaterThan(0);
    }
  });
});

describe('summary', () => {
  it('reports the event counts and the failed thresholds', () => {
    const config = readConfig(ENV);
    const summary = summarize(
      'baseline',
      config,
      {
        metrics: {
          events_sent: { values: { count: 120 } },
          events_accepted: { values: { count: 118 } },
          http_req_duration: {
            values: { 'p(95)': 80, 'p(99)': 150 },
            thresholds: { 'p(95)<300': { ok: true } },
          },
          http_req_failed: { values: { rate: 0.01 }, thresholds: { 'rate<0.001': { ok: false } } },
        },
      },
      new Date('2026-12-07T00:00:00Z'),
    );
    expect(summary).toMatchObject({
      eventsSent: 120,
      eventsAccepted: 118,
      p95Ms: 80,
      thresholdsFailed: ['http_req_failed: rate<0.001'],
    });
    const files = summaryFiles(summary, 'out.json');
    expect(JSON.parse(files['out.json'] ?? '')).toEqual(summary);
    expect(files.stdout).toContain('accepted 118');
  });
});
