/**
 * A rebuild after corrupting session items restores them from raw Events: a dry run reports and
 * writes nothing; the rebuild finds the sessions through the `bySiteDay` index, rewrites what
 * differs (an inflated ActiveSessions count and inflated page views included), leaves the rest
 * alone, and the consumer then keeps counting each new event exactly once on top of the rebuilt
 * state. The rollup function runs on the ActiveSessions stream throughout, as in the product:
 * its `/realtime` answer follows the corruption, and after the rebuild it answers as the direct
 * count over the rebuilt items does — page views per minute included. The site's buckets are split
 * over two rollup keys (a hot site's layout, pipeline/realtime/rollup-keys.ts), so the rebuild's
 * correction must find the key the rollup counted each session under.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoRealtimeRollups } from '../handlers/adapters/dynamo-realtime-rollups';
import { toItem } from '../handlers/adapters/item-codec';
import { lambdaContext } from '../handlers/consumer/test-support/consumer-under-test';
import { useConsumerTestStack } from '../handlers/consumer/test-support/consumer-test-stack';
import { expectExactlyOnce } from '../handlers/consumer/test-support/exactly-once';
import { kinesisEvent, kinesisRecords } from '../handlers/consumer/test-support/scenario';
import {
  type TableSnapshot,
  restrictTo,
  snapshot,
} from '../handlers/consumer/test-support/table-snapshot';
import { type LocalRollup, startLocalRollup } from '../localstack/rollup/local-rollup';
import { aggregateRealtime } from '../pipeline/realtime/aggregate';
import { bucketRange } from '../pipeline/realtime/rollup';
import { rollupKeysOfSite } from '../pipeline/realtime/rollup-keys';
import { answerFromRollup } from '../pipeline/realtime/rollup-answer';
import { epochMinute } from '../pipeline/session-aggregate';
import type { EdgeRecord, SessionItem } from '../schemas';
import { runAdmin } from './admin';
import { rebuildCommand } from './commands/rebuild-command';
import {
  SITE_ID,
  type SessionSpec,
  sessionEvents,
  sessionIdOf,
} from './test-support/recent-sessions';
import { stackTarget } from './test-support/stack-target';

let rollup: LocalRollup | undefined;
const env = useConsumerTestStack({
  name: 'rebuild-corruption',
  per: 'file',
  beforeDispose: async () => {
    await rollup?.stop();
    rollup = undefined;
  },
});

/** The site's rollup keys: split, as a hot site's are (the stage's shard plan). */
const ROLLUP_KEYS = 2;

// The rollup function on the ActiveSessions stream, as npm start runs it.
beforeAll(async () => {
  rollup = await startLocalRollup({
    env: env.stack.env,
    clients: env.stack.clients,
    failureBucket: env.stack.names.buckets.failures,
    timing: { pollIntervalMs: 50 },
    rollupKeysOf: (siteId) => (siteId === SITE_ID ? ROLLUP_KEYS : 1),
  });
});

const { tables } = env;
const specs: SessionSpec[] = [1, 2, 3].map((session) => ({
  session,
  events: [0, 1, 2, 3, 4, 6].map((seq) => ({
    seq,
    kind:
      seq === 3 ? ('engagement' as const) : seq === 4 ? ('custom' as const) : ('pageview' as const),
  })),
}));
const sessionIds = new Set(specs.map((spec) => sessionIdOf(spec.session)));
const read = async (): Promise<TableSnapshot> =>
  restrictTo(await snapshot(env.stack.clients.dynamodb, tables()), sessionIds, new Set());
const deliver = async (records: readonly EdgeRecord[], first: number) =>
  expect(
    await env.consumer.handler()(kinesisEvent(kinesisRecords(records, first)), lambdaContext()),
  ).toEqual({ batchItemFailures: [] });
