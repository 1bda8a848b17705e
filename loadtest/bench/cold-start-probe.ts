/**
 * The pieces of `bench:cold-start` (cold-start.ts): the subjects (an empty floor bundle and every
 * Lambda handler with the event of its first invocation), bundling as CDK does, and one cold start
 * in a fresh Node process with its answer checked.
 *
 * Each first invocation needs no I/O, so it times loading, config, client creation and the
 * handler's own first pass, not the network: an empty stream batch for the stream functions, an
 * unknown path for the query API, a request without a token for the authorizer. Its answer is
 * checked, so a bundle that breaks at init fails the bench instead of timing fast.
 */
import { spawnSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSync } from 'esbuild';
import { CONSUMER_NODE_OPTIONS } from '../../infra/resources';
import { LAMBDA_BUNDLE_OPTIONS } from './lambda-bundle-options';

const HANDLERS_DIR = join(__dirname, '..', '..', 'handlers');

export interface Subject {
  readonly name: string;
  /** The TypeScript entry exporting `handler`, or the source of the floor's bundle. */
  readonly entry: { readonly file: string } | { readonly source: string };
  /** NODE_OPTIONS flags the function is deployed with. */
  readonly nodeFlags: readonly string[];
  /** The first invocation's event. */
  readonly event: unknown;
  /** Says whether the first answer is the one this event must get; the text says what was expected. */
  readonly expect: { readonly text: string; readonly holds: (outcome: Outcome) => boolean };
}

export type Outcome = { readonly value: unknown } | { readonly error: string };

const emptyBatch = {
  text: '{"batchItemFailures": []}',
  holds: (outcome: Outcome) =>
    'value' in outcome &&
    JSON.stringify(outcome.value) === JSON.stringify({ batchItemFailures: [] }),
};

/** The floor first, then every handler of handlers/ with the event its first invocation gets. */
export const SUBJECTS: readonly Subject[] = [
  {
    name: 'floor',
    entry: { source: 'exports.handler = async () => ({ ok: true });' },
    nodeFlags: [],
    event: {},
    expect: {
      text: '{"ok": true}',
      holds: (o) => 'value' in o && JSON.stringify(o.value) === '{"ok":true}',
    },
  },
  {
    name: 'consumer',
    entry: { file: join(HANDLERS_DIR, 'consumer', 'index.ts') },
    nodeFlags: CONSUMER_NODE_OPTIONS.split(' '),
    event: { Records: [] },
    expect: emptyBatch,
  },
  {
    name: 'processor',
    entry: { file: join(HANDLERS_DIR, 'processor', 'index.ts') },
    nodeFlags: [],
    event: { Records: [] },
    expect: emptyBatch,
  },
  {
    name: 'rollup',
    entry: { file: join(HANDLERS_DIR, 'rollup', 'index.ts') },
    nodeFlags: [],
    event: { Records: [] },
    expect: emptyBatch,
  },
  {
    name: 'query',
    entry: { file: join(HANDLERS_DIR, 'query', 'index.ts') },
    nodeFlags: [],
    event: {
      httpMethod: 'GET',
      resource: '/cold-start-probe',
      path: '/cold-start-probe',
      queryStringParameters: null,
      headers: {},
      requestContext: { authorizer: { siteId: 'demo-shop' } },
    },
    expect: {
      text: 'a 404 answer',
      holds: (o) => 'value' in o && (o.value as { statusCode?: unknown }).statusCode === 404,
    },
  },
  {
    name: 'authorizer',
    entry: { file: join(HANDLERS_DIR, 'authorizer', 'index.ts') },
    nodeFlags: [],
    event: {
      type: 'REQUEST',
      methodArn: 'arn:aws:execute-api:us-east-1:123456789012:api/prod/GET/realtime',
      headers: {},
      queryStringParameters: { siteId: 'demo-shop' },
    },
    expect: {
      text: 'the error "Unauthorized"',
      holds: (o) => 'error' in o && o.error === 'Unauthorized',
    },
  },
];

/**
 * The child's whole program: load the bundle, invoke once, print the times (ms since the process
 * started) and the outcome as one JSON line.
 */
const PROBE = `
const { performance } = require('node:perf_hooks');
const [bundle, eventJson] = process.argv.slice(2);
const loadStart = performance.now();
const mod = require(bundle);
const loaded = performance.now();
Promise.resolve()
  .then(() => mod.handler(JSON.parse(eventJson), { getRemainingTimeInMillis: () => 30000 }))
  .then((value) => ({ value }), (error) => ({ error: error instanceof Error ? error.message : String(error) }))
  .then((outcome) => {
    const answered = performance.now();
    process.stdout.write(JSON.stringify({ loadStart, loaded, answered, outcome }) + '\\n');
  });
`;

export interface Sample {
  readonly loadMs: number;
  readonly firstInvokeMs: number;
  /** Process start → first answer. */
  readonly totalMs: number;
}

/** Bundles a subject into `dir/<name>/index.js` as CDK does; returns the file and its size. */
export function bundleSubject(subject: Subject, dir: string): { file: string; bytes: number } {
  const outfile = join(dir, subject.name, 'index.js');
  const entry = subject.entry;
  buildSync({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.source, loader: 'js', resolveDir: dir } }),
    outfile,
    ...LAMBDA_BUNDLE_OPTIONS,
    sourcemap: true,
    logLevel: 'warning',
  });
  return { file: outfile, bytes: statSync(outfile).size };
}

/** Writes the probe program into `dir`; returns its path. */
export function writeProbe(dir: string): string {
  const probe = join(dir, 'probe.cjs');
  writeFileSync(probe, PROBE);
  return probe;
}

/**
 * One cold start: a fresh Node process loads `file` and invokes it once. Throws, naming the
 * subject, when the probe reports nothing (the bundle failed to load) or the answer is not the
 * expected one.
 */
export function coldStart(
  subject: Subject,
  file: string,
  probe: string,
  env: NodeJS.ProcessEnv,
): Sample {
  const child = spawnSync(
    process.execPath,
    [...subject.nodeFlags, probe, file, JSON.stringify(subject.event)],
    { encoding: 'utf8', env, timeout: 30_000 },
  );
  const last = child.stdout.trim().split('\n').at(-1) ?? '';
  let report: { loadStart: number; loaded: number; answered: number; outcome: Outcome };
  try {
    report = JSON.parse(last) as typeof report;
  } catch {
    throw new Error(
      `${subject.name}: the probe printed no report (exit ${String(child.status)}, signal ${String(child.signal)}); stderr: ${child.stderr.slice(-800)}`,
    );
  }
  if (!subject.expect.holds(report.outcome)) {
    throw new Error(
      `${subject.name}: the first invocation answered ${JSON.stringify(report.outcome)} (expected ${subject.expect.text})`,
    );
  }
  return {
    loadMs: report.loaded - report.loadStart,
    firstInvokeMs: report.answered - report.loaded,
    totalMs: report.answered,
  };
}
