/**
 * GET /sessions/active against DynamoDB Local: pages merged from every shard in sessionId order
 * with opaque cursors, expired items (still stored) skipped without short or repeated pages, and
 * a cursor of one site refused on another.
 */
import { ActiveSessionsPageSchema, type ActiveSessionsPage } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { activeSessionItem, seedActiveSessions } from './__fixtures__/active-session-items';
import { queryApiOnTables } from './test-support/query-api-on-tables';
import type { QueryApi, QueryResponse } from './query-api';

const SHARDS = 4;
const MINUTE = 60_000;
const nowMs = Date.now();

let stack: TestStack;
let api: QueryApi;
const live: string[] = [];

function get(
  query: Record<string, string>,
  grantedSiteId = query['siteId'],
): Promise<QueryResponse> {
  return api({ method: 'GET', path: '/sessions/active', query, grantedSiteId });
}

function pageOf(response: QueryResponse): ActiveSessionsPage {
  expect(response.statusCode).toBe(200);
  const parsed = parseWith(ActiveSessionsPageSchema, JSON.parse(response.body));
  if (!parsed.ok) throw new Error(`not an ActiveSessionsPage: ${JSON.stringify(parsed.issues)}`);
  return parsed.value;
}

beforeAll(async () => {
  stack = await useTestStack({
    name: 'sessions-paging',
    resources: { activeSessionShards: SHARDS },
  });
  const items = [];
  for (let i = 0; i < 60; i += 1) {
    const sessionId = `sess-${String(i).padStart(3, '0')}`;
    // Every third session expired (still stored); runs of expired items within a shard.
    const expired = i % 3 === 0 || (i >= 40 && i < 52);
    if (!expired) live.push(sessionId);
    items.push(
      activeSessionItem({
        siteId: 'site-a',
        sessionId,
        shard: (i * 7) % SHARDS,
        nowMs,
        agoMs: expired ? 45 * MINUTE : 2 * MINUTE,
      }),
    );
  }
  items.push(activeSessionItem({ siteId: 'site-b', sessionId: 'sess-000b', shard: 0, nowMs }));
  await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, items);
  api = queryApiOnTables(stack.clients.dynamodb, stack.names.tables, { shardCount: SHARDS, nowMs });
});

afterAll(() => stack.dispose());

describe('GET /sessions/active on DynamoDB Local', () => {
  it('pages through every live session once, in order, across shards', async () => {
    const seen: string[] = [];
    const sizes: number[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 50; guard += 1) {
      const page = pageOf(
        await get({ siteId: 'site-a', limit: '7', ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.sessions.map((s) => s.sessionId));
      sizes.push(page.sessions.length);
      cursor = page.nextCursor;
      if (cursor === undefined) break;
      expect(cursor).not.toContain('sess-');
    }

    expect(seen).toEqual(live);
    expect(sizes.slice(0, -1).every((n) => n === 7)).toBe(true);
  });

  it('answers the contract shape of an active session', async () => {
    const page = pageOf(await get({ siteId: 'site-a', limit: '1' }));

    expect(page.sessions[0]).toMatchObject({
      sessionId: live[0],
      visitorId: `visitor-${live[0]}`,
      device: 'desktop',
      entryPage: '/',
      isBot: false,
    });
    expect(page.nextCursor).toEqual(expect.any(String));
  });

  it('lists only the requested site', async () => {
    const page = pageOf(await get({ siteId: 'site-b' }));

    expect(page.sessions.map((s) => s.sessionId)).toEqual(['sess-000b']);
    expect(page.nextCursor).toBeUndefined();
  });

  it('refuses a cursor of another site and a limit out of range', async () => {
    const first = pageOf(await get({ siteId: 'site-a', limit: '2' }));
    const foreign = await get({ siteId: 'site-b', cursor: first.nextCursor ?? '' });
    const zero = await get({ siteId: 'site-a', limit: '0' });
    const huge = await get({ siteId: 'site-a', limit: '201' });

    expect(foreign.statusCode).toBe(400);
    expect(JSON.parse(foreign.body)).toMatchObject({ error: { code: 'invalid_cursor' } });
    expect([zero.statusCode, huge.statusCode]).toEqual([400, 400]);
    expect(JSON.parse(huge.body).error.message).toMatch(/expected an integer from 1 to 200/);
  });

  it('refuses a site the read token was not granted for', async () => {
    const response = await get({ siteId: 'site-b' }, 'site-a');

    expect(response.statusCode).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: 'forbidden' } });
  });
});
