/**
 * Smoke run of every k6 scenario's iteration code against the local edge: each exec function a
 * few times, through a synchronous HTTP adapter in a child process (test-support/). This checks
 * the scripts — requests, bodies, keys, checks and counters — not the load: k6 itself is not run.
 *
 * Two edges on one test stack: one with the ingest and query APIs at the default usage plans
 * (smoke, limits, baseline, at-limit, soak, spike, readers), and one whose standard tier allows
 * 2 requests and then one per 10 s, so the stress and noisy iterations meet real 429s while the
 * quiet key (another site, starter tier) must not.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { USAGE_PLAN_TIERS } from '../../infra/api/ingest-api-spec';
import { DEFAULT_USAGE_LIMITS } from '../../localstack/edge/usage-limiter';
import { type Harness, startHarness } from '../../localstack/edge/test-support/edge-harness';
import { readStream } from '../../localstack/edge/test-support/read-stream';
import { startQueryEdge, type QueryEdge } from '../../localstack/query/test-support/query-edge';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import type { RunPlan, RunResult } from './test-support/run-iterations';

const RUNNER = join(__dirname, 'test-support', 'run-iterations.ts');
const TSX_CJS = require.resolve('tsx/cjs');

function runIterations(plan: RunPlan): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--require', TSX_CJS, RUNNER, JSON.stringify(plan)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      const last = out.trim().split('\n').pop() ?? '';
      if (code !== 0 || last === '') {
        reject(
          new Error(`run-iterations exited ${code} (expected 0 and a JSON line): ${err}${out}`),
        );
      } else resolve(JSON.parse(last) as RunResult);
    });
  });
}

function failedChecks(result: RunResult): string[] {
  return Object.entries(result.checks)
    .filter(([, c]) => c.fail > 0)
    .map(([name, c]) => `${name} (${c.fail} failed)`);
}

let stack: TestStack;
let q: QueryEdge;
let tight: Harness;

beforeAll(async () => {
  stack = await useTestStack({ name: 'k6-smoke' });
  q = await startQueryEdge(stack);
  tight = await startHarness(stack, {
    limits: {
      ...DEFAULT_USAGE_LIMITS,
      tiers: {
        ...USAGE_PLAN_TIERS,
        standard: { ...USAGE_PLAN_TIERS.standard, throttle: { rateLimit: 0.1, burstLimit: 2 } },
      },
    },
  });
}, 120_000);

afterAll(async () => {
  await tight?.stop();
  await q?.stop();
  await stack?.dispose();
});

async function acceptedOnStream(runId: string): Promise<number> {
  const records = await readStream(stack.clients.kinesis, stack.names.eventsStream);
  return records.filter((r) => r.record.event.eventId.startsWith(`e_${runId}_`)).length;
}

describe('k6 scenario scripts on the local edge (scripts, not load)', () => {
  it('runs each scenario’s iterations with every check passing and counts what the stream holds', async () => {
    const runId = `k${Date.now().toString(36)}`;
    const env = {
      BASE_URL: q.url,
      SITE_A: q.sites.a.siteId,
      KEY_A: q.sites.a.ingestKey,
      SITE_B: q.sites.b.siteId,
      KEY_B: q.sites.b.ingestKey,
      READ_TOKEN: q.sites.a.readToken,
    };

    const result = await runIterations({
      env,
      runId,
      runs: [
        { scenario: 'smoke', exec: 'default', times: 2 },
        { scenario: 'limits', exec: 'default', times: 1 },
        { scenario: 'baseline', exec: 'default', times: 5 },
        { scenario: 'at-limit', exec: 'default', times: 3 },
        { scenario: 'spike', exec: 'default', times: 3 },
        { scenario: 'soak', exec: 'default', times: 3 },
        { scenario: 'readers', exec: 'default', times: 3 },
      ],
    });

    expect(failedChecks(result)).toEqual([]);
    expect(Object.keys(result.checks)).toEqual(
      expect.arrayContaining([
        'limits.default: 500 events, 1048576 bytes answers 200',
        'limits.default: 501 events answers 400',
        'limits.default: 1048577 bytes answers 413',
        'limits.default: bad JSON answers 400',
        'limits.default: bad key answers 403',
        'readers.default: GET /realtime answers 200 with the site',
      ]),
    );
    expect(result.serverErrors).toBe(0);
    expect(result.throttled).toEqual({});
    expect(result.slept).toBe(15);
    // The end-of-run count: every event answered as accepted is on the stream, no more.
    expect(result.accepted).toBeGreaterThanOrEqual(500 + 2 + 5 + 3 + 3 + 3);
    expect(await acceptedOnStream(runId)).toBe(result.accepted);
  }, 120_000);

  it('counts 429s as expected under stress and keeps the quiet tenant unthrottled', async () => {
    const runId = `t${Date.now().toString(36)}`;
    const env = {
      BASE_URL: tight.edge.url,
      SITE_A: 'shop',
      KEY_A: tight.keys.shop,
      SITE_B: 'other-shop',
      KEY_B: tight.keys.other,
    };

    const result = await runIterations({
      env,
      runId,
      runs: [
        { scenario: 'stress', exec: 'default', times: 3 },
        { scenario: 'isolation', exec: 'noisy', times: 3 },
        { scenario: 'isolation', exec: 'quiet', times: 4 },
      ],
    });

    expect(failedChecks(result)).toEqual([]);
    // Key A: 2 requests of burst, then one per 10 s: of 6 at least 3 are refused.
    expect(
      (result.throttled['stress.default'] ?? 0) + (result.throttled['isolation.noisy'] ?? 0),
    ).toBeGreaterThanOrEqual(3);
    expect(result.throttled['isolation.quiet']).toBeUndefined();
    expect(result.serverErrors).toBe(0);
    expect(await acceptedOnStream(runId)).toBe(result.accepted);
  }, 120_000);
});
