/**
 * GET /sessions/active against DynamoDB Local: pages merged from every shard in sessionId order
 * with opaque cursors, expired items (still stored) skipped without short or repeated pages, and
 * a cursor of one site refused on another. The stage's shard plan gives one hot site the 64
 * shards the scale target needs (README "Scale") while the others keep 4.
 */
import { ActiveSessionsPageSchema, type ActiveSessionsPage } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { MAX_ACTIVE_SESSION_SHARDS, parseShardPlan } from '../../schemas/shard-plan';
import { activeSessionShard } from '../../pipeline/items';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { activeSessionItem, seedActiveSessions } from './__fixtures__/active-session-items';
import { queryApiOnTables } from './test-support/query-api-on-tables';
import type { QueryApi, QueryResponse } from './query-api';

const SHARDS = 4;
const HOT_SHARDS = MAX_ACTIVE_SESSION_SHARDS;
const PLAN = parseShardPlan(SHARDS, { 'site-hot': { activeSessionShards: HOT_SHARDS } });
const MINUTE = 60_000;
const nowMs = Date.now();

let stack: TestStack;
let api: QueryApi;
const live: string[] = [];
const hotLive: string[] = [];
const hotShards = new Set<string>();

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
  for (let i = 0; i < 96; i += 1) {
    const sessionId = `hot-${String(i).padStart(3, '0')}`;
    const expired = i % 4 === 0;
    if (!expired) hotLive.push(sessionId);
    // Where the consumer puts it with the plan: one of the site's 64 shards.
    const shard = activeSessionShard(sessionId, HOT_SHARDS);
    hotShards.add(`site-hot#${shard}`);
    items.push(
      activeSessionItem({
        siteId: 'site-hot',
        sessionId,
        shard,
        nowMs,
        agoMs: expired ? 45 * MINUTE : 2 * MINUTE,
      }),
    );
  }
  await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, items);
  api = queryApiOnTables(stack.clients.dynamodb, stack.names.tables, { shardCount: PLAN, nowMs });
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

  it('pages a site with its own 64 shards through every live session once, in order', async () => {
    // The seed really spreads the site: most of its 64 keys hold sessions.
    expect(hotShards.size).toBeGreaterThan(HOT_SHARDS / 2);
    let pages = 0;
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let guard = 0; guard < 20; guard += 1) {
      const page = pageOf(
        await get({ siteId: 'site-hot', limit: '50', ...(cursor ? { cursor } : {}) }),
      );
      seen.push(...page.sessions.map((s) => s.sessionId));
      pages += 1;
      cursor = page.nextCursor;
      if (cursor === undefined) break;
    }

    expect(seen).toEqual(hotLive);
    expect(pages).toBe(2);
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
