/**
 * Measures the traffic-source classifier against public data nobody here wrote: Snowplow's
 * referer-parser `resources/referer-tests.json` (referrer URLs with their expected source and
 * medium) and, optionally, its `resources/referers.yml` (every domain with its medium). Both
 * files come from the snowplow-referer-parser/referer-parser repository; pass their paths:
 *
 *   npx tsx pipeline/data/evaluate-referrers.ts referer-tests.json [referers.yml]
 *
 * The database's media map to ours as the classifier maps them (`unknown` and `chatbot` are
 * referrals). Prints the agreement and the disagreements.
 */
import { readFileSync } from 'node:fs';
import type { Medium } from '../../schemas';
import { referrerHost, sourceFromReferrer } from '../traffic-source';

const OURS: Record<string, Medium> = {
  search: 'search',
  social: 'social',
  email: 'email',
  paid: 'paid',
  referral: 'referral',
  unknown: 'referral',
  chatbot: 'referral',
  internal: 'internal',
};

interface TestCase {
  readonly spec: string;
  readonly uri: string;
  readonly medium: string;
  readonly source?: string | null;
}

function evaluateTests(path: string): void {
  const cases = JSON.parse(readFileSync(path, 'utf8')) as TestCase[];
  let agree = 0;
  const misses: string[] = [];
  for (const test of cases) {
    const got = sourceFromReferrer(referrerHost(test.uri), 'www.snowplowanalytics.com');
    const want = OURS[test.medium] ?? test.medium;
    if (got.medium === want) agree += 1;
    else misses.push(`  ${test.spec}: expected ${want}, got ${got.medium} (${got.source})`);
  }
  console.log(
    `referer-tests.json: ${agree}/${cases.length} media agree (${pct(agree, cases.length)})`,
  );
  console.log(misses.join('\n'));
}

function evaluateDomains(path: string): void {
  const db = readDatabaseYaml(readFileSync(path, 'utf8'));
  let agree = 0;
  let total = 0;
  const byMedium = new Map<string, [number, number]>();
  const misses: string[] = [];
  for (const [medium, sources] of Object.entries(db)) {
    for (const [name, { domains }] of Object.entries(sources)) {
      for (const domain of domains) {
        const host = referrerHost(`https://${domain}`);
        const got = sourceFromReferrer(host, 'site.invalid');
        const want = OURS[medium] ?? medium;
        const counts = byMedium.get(medium) ?? [0, 0];
        total += 1;
        counts[1] += 1;
        if (got.medium === want) {
          agree += 1;
          counts[0] += 1;
        } else if (misses.length < 40)
          misses.push(`  ${domain} (${name}): expected ${want}, got ${got.medium}`);
        byMedium.set(medium, counts);
      }
    }
  }
  console.log(
    `referers.yml: ${agree}/${total} domains get the database's medium (${pct(agree, total)})`,
  );
  for (const [medium, [a, n]] of byMedium) console.log(`  ${medium}: ${a}/${n} (${pct(a, n)})`);
  console.log(misses.join('\n'));
}

/**
 * referers.yml's fixed layout, enough for this measurement: `medium:` at column 0, `  Source:`
 * at column 2, `      - domain` items under `domains:` (parameters lists are skipped).
 */
function readDatabaseYaml(text: string): Record<string, Record<string, { domains: string[] }>> {
  const db: Record<string, Record<string, { domains: string[] }>> = {};
  let medium: Record<string, { domains: string[] }> | undefined;
  let source: { domains: string[] } | undefined;
  let inDomains = false;
  for (const line of text.split('\n')) {
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const top = /^([a-z]+):\s*$/.exec(line);
    const named = /^ {2}(\S.*?):\s*$/.exec(line);
    const key = /^ {4}(\w+):/.exec(line);
    const item = /^ {4,}- (.+?)\s*$/.exec(line);
    if (top?.[1] !== undefined) medium = db[top[1]] = {};
    else if (named?.[1] !== undefined && medium !== undefined)
      source = medium[named[1].replace(/^["']|["']$/g, '')] = { domains: [] };
    else if (key?.[1] !== undefined) inDomains = key[1] === 'domains';
    else if (item?.[1] !== undefined && inDomains && source !== undefined)
      source.domains.push(item[1].replace(/^["']|["']$/g, ''));
  }
  return db;
}

function pct(a: number, n: number): string {
  return `${((100 * a) / n).toFixed(1)} %`;
}

const [tests, yml] = process.argv.slice(2);
if (tests === undefined)
  throw new Error(
    'usage: evaluate-referrers.ts <referer-tests.json> [referers.yml]: received no path',
  );
evaluateTests(tests);
if (yml !== undefined) evaluateDomains(yml);
