/**
 * Property: for any set of events delivered through the consumer with redeliveries (whole
 * batches again, in any order, to a warm or a fresh process), Sessions and ActiveSessions
 * rebuilt from the raw Events table equal what the consumer built, versions aside.
 */
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import fc from 'fast-check';
import {
  type ConsumerUnderTest,
  consumerUnderTest,
  lambdaContext,
} from '../handlers/consumer/test-support/consumer-under-test';
import { expectExactlyOnce } from '../handlers/consumer/test-support/exactly-once';
import { kinesisEvent, kinesisRecords } from '../handlers/consumer/test-support/scenario';
import { restrictTo, snapshot } from '../handlers/consumer/test-support/table-snapshot';
import { ENV } from '../handlers/env-names';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import type { EdgeRecord, SessionItem } from '../schemas';
import { runAdmin } from './admin';
import { rebuildCommand } from './commands/rebuild-command';
import {
  type EventKind,
  SITE_ID,
  sessionEvents,
  sessionIdOf,
} from './test-support/recent-sessions';
import { stackTarget } from './test-support/stack-target';

const RUNS = 10;

let stack: TestStack;
let consumer: ConsumerUnderTest;

beforeAll(async () => {
  stack = await useTestStack({ name: 'rebuild-property' });
  // The site has its own ActiveSessions shard count (the stage's shard plan), twice the default:
  // the rebuild must place its projections where the consumer does.
  const shards = Number(stack.env[ENV.activeSessionShards]) * 2;
  consumer = consumerUnderTest({
    ...stack,
    env: {
      ...stack.env,
      [ENV.siteShards]: JSON.stringify({
        [SITE_ID]: { activeSessionShards: shards, rollupKeys: 1 },
      }),
    },
  });
});
afterAll(async () => {
  consumer.dispose();
  await stack.dispose();
});

const kindArb = fc.constantFrom<EventKind>('pageview', 'pageview', 'engagement', 'custom');

const scheduleArb = fc.record({
  /** 1–3 sessions, each a non-empty subset of seqs 0–9 (gaps included) with random kinds. */
  sessions: fc.array(
    fc
      .uniqueArray(fc.integer({ min: 0, max: 9 }), { minLength: 1, maxLength: 8 })
      .chain((seqs) => fc.tuple(...seqs.map((seq) => kindArb.map((kind) => ({ seq, kind }))))),
    { minLength: 1, maxLength: 3 },
  ),
  shuffleSeed: fc.integer(),
  batches: fc.integer({ min: 1, max: 3 }),
  /** Batches delivered again (indexes modulo the batch count), each maybe to a fresh process. */
  redeliveries: fc.array(fc.record({ batch: fc.nat(), restart: fc.boolean() }), { maxLength: 3 }),
});

function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = seed >>> 0;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

const tables = () => ({
  events: consumer.config.eventsTable,
  sessions: consumer.config.sessionsTable,
  activeSessions: consumer.config.activeSessionsTable,
  badRows: consumer.config.badRowsTable,
});

function withoutVersion(item: SessionItem): Omit<SessionItem, 'version'> {
  const { version: _version, ...rest } = item;
  return rest;
}

let run = 0;

test('rebuilt from raw = built by the consumer, with redeliveries (versions aside)', async () => {
  const base = Date.now();
  await fc.assert(
    fc.asyncProperty(scheduleArb, async (schedule) => {
      run += 1;
      const specs = schedule.sessions.map((events, s) => ({ session: run * 10 + s, events }));
      const events: EdgeRecord[] = specs.flatMap((spec) => sessionEvents(spec, base));
      const order = shuffled(events, schedule.shuffleSeed);
      const size = Math.ceil(order.length / schedule.batches);
      const batches = Array.from({ length: Math.ceil(order.length / size) }, (_, b) => ({
        records: order.slice(b * size, (b + 1) * size),
        first: run * 1_000 + b * size,
      }));
      const deliveries = [
        ...batches,
        ...schedule.redeliveries.map((r) => ({
          ...batches[r.batch % batches.length]!,
          restart: r.restart,
        })),
      ];
      for (const delivery of deliveries) {
        if ('restart' in delivery && delivery.restart) consumer.restart();
        const answer = await consumer.handler()(
          kinesisEvent(kinesisRecords(delivery.records, delivery.first)),
          lambdaContext(),
        );
        expect(answer).toEqual({ batchItemFailures: [] });
      }

      const sessionIds = new Set(specs.map((spec) => sessionIdOf(spec.session)));
      const read = async () =>
        restrictTo(await snapshot(stack.clients.dynamodb, tables()), sessionIds, new Set());
      const built = await read();
      expectExactlyOnce(built, { events, badRecords: 0 }, consumer.config);

      // Lose the derived state altogether, then rebuild it from raw.
      const deletes = [
        ...[...built.sessions.values()].map((item) => ({
          table: consumer.config.sessionsTable,
          key: { pk: { S: item.pk } },
        })),
        ...[...built.activeSessions.values()].map((item) => ({
          table: consumer.config.activeSessionsTable,
          key: { pk: { S: item.pk }, sk: { S: item.sk } },
        })),
      ];
      for (let i = 0; i < deletes.length; i += 25) {
        const chunk = deletes.slice(i, i + 25);
        const requestItems: Record<
          string,
          { DeleteRequest: { Key: (typeof chunk)[number]['key'] } }[]
        > = {};
        for (const d of chunk)
          (requestItems[d.table] ??= []).push({ DeleteRequest: { Key: d.key } });
        await stack.clients.dynamodb.send(
          new BatchWriteItemCommand({ RequestItems: requestItems }),
        );
      }
      const lines: string[] = [];
      await runAdmin(
        ['rebuild', '--site', SITE_ID, ...[...sessionIds].flatMap((id) => ['--session', id])],
        {
          target: stackTarget(stack, consumer.config),
          commands: [rebuildCommand],
          print: (l) => lines.push(l),
        },
      );

      const rebuilt = await read();
      expect(new Map([...rebuilt.sessions].map(([k, v]) => [k, withoutVersion(v)]))).toEqual(
        new Map([...built.sessions].map(([k, v]) => [k, withoutVersion(v)])),
      );
      expect(rebuilt.activeSessions).toEqual(built.activeSessions);
      // accepted = stored + bad still holds: the rebuild writes no raw row and no bad row.
      expectExactlyOnce(rebuilt, { events, badRecords: 0 }, consumer.config);
      expect(lines.at(-1)).toContain(`"sessionsCreated":${sessionIds.size}`);
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
}, 60_000);
