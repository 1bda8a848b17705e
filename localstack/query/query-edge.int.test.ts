/**
 * The query API on the local edge, as API Gateway would answer: 401 without a usable token,
 * 403 for a token of another site (or no such token), 200 for the site's own token; GET
 * /realtime served from the 3 s stage cache per siteId and token; /health without a token; and
 * the dashboard's files with their security headers.
 */
import { ErrorBodySchema, RealtimeAnswerSchema } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import {
  activeSessionItem,
  seedActiveSessions,
} from '../../handlers/query/__fixtures__/active-session-items';
import { useTestStack, type TestStack } from '../testing/use-test-stack';
import { startQueryEdge, type QueryEdge } from './test-support/query-edge';

let stack: TestStack;
let q: QueryEdge;

async function get(path: string, token?: string) {
  const response = await fetch(`${q.url}${path}`, {
    headers: token === undefined ? {} : { authorization: `Bearer ${token}` },
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, text };
}

function json(text: string): unknown {
  return JSON.parse(text) as unknown;
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'query-edge' });
  const nowMs = Date.now();
  await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, [
    activeSessionItem({ siteId: 'site-a', sessionId: 's-a1', shard: 0, nowMs }),
    activeSessionItem({ siteId: 'site-a', sessionId: 's-a2', shard: 1, nowMs }),
    activeSessionItem({ siteId: 'site-b', sessionId: 's-b1', shard: 0, nowMs }),
  ]);
  q = await startQueryEdge(stack);
  await q.waitForRealtime('site-a', (answer) => answer.activeSessions === 2);
  await q.waitForRealtime('site-b', (answer) => answer.activeSessions === 1);
});

afterAll(async () => {
  await q.stop();
  await stack.dispose();
});

describe('query API on the local edge', () => {
  it('answers 401 with the contract error body when the token or the site is missing', async () => {
    const noToken = await get('/realtime?siteId=site-a');
    const noSite = await get('/realtime', q.sites.a.readToken);
    const ingestKey = await get('/realtime?siteId=site-a', q.sites.a.ingestKey);

    expect([noToken.status, noSite.status, ingestKey.status]).toEqual([401, 401, 401]);
    expect(parseWith(ErrorBodySchema, json(noToken.text)).ok).toBe(true);
    expect(json(noToken.text)).toMatchObject({ error: { code: 'unauthorized' } });
  });

  it('answers 403 to a token of another site, on both read routes', async () => {
    const realtime = await get('/realtime?siteId=site-b', q.sites.a.readToken);
    const sessions = await get('/sessions/active?siteId=site-b', q.sites.a.readToken);

    expect([realtime.status, sessions.status]).toEqual([403, 403]);
    expect(json(realtime.text)).toEqual({
      error: {
        code: 'forbidden',
        message: expect.stringMatching(/^Access denied: .*read token does not grant/) as unknown,
      },
    });
    expect(realtime.text).not.toContain('s-b1');
  });

  it('answers the site’s own figures to its token', async () => {
    const a = await get('/realtime?siteId=site-a', q.sites.a.readToken);
    const b = await get('/realtime?siteId=site-b', q.sites.b.readToken);

    expect(a.status).toBe(200);
    const parsed = parseWith(RealtimeAnswerSchema, json(a.text));
    expect(parsed.ok && parsed.value.activeSessions).toBe(2);
    expect(json(b.text)).toMatchObject({ siteId: 'site-b', activeSessions: 1 });
  });

  it('serves GET /realtime from the stage cache for 3 s per site and token', async () => {
    const first = json((await get('/realtime?siteId=site-a', q.sites.a.readToken)).text) as {
      at: number;
    };
    await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, [
      activeSessionItem({ siteId: 'site-a', sessionId: 's-a3', shard: 2, nowMs: Date.now() }),
    ]);
    await q.waitForRealtime('site-a', (answer) => answer.activeSessions === 3);
    q.advance(1_000);
    const cached = json((await get('/realtime?siteId=site-a', q.sites.a.readToken)).text);
    q.advance(3_000);
    const fresh = json((await get('/realtime?siteId=site-a', q.sites.a.readToken)).text);

    expect(cached).toEqual(first);
    expect(fresh).toMatchObject({ activeSessions: 3 });
  });

  it('lists active sessions for the site’s token only', async () => {
    const page = await get('/sessions/active?siteId=site-b&limit=5', q.sites.b.readToken);

    expect(page.status).toBe(200);
    expect(json(page.text)).toMatchObject({ siteId: 'site-b', sessions: [{ sessionId: 's-b1' }] });
  });

  it('answers /health without a token', async () => {
    const health = await get('/health');

    expect(health.status).toBe(200);
    expect(json(health.text)).toMatchObject({
      status: 'ok',
      checks: { activeSessionsTable: 'ok' },
    });
  });

  it('serves the dashboard with its security headers and a config.json for this origin', async () => {
    const page = await get('/dashboard/');
    const script = await get('/dashboard/app.js');
    const config = await get('/dashboard/config.json');
    const bare = await fetch(`${q.url}/dashboard`, { redirect: 'manual' });

    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toMatch(
      /script-src 'self'.*connect-src 'self'/,
    );
    expect(page.headers.get('x-frame-options')).toBe('DENY');
    expect(page.text).toContain('<script type="module" src="app.js">');
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(json(config.text)).toEqual({ apiUrl: '' });
    expect(bare.status).toBe(301);
    expect(bare.headers.get('location')).toBe('/dashboard/');
    expect(q.errors).toEqual([]);
  });
});
