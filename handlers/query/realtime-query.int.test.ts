/**
 * GET /realtime against DynamoDB Local: expired items excluded although still stored, the 5 and
 * 30 minute windows apart, every shard merged, another site's items never counted, and only
 * Query (never Scan) sent — one per shard.
 */
import { RealtimeAnswerSchema, type RealtimeAnswer } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { installRequestMeter } from '../faults/request-meter';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { createActiveSessionsReader } from './active-sessions-reader';
import { createQueryApi, type QueryApi } from './query-api';
import { activeSessionItem, seedActiveSessions } from './__fixtures__/active-session-items';

const MINUTE = 60_000;
const SHARDS = 4;
const nowMs = Date.now();

let stack: TestStack;
let api: QueryApi;

function realtimeOf(siteId: string): Promise<RealtimeAnswer> {
  return api({ method: 'GET', path: '/realtime', query: { siteId }, grantedSiteId: siteId }).then(
    (response) => {
      expect(response.statusCode).toBe(200);
      const parsed = parseWith(RealtimeAnswerSchema, JSON.parse(response.body));
      if (!parsed.ok) throw new Error(`not a RealtimeAnswer: ${JSON.stringify(parsed.issues)}`);
      return parsed.value;
    },
  );
}

beforeAll(async () => {
  stack = await useTestStack({
    name: 'realtime-query',
    resources: { activeSessionShards: SHARDS },
  });
  const table = stack.names.tables.activeSessions;
  const item = (siteId: string, sessionId: string, shard: number, extra: object = {}) =>
    activeSessionItem({ siteId, sessionId, shard, nowMs, ...extra });
  await seedActiveSessions(stack.clients.dynamodb, table, [
    // site-a, one session per shard, all current (page view 1 min ago).
    item('site-a', 's-a0', 0, { visitorId: 'va', currentPage: '/pricing', country: 'FR' }),
    item('site-a', 's-a1', 1, { visitorId: 'va', currentPage: '/pricing', country: 'FR' }),
    item('site-a', 's-a2', 2, { visitorId: 'vb', currentPage: '/docs', deviceType: 'mobile' }),
    item('site-a', 's-a3', 3, { visitorId: 'vc', source: 'google', medium: 'search' }),
    // Active but not current: last page view 12 min ago, engagement pings since.
    item('site-a', 's-a4', 0, {
      visitorId: 'vd',
      lastSeen: nowMs - 30_000,
      lastInteractionAt: nowMs - 12 * MINUTE,
      expiresAt: Math.floor((nowMs - 30_000) / 1000) + 1800,
    }),
    // Active, 25 minutes old.
    item('site-a', 's-a5', 1, { visitorId: 've', agoMs: 25 * MINUTE }),
    // Expired (still stored: TTL deletes lag) — 31 min and 2 days old.
    item('site-a', 's-a6', 2, { visitorId: 'vf', agoMs: 31 * MINUTE }),
    item('site-a', 's-a7', 3, { visitorId: 'vg', agoMs: 2 * 24 * 60 * MINUTE }),
    // A bot.
    item('site-a', 's-a8', 3, { visitorId: 'bot', isBot: true }),
    // Another site on the same shards.
    item('site-b', 's-b0', 0, { visitorId: 'vx' }),
    item('site-b', 's-b1', 1, { visitorId: 'vy' }),
  ]);
  const reader = createActiveSessionsReader({
    dynamodb: stack.clients.dynamodb,
    tableName: table,
    shardCount: SHARDS,
  });
  api = createQueryApi({ reader, shardCount: SHARDS, realtimeCacheTtlMs: 0, clock: () => nowMs });
});

afterAll(() => stack.dispose());

describe('GET /realtime on DynamoDB Local', () => {
  it('counts active sessions of every shard and leaves out expired items that are still stored', async () => {
    const answer = await realtimeOf('site-a');

    expect(answer.activeSessions).toBe(6);
  });

  it('counts current visitors apart: distinct visitors with a page view in 5 minutes', async () => {
    const answer = await realtimeOf('site-a');

    // va (two sessions), vb, vc; vd only pinged; ve is 25 min old.
    expect(answer.currentVisitors).toBe(3);
  });

  it('reports breakdowns and bots from the merged shards', async () => {
    const answer = await realtimeOf('site-a');

    expect(answer.topPages).toEqual([
      { name: '/', sessions: 3 },
      { name: '/pricing', sessions: 2 },
      { name: '/docs', sessions: 1 },
    ]);
    expect(answer.topReferrers).toContainEqual({ name: 'google', sessions: 1 });
    expect(answer.devices).toContainEqual({ name: 'mobile', sessions: 1 });
    expect(answer.countries[0]).toEqual({ name: 'DE', sessions: 4 });
    expect(answer.bots.sessions).toBe(1);
    expect(answer.pageviewsPerMinute.reduce((a, b) => a + b, 0)).toBe(6);
  });

  it('never counts another site', async () => {
    const b = await realtimeOf('site-b');
    const empty = await realtimeOf('site-c');

    expect(b.activeSessions).toBe(2);
    expect(empty.activeSessions).toBe(0);
  });

  it('answers 500 (not a retryable 503) when a stored item breaks the ActiveSessions contract', async () => {
    const errors: unknown[] = [];
    const table = stack.names.tables.activeSessions;
    await seedActiveSessions(stack.clients.dynamodb, table, [
      // A writer bug: isBot stored as a string.
      {
        ...activeSessionItem({ siteId: 'site-bad', sessionId: 's-x', shard: 1, nowMs }),
        isBot: 'no',
      },
    ]);
    const strict = createQueryApi({
      reader: createActiveSessionsReader({
        dynamodb: stack.clients.dynamodb,
        tableName: table,
        shardCount: SHARDS,
      }),
      shardCount: SHARDS,
      realtimeCacheTtlMs: 0,
      clock: () => nowMs,
      logError: (error) => errors.push(error),
    });

    const response = await strict({
      method: 'GET',
      path: '/realtime',
      query: { siteId: 'site-bad' },
      grantedSiteId: 'site-bad',
    });

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toEqual({
      error: { code: 'internal_error', message: expect.any(String) },
    });
    expect(String(errors[0])).toMatch(
      /site-bad#1 does not match the ActiveSessions contract: isBot: expected boolean/,
    );
  });

  it('sends one Query per shard and never a Scan', async () => {
    const meter = installRequestMeter([stack.clients.dynamodb]);
    try {
      await realtimeOf('site-a');

      expect([...meter.byOperation.keys()]).toEqual([`Query ${stack.names.tables.activeSessions}`]);
      expect(meter.total().requests).toBe(SHARDS);
    } finally {
      meter.uninstall();
    }
  });
});
