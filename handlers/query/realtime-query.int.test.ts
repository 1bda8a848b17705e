/**
 * GET /realtime against DynamoDB Local, fed as on AWS: ActiveSessions items (on every shard) →
 * the table's stream → the rollup function (local event-source mapping) → the rollup counters →
 * the query API. Expired items excluded although still stored, the 5 and 30 minute windows
 * apart, every shard merged, another site never counted, a broken counter item refused, and one
 * Query (never a Scan) per answer.
 */
import { PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { RealtimeAnswerSchema, type RealtimeAnswer } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { installRequestMeter } from '../test-support/request-meter';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { waitFor } from '../../localstack/testing/wait-for';
import { startLocalRollup, type LocalRollup } from '../../localstack/rollup/local-rollup';
import { minuteKey } from '../adapters/dynamo-realtime-rollups';
import { ENV } from '../env-names';
import { activeSessionItem, seedActiveSessions } from './__fixtures__/active-session-items';
import { queryApiOnTables } from './test-support/query-api-on-tables';
import type { QueryApi } from './query-api';

const MINUTE = 60_000;
const SHARDS = 4;
/** site-a's counters are split over 2 rollup keys (its shards 0, 2 → r0; 1, 3 → r1): issue 18. */
const rollupKeysOf = (siteId: string): number => (siteId === 'site-a' ? 2 : 1);
const nowMs = Date.now();

let stack: TestStack;
let api: QueryApi;
let rollup: LocalRollup;

function apiOn(options: { logError?: (error: unknown) => void } = {}): QueryApi {
  return queryApiOnTables(stack.clients.dynamodb, stack.names.tables, {
    shardCount: SHARDS,
    nowMs,
    rollupKeysOf,
    ...options,
  });
}

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
    item('site-a', 's-a0', 0, {
      visitorId: 'va',
      currentPage: '/pricing',
      country: 'FR',
      eventNames: { signup: 1, 'Outbound Link: Click': 2 },
      outboundLinks: { 'https://github.com/': 2 },
      pageEngagedMs: { '/': 3_000, '/pricing': 10_000 },
      pageScrollDepth: { '/pricing': 70 },
    }),
    item('site-a', 's-a1', 1, {
      visitorId: 'va',
      currentPage: '/pricing',
      country: 'FR',
      eventNames: { signup: 1 },
      pageEngagedMs: { '/pricing': 20_000 },
      pageScrollDepth: { '/pricing': 90 },
    }),
    item('site-a', 's-a2', 2, {
      visitorId: 'vb',
      currentPage: '/docs',
      deviceType: 'mobile',
      browser: 'Mobile Safari',
      os: 'iOS',
    }),
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
    item('site-a', 's-a6', 2, {
      visitorId: 'vf',
      agoMs: 31 * MINUTE,
      eventNames: { signup: 5 },
      pageEngagedMs: { '/pricing': 1 },
    }),
    item('site-a', 's-a7', 3, { visitorId: 'vg', agoMs: 2 * 24 * 60 * MINUTE }),
    // A bot.
    item('site-a', 's-a8', 3, {
      visitorId: 'bot',
      isBot: true,
      eventNames: { signup: 9 },
      outboundLinks: { 'https://spam.example/': 9 },
    }),
    // Another site on the same shards.
    item('site-b', 's-b0', 0, { visitorId: 'vx' }),
    item('site-b', 's-b1', 1, { visitorId: 'vy' }),
  ]);
  rollup = await startLocalRollup({
    // The rollup takes the split from the stage's shard plan, as on AWS (handlers/config.ts).
    env: {
      ...stack.env,
      [ENV.siteShards]: JSON.stringify({
        'site-a': { activeSessionShards: SHARDS, rollupKeys: rollupKeysOf('site-a') },
      }),
    },
    clients: stack.clients,
    failureBucket: stack.names.buckets.failures,
    timing: { pollIntervalMs: 50, shardDiscoveryIntervalMs: 1_000 },
  });
  api = apiOn();
  // The stream reaches the rollup within moments; wait until both sites' items are counted.
  let seen: unknown;
  await waitFor(
    async () => {
      const [a, b] = await Promise.all([realtimeOf('site-a'), realtimeOf('site-b')]);
      seen = [a, b];
      return a.activeSessions === 6 && a.bots.sessions === 1 && b.activeSessions === 2;
    },
    () => `the rollup to catch up: ${JSON.stringify(seen)}`,
    { timeoutMs: 20_000, intervalMs: 50 },
  );
});

