/**
 * `npm run bench:hot-path` — the consumer's pure hot path (decode → validate → enrich →
 * coalesce) against its floor (base64-decode + JSON.parse), on the reference workload. The
 * workload, the method and the table are described in hot-path-measure.ts.
 *
 * The measurement runs as the consumer Lambda runs: one esbuild bundle with the Lambda bundles'
 * settings (node20, minified, CommonJS — infra/constructs/bundled-function.ts), in a fresh node
 * process, rather than through tsx's per-file transform, whose module interop (a getter per
 * imported binding) costs the hot path a few percent that production never pays.
 *
 * It runs twice: with the consumer Lambda's NODE_OPTIONS (CONSUMER_NODE_OPTIONS, a 32 MB young
 * generation semi-space — the `ratio`) and with Node's default heap settings, for comparison.
 * A batch holds ~1,000 records and their items alive while it is processed, and every young-
 * generation collection copies them; the floor keeps nothing alive, so the default semi-space
 * penalises the hot path more than the floor, and the deployed one removes most of that.
 */
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSUMER_NODE_OPTIONS } from '../../infra/resources';
import { LAMBDA_BUNDLE_OPTIONS } from './lambda-bundle-options';

interface Figures {
  readonly bench: string;
  readonly ratio: number;
  readonly eventsPerSec: number;
  readonly floorEventsPerSec: number;
  readonly records: number;
  readonly rounds: number;
}

function isFigures(value: unknown): value is Figures {
  if (value === null || typeof value !== 'object') return false;
  const v = value as Record<string, unknown>;
  return (
    v['bench'] === 'hot-path' &&
    ['ratio', 'eventsPerSec', 'floorEventsPerSec', 'records', 'rounds'].every(
      (key) => typeof v[key] === 'number',
    )
  );
}

/** Runs the bundle, echoes its table and returns the figures of its last line. */
function measure(bundle: string, nodeFlags: readonly string[], title: string): Figures {
  const run = spawnSync(process.execPath, [...nodeFlags, bundle], { encoding: 'utf8' });
  if (run.error !== undefined) throw run.error;
  if (run.status !== 0) {
    throw new Error(`The measurement exited with ${run.status ?? run.signal}: ${run.stderr}`);
  }
  const lines = run.stdout.trimEnd().split('\n');
  const last = lines.pop() ?? '';
  const figures: unknown = JSON.parse(last);
  if (!isFigures(figures)) {
    throw new Error(`Expected the hot-path figures as the last line, received ${last}`);
  }
  console.log(`== ${title}`);
  console.log(lines.join('\n'));
  console.log('');
  return figures;
}

const dir = mkdtempSync(join(tmpdir(), 'liveinsight-bench-'));
try {
  const bundle = join(dir, 'hot-path.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'hot-path-measure.ts')],
    outfile: bundle,
    ...LAMBDA_BUNDLE_OPTIONS,
    logLevel: 'warning',
  });
  const deployedFlags = CONSUMER_NODE_OPTIONS.split(' ');
  const deployed = measure(
    bundle,
    deployedFlags,
    `as deployed: NODE_OPTIONS=${CONSUMER_NODE_OPTIONS}`,
  );
  const defaults = measure(bundle, [], 'Node defaults');
  console.log(
    `ratio ${deployed.ratio.toFixed(3)} as deployed (${CONSUMER_NODE_OPTIONS}), ` +
      `${defaults.ratio.toFixed(3)} with Node's defaults (target ≥ 0.5)`,
  );
  console.log(
    JSON.stringify({
      ...deployed,
      nodeOptions: CONSUMER_NODE_OPTIONS,
      ratioNodeDefaults: defaults.ratio,
      eventsPerSecNodeDefaults: defaults.eventsPerSec,
      floorEventsPerSecNodeDefaults: defaults.floorEventsPerSec,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