const rebuild = async (...extra: string[]) => {
  const lines: string[] = [];
  await runAdmin(['rebuild', '--site', SITE_ID, ...extra], {
    target: stackTarget(env.stack, {
      ...env.consumer.config,
      shardPlan: {
        defaultShards: env.consumer.config.activeSessionShards,
        sites: {
          [SITE_ID]: {
            activeSessionShards: env.consumer.config.activeSessionShards,
            rollupKeys: ROLLUP_KEYS,
          },
        },
      },
    }),
    commands: [rebuildCommand],
    print: (line) => lines.push(line),
  });
  return {
    lines,
    report: JSON.parse(lines.at(-1)!.replace(/^report /, '')) as Record<string, unknown>,
  };
};
/**
 * Waits until the rollup's `/realtime` answer at `nowMs` equals the direct count over `items`
 * (pipeline/realtime/aggregate.ts) in the figures a rebuild can get wrong.
 */
async function rollupAnswers(items: TableSnapshot['activeSessions'], nowMs: number) {
  const figures = (a: ReturnType<typeof aggregateRealtime>) => ({
    activeSessions: a.activeSessions,
    currentVisitors: a.currentVisitors,
    pageviewsPerMinute: a.pageviewsPerMinute,
    topPages: a.topPages,
  });
  const want = figures(aggregateRealtime(items.values(), { siteId: SITE_ID, nowMs }));
  const reader = new DynamoRealtimeRollups(
    env.stack.clients.dynamodb,
    env.stack.names.tables.realtimeRollups,
  );
  const { from, to } = bucketRange(nowMs);
  const deadline = Date.now() + 10_000;
  for (;;) {
    const buckets = (
      await Promise.all(
        rollupKeysOfSite(SITE_ID, ROLLUP_KEYS).map((key) => reader.readBuckets(key, from, to)),
      )
    ).flat();
    const got = figures(answerFromRollup(buckets, { siteId: SITE_ID, nowMs }));
    if (JSON.stringify(got) === JSON.stringify(want) || Date.now() > deadline) {
      expect(got).toEqual(want);
      return;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
const versionless = (s: TableSnapshot) =>
  new Map(
    [...s.sessions].map(([pk, item]): [string, Omit<SessionItem, 'version'>] => {
      const { version: _version, ...rest } = item;
      return [pk, rest];
    }),
  );

test('a rebuild after corrupting session items restores them; the consumer goes on exactly once', async () => {
  const base = Date.now();
  const events = specs.flatMap((spec) => sessionEvents(spec, base));
  await deliver(events, 0);
  const built = await read();
  expectExactlyOnce(built, { events, badRecords: 0 }, env.consumer.config);
  // Every answer below is read at one instant, so that they compare.
  const at = Date.now();
  await rollupAnswers(built.activeSessions, at);

  // Corrupt: session 1 (Sessions and ActiveSessions, counts inflated, seqs forgotten),
  // session 2 (ActiveSessions only: page and count wrong). Session 3 stays right.
  const [one] = [...built.sessions.values()].sort((a, b) => a.pk.localeCompare(b.pk));
  const actives = [...built.activeSessions.values()].sort((a, b) => a.sk.localeCompare(b.sk));
  await env.stack.clients.dynamodb.send(
    new PutItemCommand({
      TableName: env.consumer.config.sessionsTable,
      Item: toItem({
        ...one!,
        pageviews: 999,
        events: 1_000,
        applied: { below: 1, above: [] },
        version: one!.version + 1,
      }),
    }),
  );
  for (const [index, active] of [actives[0]!, actives[1]!].entries()) {
    // Session 2 also claims 40 page views in the current minute that raw events do not hold.
    const minute = String(epochMinute(at));
    const pageviewMinutes =
      index === 1
        ? { ...active.pageviewMinutes, [minute]: (active.pageviewMinutes[minute] ?? 0) + 40 }
        : active.pageviewMinutes;
    await env.stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName: env.consumer.config.activeSessionsTable,
        Item: toItem({ ...active, events: 999, currentPage: `/corrupt/${index}`, pageviewMinutes }),
      }),
    );
  }
  const corrupted = await read();
  // The rollup follows the corrupted items, inflated page views included.
  await rollupAnswers(corrupted.activeSessions, at);

  const dry = await rebuild('--dry-run');
  expect(dry.report).toMatchObject({
    sessions: 3,
    sessionsRewritten: 1,
    sessionsUnchanged: 2,
    activeWritten: 2,
    activeUnchanged: 1,
    rollupCorrected: 1,
  });
  expect(await read()).toEqual(corrupted);

  const done = await rebuild();
  expect(done.report).toMatchObject({
    sessions: 3,
    events: events.length,
    sessionsRewritten: 1,
    sessionsUnchanged: 2,
    activeWritten: 2,
    activeUnchanged: 1,
    rollupCorrected: 1,
    conflicts: 0,
  });
  const restored = await read();
  expect(versionless(restored)).toEqual(versionless(built));
  expect(restored.activeSessions).toEqual(built.activeSessions);
  expectExactlyOnce(restored, { events, badRecords: 0 }, env.consumer.config);
  // The rollup answers as had the consumer built these items: the excess views are gone.
  await rollupAnswers(restored.activeSessions, at);

  // A second rebuild changes nothing (idempotent).
  expect((await rebuild()).report).toMatchObject({
    sessionsUnchanged: 3,
    activeUnchanged: 3,
    rollupCorrected: 0,
  });

  // The consumer's warm cache still holds the version it wrote; its guarded write is refused,
  // it replans on the rebuilt item, and a new event plus a redelivery count once.
  const later = sessionEvents({ session: 1, events: [{ seq: 5, kind: 'pageview' }] }, base);
  await deliver([...later, ...events.slice(0, 3)], 100);
  await deliver(later, 100);
  const final = await read();
  expectExactlyOnce(final, { events: [...events, ...later], badRecords: 0 }, env.consumer.config);
  await rollupAnswers(final.activeSessions, Math.max(at, ...later.map((e) => e.receivedAt)));
}, 60_000);

