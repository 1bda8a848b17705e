/**
 * The registry file and its CLI against a running edge: a key added with `npm run sites` works
 * within a second, a revoked one stops working within a second, and the file holds only hashes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { type RunningEdge, startEdge } from './server';
import { runSitesCommand } from './sites-cli';
import { DEMO_SITE } from './site-registry';
import { events } from './test-support/edge-harness';

let stack: TestStack;
let edge: RunningEdge;
let file: string;

beforeAll(async () => {
  stack = await useTestStack({ name: 'edge-sites-cli' });
  file = join(mkdtempSync(join(tmpdir(), 'edge-sites-')), 'sites.json');
  edge = await startEdge({
    port: 0,
    streamName: stack.names.eventsStream,
    aws: { endpoint: stack.endpoint, region: stack.region },
    sitesFile: file,
    logError: () => undefined,
  });
});
afterAll(async () => {
  await edge?.stop();
  await stack?.dispose();
  if (file !== undefined) rmSync(dirname(file), { recursive: true, force: true });
});

function cli(...args: string[]): string[] {
  const lines: string[] = [];
  runSitesCommand([...args, '--file', file], (line) => lines.push(line));
  return lines;
}

const post = (key: string, siteId: string) =>
  fetch(`${edge.url}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-api-key': key },
    body: JSON.stringify({ siteId, events: events(1) }),
  }).then((r) => r.status);

async function eventually(check: () => Promise<boolean>, deadlineMs = 5000): Promise<void> {
  const deadline = Date.now() + deadlineMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${deadlineMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

it('seeds the demo site with its fixed key, allowing the edge’s own origin', async () => {
  expect(edge.demo?.siteId).toBe(DEMO_SITE.siteId);
  expect(edge.registry.site(DEMO_SITE.siteId)?.origins).toContain(`http://localhost:${edge.port}`);
  expect(await post(edge.demo?.ingestKey ?? '', DEMO_SITE.siteId)).toBe(200);
});

it('takes a key added by the CLI, and stops taking it once revoked', async () => {
  cli('add-site', 'cli-shop', '--origin', 'https://cli.example', '--tier', 'starter');
  const [issued = '', key = ''] = cli('add-key', 'cli-shop');
  const keyId = /key (k_[0-9a-f]{8}) for cli-shop/.exec(issued)?.[1] ?? '';
  expect(key).toMatch(/^li_cli-shop_[A-Za-z0-9]{32}$/);

  await eventually(async () => (await post(key, 'cli-shop')) === 200);

  cli('revoke-key', 'cli-shop', keyId);
  await eventually(async () => (await post(key, 'cli-shop')) === 403);
});

it('stores hashes, never keys', () => {
  const text = readFileSync(file, 'utf8');

  expect(text).not.toContain(edge.demo?.ingestKey ?? 'never');
  expect(text).not.toMatch(/li_[a-z0-9-]+_[A-Za-z0-9]{32}/);
});

it('names the problem in a bad command', () => {
  expect(() => cli('add-site', 'cli-shop-2', '--tier', 'gold')).toThrow(
    /--tier "gold" is unknown \(expected one of starter, standard, scale\)/,
  );
});
