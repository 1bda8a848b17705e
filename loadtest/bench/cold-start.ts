/**
 * `npm run bench:cold-start`: every Lambda handler's bundle as CDK builds it (esbuild, node20,
 * CommonJS, minified, the pinned AWS SDK inside: infra/constructs/bundled-function.ts), its size,
 * and the part of a cold start that is our code's — a fresh Node process loading the bundle and
 * answering a first invocation that needs no I/O (cold-start-probe.ts) — beside the same for an
 * empty handler bundle (the floor), in one run. Target (DESIGN.md section 6): cold starts under
 * 1 s.
 *
 * Rounds interleave the targets (floor, then each handler) so machine noise spreads over all of
 * them. Times are from the process's own clock origin (its start) to the answer, so they include
 * Node's bootstrap; Lambda's runtime adds its own on top. The AWS endpoint points at a closed
 * port: an unexpected call fails the answer's check instead of hiding in the time.
 * Env: BENCH_ROUNDS (default 9).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourceDefinitions } from '../../infra/resources';
import { handlerEnv } from '../../localstack/handler-env';
import { SUBJECTS, bundleSubject, coldStart, writeProbe, type Sample } from './cold-start-probe';
import { summarize, type LatencySummary } from './percentiles';

const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 9);
if (!Number.isInteger(ROUNDS) || ROUNDS < 1) {
  process.stderr.write(
    `bench:cold-start: BENCH_ROUNDS is ${JSON.stringify(process.env['BENCH_ROUNDS'])} (expected an integer ≥ 1)\n`,
  );
  process.exit(2);
}
const TARGET_MS = 1000;

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'liveinsight-cold-start-'));
  try {
    const probe = writeProbe(dir);
    // Port 9 (discard) on loopback: nothing answers there, so an unexpected AWS call fails.
    const env = {
      PATH: process.env['PATH'],
      AWS_ACCESS_KEY_ID: 'cold-start',
      AWS_SECRET_ACCESS_KEY: 'cold-start',
      ...handlerEnv('http://127.0.0.1:9', 'us-east-1', resourceDefinitions('bench-cold')),
    };
    const bundles = SUBJECTS.map((subject) => ({ subject, ...bundleSubject(subject, dir) }));
    const samples = new Map<string, Sample[]>(SUBJECTS.map((s) => [s.name, []]));
    for (let round = 0; round < ROUNDS; round++) {
      for (const { subject, file } of bundles) {
        samples.get(subject.name)?.push(coldStart(subject, file, probe, env));
      }
    }
    const stats = (name: string, key: keyof Sample): LatencySummary =>
      summarize((samples.get(name) ?? []).map((sample) => sample[key]));
    const floor = stats('floor', 'totalMs');

    console.log(
      `Cold start of each handler's bundle: ${ROUNDS} fresh Node ${process.version} processes each, interleaved; ` +
        'times in ms from process start (Node bootstrap included; Lambda adds its runtime on top)',
    );
    const row = (cells: readonly (string | number)[]) =>
      cells.map((cell, i) => String(cell).padStart(i === 0 ? 11 : 12)).join(' ');
    console.log(
      row(['', 'bundle KB', 'load p50', 'invoke p50', 'total p50', 'total max', '× floor']),
    );
    const figures: Record<string, { bundleKb: number; totalP50Ms: number; totalMaxMs: number }> =
      {};
    for (const { subject, bytes } of bundles) {
      const total = stats(subject.name, 'totalMs');
      const kb = Math.round(bytes / 102.4) / 10;
      console.log(
        row([
          subject.name,
          kb,
          stats(subject.name, 'loadMs').p50,
          stats(subject.name, 'firstInvokeMs').p50,
          total.p50,
          total.max,
          (Math.round((total.p50 / floor.p50) * 10) / 10).toFixed(1),
        ]),
      );
      if (subject.name !== 'floor') {
        figures[subject.name] = { bundleKb: kb, totalP50Ms: total.p50, totalMaxMs: total.max };
      }
    }
    const slowest = Math.max(...Object.values(figures).map((f) => f.totalMaxMs));
    console.log(
      `slowest handler: ${slowest} ms at worst vs floor p50 ${floor.p50} ms (target < ${TARGET_MS} ms: ${slowest < TARGET_MS ? 'met' : 'not met'})`,
    );
    console.log(
      JSON.stringify({
        bench: 'cold-start',
        rounds: ROUNDS,
        floorP50Ms: floor.p50,
        slowestMaxMs: slowest,
        handlers: figures,
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

try {
  main();
} catch (error: unknown) {
  process.stderr.write(
    `bench:cold-start failed: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
}
