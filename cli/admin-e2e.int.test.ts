/**
 * The admin CLI end to end on the local stack (issue 13): `npm run admin -- sites add` (the real
 * entry point, in its own process, finding the stack through demo.json) onboards a site; the
 * local edge — reading the registry table through the ingest authorizer's own code, with the
 * query API mounted and the consumer on the stream — accepts a browser's text/plain batch with
 * the printed key from an allowed origin, and the printed read token reads the session back;
 * after `keys revoke` and `read-tokens revoke`, once the authorizers' cached answers expire (the
 * edge's clock is moved past both TTLs: no waiting), both are refused.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { dynamoRegistryReader } from '../handlers/adapters/dynamo-registry-reader';
import { createAwsClients, type AwsClients } from '../handlers/aws-clients';
import { startLocalConsumer, type LocalConsumer } from '../localstack/consumer/local-consumer';
import { type RunningEdge, startEdge } from '../localstack/edge/server';
import { queryRoutes } from '../localstack/query/query-routes';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { waitFor } from '../localstack/testing/wait-for';
import { runAdmin } from './admin';
import { localTarget } from './target';
import { lines } from './test-support/test-target';

const run = promisify(execFile);
const ROOT = join(__dirname, '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const SITE_ORIGIN = 'https://e2e-shop.example.com';
/** Past the ingest authorizer's cache (300 s) and the read authorizer's (60 s). */
const PAST_EVERY_CACHE_MS = 301_000;

let stack: TestStack;
let clients: AwsClients;
let edge: RunningEdge;
let consumer: LocalConsumer;
let stateDir: string;
let offset = 0;
const clock = (): number => Date.now() + offset;

beforeAll(async () => {
  stack = await useTestStack({ name: 'cli-e2e' });
  clients = createAwsClients(
    { endpoint: stack.endpoint, region: stack.region },
    { maxAttempts: 1 },
  );
  edge = await startEdge({
    port: 0,
    streamName: stack.names.eventsStream,
    aws: { endpoint: stack.endpoint, region: stack.region },
    registry: dynamoRegistryReader(clients.dynamodb, stack.names.tables.registry),
    clock,
    routes: queryRoutes({
      dynamodb: clients.dynamodb,
      activeSessionsTable: stack.names.tables.activeSessions,
      realtimeRollupsTable: stack.names.tables.realtimeRollups,
      readTokensTable: stack.names.tables.readTokens,
      activeSessionShards: stack.resources.activeSessionShards,
      clock,
    }),
  });
  consumer = await startLocalConsumer({ env: stack.env, clients: stack.clients });
  // What npm start writes: where the stack's AWS endpoint and its pages are.
  stateDir = await mkdtemp(join(tmpdir(), 'cli-e2e-'));
  await writeFile(
    join(stateDir, 'demo.json'),
    JSON.stringify({
      siteId: 'demo-shop',
      awsEndpoint: stack.endpoint,
      edgeUrl: edge.url,
      dashboardUrl: `${edge.url}/dashboard/`,
      trackerScriptUrl: `${edge.url}/li.js`,
    }),
  );
});

afterAll(async () => {
  await consumer?.stop();
  await edge?.stop();
  clients?.destroy();
  if (stateDir !== undefined) await rm(stateDir, { recursive: true, force: true });
  await stack?.dispose();
});

const localEnv = (): Record<string, string> => ({
  LIVEINSIGHT_STATE_DIR: stateDir,
  LIVEINSIGHT_STAGE: stack.prefix,
});

async function admin(...argv: string[]): Promise<string[]> {
  const { print, printed } = lines();
  await runAdmin(argv, { print, target: await localTarget(localEnv()) });
  return printed;
}

function send(key: string, sessionId: string): Promise<Response> {
  return fetch(`${edge.url}/events?key=${encodeURIComponent(key)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain;charset=UTF-8', origin: SITE_ORIGIN },
    body: JSON.stringify({
      siteId: 'e2e-shop',
      events: [
        {
          eventId: `${sessionId}_pageview_0`,
          sessionId,
          seq: 0,
          type: 'pageview',
          ts: Date.now(),
          url: `${SITE_ORIGIN}/pricing`,
        },
      ],
    }),
  });
}

function read(token: string): Promise<Response> {
  return fetch(`${edge.url}/sessions/active?siteId=e2e-shop`, {
    headers: { authorization: `Bearer ${token}` },
  });
}

test('add a site, send with its key, read with its token; revoke both: refused', async () => {
  // Act: the real entry point, in its own process, on the stack demo.json names.
  const { stdout } = await run(
    TSX,
    [join(ROOT, 'cli', 'admin.ts'), 'sites', 'add', '--site', 'e2e-shop', '--origin', SITE_ORIGIN],
    { env: { ...process.env, ...localEnv() } },
  );

  // Assert: printed once — the key, the token, the tag and the dashboard link of this edge.
  const key = /ingest key (k_[0-9a-f]{8}): (li_e2e-shop_[A-Za-z0-9]{32})/.exec(stdout);
  const token = /read token: (lirt_[A-Za-z0-9_-]{43})/.exec(stdout)?.[1] ?? '';
  expect(key).not.toBeNull();
  const [, keyId = '', ingestKey = ''] = key ?? [];
  expect(stdout).toContain(`src="${edge.url}/li.js"`);
  expect(stdout).toContain(`dashboard: ${edge.url}/dashboard/?siteId=e2e-shop#token=${token}`);

  // Send with the key, as sendBeacon does, from the allowed origin.
  const sent = await send(ingestKey, 'e2e_session_1');
  expect(sent.status).toBe(200);
  expect(sent.headers.get('access-control-allow-origin')).toBe(SITE_ORIGIN);
  expect(await sent.json()).toEqual({ accepted: 1 });

  // Read it back with the token once the consumer has stored it.
  const listed = await waitFor(
    async () => {
      const answer = await read(token);
      const text = await answer.text();
      return answer.status === 200 && text.includes('e2e_session_1') ? text : undefined;
    },
    'the sent session in GET /sessions/active with the printed read token',
    { timeoutMs: 20_000, intervalMs: 200 },
  );
  expect(listed).toContain('"sessionId":"e2e_session_1"');

  // Revoke both with the CLI.
  await admin('keys', 'revoke', '--site', 'e2e-shop', '--key-id', keyId);
  await admin('read-tokens', 'revoke', '--site', 'e2e-shop', '--token', token);

  // Cached answers still admit until their TTL (as API Gateway's cache does)...
  expect((await send(ingestKey, 'e2e_session_2')).status).toBe(200);
  // ...and once they expire, both are refused.
  offset += PAST_EVERY_CACHE_MS;
  const refusedSend = await send(ingestKey, 'e2e_session_3');
  expect(refusedSend.status).toBe(403);
  expect(await refusedSend.json()).not.toHaveProperty('accepted');
  expect([401, 403]).toContain((await read(token)).status);
});
