/**
 * `npm run bench:hot-path` — the consumer's pure hot path (decode → validate → enrich →
 * coalesce) against its floor (base64-decode + JSON.parse), on the reference workload. The
 * workload, the method and the output are described in hot-path-measure.ts.
 *
 * The measurement runs as the consumer Lambda runs: one esbuild bundle with the Lambda bundles'
 * settings (node20, minified, CommonJS — infra/constructs/bundled-function.ts), in a fresh node
 * process, rather than through tsx's per-file transform, whose module interop (a getter per
 * imported binding) costs the hot path a few percent that production never pays.
 */
import { buildSync } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'liveinsight-bench-'));
try {
  const outfile = join(dir, 'hot-path.cjs');
  buildSync({
    entryPoints: [join(__dirname, 'hot-path-measure.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, [outfile], { stdio: 'inherit' });
  if (run.error !== undefined) throw run.error;
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
