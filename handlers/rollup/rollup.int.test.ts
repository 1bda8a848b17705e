/**
 * The rollup function on DynamoDB Local through the local event-source mapping of the
 * ActiveSessions stream, as `npm start` runs it. Each test writes ActiveSessions items (inserts,
 * modifies, removes, bots, several sites), lets the stream reach the function, and compares the
 * answer from the counters with a direct count over the items — also when batches are
 * delivered twice, when a transaction fails half-way through a batch, when a response is lost
 * after the commit, and when transactions conflict.
 */
import { DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { aggregateRealtime } from '../../pipeline/realtime/aggregate';
import { bucketRange } from '../../pipeline/realtime/rollup';
import { answerFromRollup } from '../../pipeline/realtime/rollup-answer';
import type { ActiveSessionItem } from '../../schemas/items';
import { startLocalRollup, type LocalRollup } from '../../localstack/rollup/local-rollup';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { DynamoRealtimeRollups } from '../adapters/dynamo-realtime-rollups';
import { createAwsClients, type AwsClients } from '../aws-clients';
import { readAwsConfig } from '../config';
import { type FaultInjector, installFaultInjector } from '../faults/fault-injector';
import { throttlingException, transactionCanceled } from '../faults/faults';
import { activeSessionItem, seedActiveSessions } from '../query/__fixtures__/active-session-items';
import type { RollupBatchHandler } from './rollup-batch';

const MINUTE = 60_000;
const SITES = ['site-a', 'site-b'];
/** Enough sites that one batch needs several transactions (99 buckets each). */
const MANY_SITES = Array.from({ length: 45 }, (_, i) => `many-${i}`);

let stack: TestStack;
let clients: AwsClients;
let faults: FaultInjector;
let rollup: LocalRollup | undefined;
const answers: (DynamoDBBatchResponse | Error)[] = [];
const logs: string[] = [];

async function waitForLog(pattern: RegExp): Promise<void> {
  const deadline = Date.now() + 20_000;
  while (!logs.some((line) => pattern.test(line))) {
    if (Date.now() > deadline) {
      throw new Error(`no log line matched ${String(pattern)}; got ${JSON.stringify(logs)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

beforeEach(async () => {
  stack = await useTestStack({ name: 'rollup' });
  clients = createAwsClients(readAwsConfig(stack.env));
  faults = installFaultInjector([clients.dynamodb]);
  answers.length = 0;
  logs.length = 0;
});
afterEach(async () => {
  await rollup?.stop();
  rollup = undefined;
  clients.destroy();
  await stack.dispose();
});

async function start(wrap?: (handler: RollupBatchHandler) => RollupBatchHandler): Promise<void> {
  rollup = await startLocalRollup({
    env: stack.env,
    clients,
    failureBucket: stack.names.buckets.failures,
    timing: { pollIntervalMs: 50, shardDiscoveryIntervalMs: 1_000, retryBackoffMs: () => 50 },
    log: (line) => logs.push(line),
    wrap: (handler) => {
      const inner = wrap?.(handler) ?? handler;
      return async (event, context) => {
        try {
          const answer = await inner(event, context);
          answers.push(answer);
          return answer;
        } catch (error) {
          answers.push(error as Error);
          throw error;
        }
      };
    },
  });
}

/** A mix of sessions: current, active-only, engagement-only, bot, expired, on several pages. */
function sessionsOf(siteId: string, nowMs: number): ActiveSessionItem[] {
  const item = (sessionId: string, extra: Partial<ActiveSessionItem> & { agoMs?: number } = {}) =>
    activeSessionItem({ siteId, sessionId: `${siteId}-${sessionId}`, shard: 0, nowMs, ...extra });
  return [
    item('now-1', {
      currentPage: '/pricing',
      country: 'FR',
      eventNames: { signup: 1, 'Outbound Link: Click': 2 },
      outboundLinks: { 'https://github.com/': 2 },
      pageEngagedMs: { '/': 4_000, '/pricing': 2_500 },
      pageScrollDepth: { '/': 60 },
    }),
    item('now-2', {
      currentPage: '/docs',
      deviceType: 'mobile',
      source: 'google',
      browser: 'Mobile Safari',
      os: 'iOS',
      eventNames: { signup: 1 },
      pageEngagedMs: { '/': 1_000 },
      pageScrollDepth: { '/': 90 },
    }),
    item('old', { agoMs: 20 * MINUTE }),
    item('pings', {
      lastSeen: nowMs - 30_000,
      lastInteractionAt: nowMs - 12 * MINUTE,
      expiresAt: Math.floor((nowMs - 30_000) / 1000) + 1800,
    }),
    item('engaged-only', { lastInteractionAt: 0, currentPage: '' }),
    item('bot', { isBot: true }),
    item('expired', { agoMs: 45 * MINUTE }),
  ];
}

function seedSites(sites: readonly string[], nowMs: number): Promise<void> {
  return seedActiveSessions(
    stack.clients.dynamodb,
    stack.names.tables.activeSessions,
    sites.flatMap((site) => sessionsOf(site, nowMs)),
  );
}

async function itemsOf(siteId: string): Promise<ActiveSessionItem[]> {
  const answer = await stack.clients.dynamodb.send(
    new QueryCommand({
      TableName: stack.names.tables.activeSessions,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `${siteId}#0` } },
      ConsistentRead: true,
    }),
  );
  return (answer.Items ?? []).map((raw) => unmarshall(raw) as ActiveSessionItem);
}

/** The figures both ways agree on by definition (the fixtures expire in no current minute). */
function figures(answer: ReturnType<typeof aggregateRealtime>) {
  return {
    activeSessions: answer.activeSessions,
    currentVisitors: answer.currentVisitors,
    bots: answer.bots.sessions,
    pageviewsPerMinute: answer.pageviewsPerMinute,
    topPages: answer.topPages,
    topReferrers: answer.topReferrers,
    devices: answer.devices,
    countries: answer.countries,
    browsers: answer.browsers,
    operatingSystems: answer.operatingSystems,
    customEvents: answer.customEvents,
    outboundLinks: answer.outboundLinks,
    pageEngagement: answer.pageEngagement,
  };
}

async function fromRollup(siteId: string, nowMs: number) {
  const store = new DynamoRealtimeRollups(
    stack.clients.dynamodb,
    stack.names.tables.realtimeRollups,
  );
  const range = bucketRange(nowMs);
  return figures(
    answerFromRollup(await store.readBuckets(siteId, range.from, range.to), { siteId, nowMs }),
  );
}

async function fromItems(siteId: string, nowMs: number) {
  return figures(aggregateRealtime(await itemsOf(siteId), { siteId, nowMs }));
}

/** Polls until every site's counters answer what the items say, or fails showing both. */
async function expectCountersToMatchItems(sites: readonly string[], nowMs: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const pairs = await Promise.all(
      sites.map(async (site) => [await fromRollup(site, nowMs), await fromItems(site, nowMs)]),
    );
    if (pairs.every(([got, want]) => JSON.stringify(got) === JSON.stringify(want))) return;
    if (Date.now() > deadline) {
      const [got, want] = pairs.find(([a, b]) => JSON.stringify(a) !== JSON.stringify(b)) ?? [];
      expect(got).toEqual(want);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * A new page view in one session (MODIFY) and the TTL sweep of an expired one (REMOVE: its page
 * views are older than the chart, as every expired session's are).
 */
async function moveSessions(siteId: string, nowMs: number): Promise<void> {
  const items = await itemsOf(siteId);
  const first = items.find((item) => item.sk === `${siteId}-now-1`);
  const expired = items.find((item) => item.sk === `${siteId}-expired`);
  if (first === undefined || expired === undefined) throw new Error(`no sessions of ${siteId}`);
  const minute = String(Math.floor(nowMs / MINUTE));
  await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, [
    {
      ...first,
      lastSeen: nowMs,
      lastInteractionAt: nowMs,
      currentPage: '/checkout',
      // A second outbound click and engagement on the page left: the per-name cells move too.
      eventNames: { signup: 1, 'Outbound Link: Click': 3 },
      outboundLinks: { 'https://github.com/': 2, 'https://example.org/': 1 },
      pageEngagedMs: { '/': 4_000, '/pricing': 9_000 },
      pageScrollDepth: { '/': 60, '/pricing': 100 },
      events: first.events + 1,
      pageviews: first.pageviews + 1,
      pageviewMinutes: {
        ...first.pageviewMinutes,
        [minute]: (first.pageviewMinutes[minute] ?? 0) + 1,
      },
      expiresAt: Math.floor(nowMs / 1000) + 1800,
    },
  ]);
  await stack.clients.dynamodb.send(
    new DeleteItemCommand({
      TableName: stack.names.tables.activeSessions,
      Key: { pk: { S: expired.pk }, sk: { S: expired.sk } },
    }),
  );
}

describe('rollup function on the ActiveSessions stream', () => {
  it('keeps counters that answer as a direct count over the items: inserts, modifies, removes', async () => {
    await start();
    const nowMs = Date.now();
    await seedSites(SITES, nowMs);
    await expectCountersToMatchItems(SITES, nowMs);

    await moveSessions('site-a', nowMs);

    await expectCountersToMatchItems(SITES, nowMs);
    expect((await fromRollup('site-a', nowMs)).topPages).toContainEqual({
      name: '/checkout',
      sessions: 1,
    });
  });

  it('adds nothing again when every batch is delivered twice', async () => {
    await start((handler) => async (event, context) => {
      await handler(event, context);
      return handler(event, context);
    });
    const nowMs = Date.now();
    await seedSites(MANY_SITES, nowMs);
    await moveSessions('many-0', nowMs);

    await expectCountersToMatchItems(MANY_SITES, nowMs);
  });

  it('hands back the rest of a batch when a transaction fails, and counts the re-sent records once', async () => {
    // Let the first transaction through, then fail one attempt of the next beyond the SDK's retries.
    faults.add({
      operation: 'TransactWriteItems',
      fault: throttlingException(),
      after: 1,
      times: 3,
    });
    await start();
    const nowMs = Date.now();
    await seedSites(MANY_SITES, nowMs);

    await expectCountersToMatchItems(MANY_SITES, nowMs);
    expect(faults.injections.length).toBe(3);
    expect(
      answers.some((answer) => !(answer instanceof Error) && answer.batchItemFailures.length > 0),
    ).toBe(true);
  });

  it('counts once when the response is lost after the transactions committed', async () => {
    let lost = 0;
    await start((handler) => async (event, context) => {
      const answer = await handler(event, context);
      if (lost === 0) {
        lost += 1;
        throw new Error('injected: the invocation died after its writes');
      }
      return answer;
    });
    const nowMs = Date.now();
    await seedSites(MANY_SITES, nowMs);

    await expectCountersToMatchItems(MANY_SITES, nowMs);
    expect(lost).toBe(1);
  });

  it('tries a transaction again when it conflicts with another', async () => {
    faults.add({
      operation: 'TransactWriteItems',
      fault: transactionCanceled(['None', 'TransactionConflict']),
      times: 2,
    });
    await start();
    const nowMs = Date.now();
    await seedSites(['site-a'], nowMs);

    await expectCountersToMatchItems(['site-a'], nowMs);
    expect(faults.injections.length).toBe(2);
    expect(answers.every((answer) => !(answer instanceof Error))).toBe(true);
  });

  it('reads a bucket again and rebuilds the transaction when its cap filled meanwhile, and counts once', async () => {
    // A bucket's condition failing: another writer opened cells since this one read the item.
    faults.add({
      operation: 'TransactWriteItems',
      fault: transactionCanceled(['None', 'ConditionalCheckFailed']),
      times: 1,
    });
    await start();
    const nowMs = Date.now();
    await seedSites(['site-a'], nowMs);

    await expectCountersToMatchItems(['site-a'], nowMs);
    expect(faults.injections.length).toBe(1);
    expect(
      answers.every(
        (answer) => !(answer instanceof Error) && answer.batchItemFailures.length === 0,
      ),
    ).toBe(true);
  });

  it('hands a cancellation without reasons back instead of retrying it blindly, and counts once', async () => {
    faults.add({
      operation: 'TransactWriteItems',
      fault: {
        kind: 'error-answer',
        status: 400,
        code: 'com.amazonaws.dynamodb.v20120810#TransactionCanceledException',
        message: 'Transaction cancelled',
      },
      times: 1,
    });
    await start();
    const nowMs = Date.now();
    await seedSites(['site-a'], nowMs);

    await expectCountersToMatchItems(['site-a'], nowMs);
    expect(faults.injections.length).toBe(1);
    expect(
      answers.some((answer) => !(answer instanceof Error) && answer.batchItemFailures.length > 0),
    ).toBe(true);
  });

  it('leaves out a bucket DynamoDB refuses as invalid and keeps the stream moving for every site', async () => {
    faults.add({
      operation: 'TransactWriteItems',
      fault: transactionCanceled(['None', 'ValidationError']),
      times: 1,
    });
    await start();
    const nowMs = Date.now();
    await seedSites(['site-a'], nowMs);
    await waitForLog(/left out bucket\(s\) site-a\/\d{10} of chunk/);

    await seedSites(['site-b'], nowMs);

    await expectCountersToMatchItems(['site-b'], nowMs);
    expect(answers.every((answer) => !(answer instanceof Error))).toBe(true);
    expect(
      answers.every(
        (answer) => !(answer instanceof Error) && answer.batchItemFailures.length === 0,
      ),
    ).toBe(true);
  });
});