test('a session that is over but stored as active ends as the consumer left it, and its page views leave the rollup', async () => {
  const id = sessionIdOf(9);
  // Two hours ago: the session is over, its ActiveSessions item expired.
  const old = sessionEvents(
    {
      session: 9,
      events: [
        { seq: 0, kind: 'pageview' },
        { seq: 1, kind: 'pageview' },
      ],
    },
    Date.now() - 2 * 3_600_000,
  );
  await deliver(old, 200);
  const at = Date.now();
  const item = [...(await env.stored()).activeSessions.values()].find((a) => a.sessionId === id);
  expect(item?.expiresAt).toBeLessThan(at / 1000);

  // Corrupted: active for ten more minutes, with five page views this minute.
  const minute = String(epochMinute(at));
  await env.stack.clients.dynamodb.send(
    new PutItemCommand({
      TableName: env.consumer.config.activeSessionsTable,
      Item: toItem({
        ...item!,
        expiresAt: Math.floor(at / 1000) + 600,
        pageviewMinutes: { ...item!.pageviewMinutes, [minute]: 5 },
      }),
    }),
  );
  await rollupAnswers((await env.stored()).activeSessions, at);

  const { report } = await rebuild('--session', id);
  expect(report).toMatchObject({ sessions: 1, activeEnded: 1, rollupCorrected: 1 });
  const after = await env.stored();
  // As the consumer built it (expired), accepted = stored + bad, and out of /realtime.
  expect([...after.activeSessions.values()].filter((a) => a.sessionId === id)).toEqual([item]);
  expectExactlyOnce(
    restrictTo(after, new Set([id]), new Set()),
    { events: old, badRecords: 0 },
    env.consumer.config,
  );
  await rollupAnswers(after.activeSessions, at);
  expect((await rebuild('--session', id)).report).toMatchObject({
    activeExpired: 1,
    activeEnded: 0,
    rollupCorrected: 0,
  });
}, 30_000);