afterAll(async () => {
  await rollup.stop();
  await stack.dispose();
});

describe('GET /realtime on DynamoDB Local', () => {
  it('counts active sessions of every shard and leaves out expired items that are still stored', async () => {
    const answer = await realtimeOf('site-a');

    expect(answer.activeSessions).toBe(6);
  });

  it('counts current visitors apart: visitors with a page view in 5 minutes, per session', async () => {
    const answer = await realtimeOf('site-a');

    // va (two sessions, counted per session), vb, vc; vd only pinged; ve is 25 min old.
    expect(answer.currentVisitors).toBe(4);
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

  it('reports browsers, systems, custom events, outbound links and engagement per page, without bots or expired sessions', async () => {
    const answer = await realtimeOf('site-a');

    expect(answer.browsers).toEqual([
      { name: 'Firefox', sessions: 5 },
      { name: 'Mobile Safari', sessions: 1 },
    ]);
    expect(answer.operatingSystems).toEqual([
      { name: 'Linux', sessions: 5 },
      { name: 'iOS', sessions: 1 },
    ]);
    expect(answer.customEvents).toEqual([
      { name: 'signup', sessions: 2, events: 2 },
      { name: 'Outbound Link: Click', sessions: 1, events: 2 },
    ]);
    expect(answer.outboundLinks).toEqual([{ name: 'https://github.com/', sessions: 1, events: 2 }]);
    expect(answer.pageEngagement).toEqual([
      { name: '/pricing', sessions: 2, engagedMs: 15_000, scrollDepth: 80, scrolledSessions: 2 },
      { name: '/', sessions: 1, engagedMs: 3_000 },
    ]);
  });

  it('never counts another site', async () => {
    const b = await realtimeOf('site-b');
    const empty = await realtimeOf('site-c');

    expect(b.activeSessions).toBe(2);
    expect(empty.activeSessions).toBe(0);
  });

  it('answers 500 (not a retryable 503) when a stored counter breaks the rollup contract', async () => {
    const errors: unknown[] = [];
    // A writer bug: a counter stored as a string.
    await stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName: stack.names.tables.realtimeRollups,
        Item: {
          pk: { S: 'site-bad' },
          sk: { S: minuteKey(Math.floor(nowMs / 60_000)) },
          'A:07': { S: 'one' },
        },
      }),
    );

    const response = await apiOn({ logError: (error) => errors.push(error) })({
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
      /cell "A:07" is \{"S":"one"\} \(expected an integer number\)/,
    );
  });

  it('sends one Query of the counters per rollup key and never a Scan, however many sessions', async () => {
    const meter = installRequestMeter([stack.clients.dynamodb]);
    try {
      await realtimeOf('site-a');
      await realtimeOf('site-b');

      expect([...meter.byOperation.keys()]).toEqual([
        `Query ${stack.names.tables.realtimeRollups}`,
      ]);
      expect(meter.total().requests).toBe(2 + 1);
    } finally {
      meter.uninstall();
    }
  });

  it("writes a split site's counters under its rollup keys by ActiveSessions shard, and the answer sums them", async () => {
    const partitions = async (pk: string) =>
      (
        await stack.clients.dynamodb.send(
          new QueryCommand({
            TableName: stack.names.tables.realtimeRollups,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: { ':pk': { S: pk } },
            ConsistentRead: true,
          }),
        )
      ).Items ?? [];
    const active = async (pk: string) =>
      (await partitions(pk)).reduce(
        (sum, item) =>
          sum +
          Object.entries(item)
            .filter(([cell]) => cell.startsWith('A:'))
            .reduce((n, [, value]) => n + Number(value.N), 0),
        0,
      );

    // Shards 0 and 2 (r0) hold s-a0, s-a4, s-a2 and s-a6 (expired: its bucket's minute is past,
    // never written); shards 1 and 3 (r1) hold s-a1, s-a5, s-a3 and s-a7 (expired), and the bot.
    expect(await partitions('site-a')).toEqual([]);
    expect(await active('site-a#r0')).toBe(3);
    expect(await active('site-a#r1')).toBe(3);
    expect(JSON.stringify(await partitions('site-a#r0'))).not.toContain('"B:');
    expect(JSON.stringify(await partitions('site-a#r1'))).toContain('"B:');
    expect((await partitions('site-b')).length).toBeGreaterThan(0);
    expect((await realtimeOf('site-a')).activeSessions).toBe(6);
  });
});
