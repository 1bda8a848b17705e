/**
 * A rebuild after corrupting session items restores them from raw Events: a dry run reports and
 * writes nothing; the rebuild finds the sessions through the `bySiteDay` index, rewrites what
 * differs (an inflated ActiveSessions count included), leaves the rest alone, and the consumer
 * then keeps counting each new event exactly once on top of the rebuilt state.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
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

const env = useConsumerTestStack({ name: 'rebuild-corruption', per: 'file' });

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
    target: stackTarget(env.stack, env.consumer.config),
    commands: [rebuildCommand],
    print: (line) => lines.push(line),
  });
  return {
    lines,
    report: JSON.parse(lines.at(-1)!.replace(/^report /, '')) as Record<string, unknown>,
  };
};
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
    await env.stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName: env.consumer.config.activeSessionsTable,
        Item: toItem({ ...active, events: 999, currentPage: `/corrupt/${index}` }),
      }),
    );
  }
  const corrupted = await read();

  const dry = await rebuild('--dry-run');
  expect(dry.report).toMatchObject({
    sessions: 3,
    sessionsRewritten: 1,
    sessionsUnchanged: 2,
    activeWritten: 2,
    activeUnchanged: 1,
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
    conflicts: 0,
  });
  const restored = await read();
  expect(versionless(restored)).toEqual(versionless(built));
  expect(restored.activeSessions).toEqual(built.activeSessions);
  expectExactlyOnce(restored, { events, badRecords: 0 }, env.consumer.config);

  // A second rebuild changes nothing (idempotent).
  expect((await rebuild()).report).toMatchObject({ sessionsUnchanged: 3, activeUnchanged: 3 });

  // The consumer's warm cache still holds the version it wrote; its guarded write is refused,
  // it replans on the rebuilt item, and a new event plus a redelivery count once.
  const later = sessionEvents({ session: 1, events: [{ seq: 5, kind: 'pageview' }] }, base);
  await deliver([...later, ...events.slice(0, 3)], 100);
  await deliver(later, 100);
  expectExactlyOnce(
    await read(),
    { events: [...events, ...later], badRecords: 0 },
    env.consumer.config,
  );
}, 60_000);
