/**
 * The consumer handler invoked directly (as Lambda would) against the emulators, with faults
 * injected into its real SDK clients. Each test gets fresh tables. Delivery semantics (bisect,
 * retries, max age) are covered through the local event-source mapping in
 * exactly-once.int.test.ts; here the handler's own contract: what it writes, what it answers.
 */
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { activeSessionShard } from '../../pipeline/items';
import { itemWithPk } from '../test-support/fault-injector';
import {
  InjectedCrash,
  crash,
  delay,
  serverError,
  throttlingException,
  unprocessedItems,
} from '../test-support/faults';
import { expectExactlyOnce } from './test-support/exactly-once';
import { lambdaContext } from './test-support/consumer-under-test';
import { useConsumerTestStack } from './test-support/consumer-test-stack';
import {
  POISON_TEXT,
  type Delivered,
  interleavedSessions,
  kinesisEvent,
  kinesisRecords,
  scenarioEvent,
  sessionIdFor,
} from './test-support/scenario';
import { sequenceNumber } from '../../pipeline/__fixtures__/kinesis-records';

const env = useConsumerTestStack({ name: 'consume-batch', per: 'test' });

const { stored } = env;
const invoke = (items: readonly Delivered[], firstPosition = 0, remainingMs = 15_000) =>
  env.consumer.handler()(
    kinesisEvent(kinesisRecords(items, firstPosition)),
    lambdaContext(remainingMs),
  );
const toActiveSessionPk = (session: number) =>
  `demo-shop#${activeSessionShard(sessionIdFor(session), env.consumer.config.activeSessionShards)}`;
const requestsTo = (operation: string, table: string) =>
  env.consumer.meter.byOperation.get(`${operation} ${table}`)?.requests ?? 0;

test('a batch: raw events and bad rows stored once, one write per session per table', async () => {
  const events = interleavedSessions(4, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  const delivered: Delivered[] = [
    ...events.slice(0, 20),
    { poison: POISON_TEXT },
    ...events.slice(20),
  ];

  const response = await invoke(delivered);

  expect(response).toEqual({ batchItemFailures: [] });
  expectExactlyOnce(await stored(), { events, badRecords: 1 }, env.consumer.config);
  // n = 41 records from s = 4 sessions: ⌈41/25⌉ + 2·4 requests.
  expect(env.consumer.meter.total().requests).toBe(2 + 2 * 4);
  expect(requestsTo('PutItem', env.consumer.config.sessionsTable)).toBe(4);
});

test('a whole batch redelivered to the same process: no Sessions write, state unchanged', async () => {
  const events = interleavedSessions(3, [0, 1, 2, 3]);
  await invoke(events);
  env.consumer.meter.reset();

  const response = await invoke(events);

  expect(response).toEqual({ batchItemFailures: [] });
  expect(requestsTo('PutItem', env.consumer.config.sessionsTable)).toBe(0);
  expect(requestsTo('PutItem', env.consumer.config.activeSessionsTable)).toBe(3);
  expect(env.consumer.reports.at(-1)).toMatchObject({ sessionWrites: 0, sessionsUnchanged: 3 });
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('redelivered to a new process (cold cache): the refused write returns the item, no read', async () => {
  const events = interleavedSessions(3, [0, 1, 2, 3]);
  await invoke(events);
  env.consumer.restart();
  env.consumer.meter.reset();

  await invoke(events);

  expect(requestsTo('PutItem', env.consumer.config.sessionsTable)).toBe(3);
  expect(
    env.consumer.meter.byOperation.get(`PutItem ${env.consumer.config.sessionsTable}`)?.errors,
  ).toBe(3);
  expect(requestsTo('GetItem', env.consumer.config.sessionsTable)).toBe(0);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('the same event put twice in one batch is stored and counted once', async () => {
  const events = interleavedSessions(2, [0, 1, 2]);
  const twice = [...events, scenarioEvent(0, 1)];

  const response = await invoke(twice);

  expect(response).toEqual({ batchItemFailures: [] });
  expectExactlyOnce(await stored(), { events: twice, badRecords: 0 }, env.consumer.config);
});

test('late, out-of-order seqs count once: applied tracks seqs, not a high-water mark', async () => {
  const early = [0, 2, 5].map((seq) => scenarioEvent(0, seq));
  const late = [1, 3, 4, 2].map((seq) => scenarioEvent(0, seq));

  await invoke(early);
  await invoke(late, 10);
  await invoke(early, 20);

  const state = await stored();
  expect(state.sessions.get(`demo-shop#${sessionIdFor(0)}`)?.applied).toEqual({
    below: 6,
    above: [],
  });
  expectExactlyOnce(state, { events: [...early, ...late], badRecords: 0 }, env.consumer.config);
});

test('persistent throttling on one session: its lowest record is reported, the rest is written', async () => {
  const events = interleavedSessions(3, [0, 1, 2]);
  // Session 1's records are at positions 1, 4, 7. Only its Sessions write is throttled.
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.sessionsTable,
    match: itemWithPk(`demo-shop#${sessionIdFor(1)}`),
    fault: throttlingException(),
    times: Infinity,
  });

  const response = await invoke(events);

  // Both SDK attempts were throttled.
  expect(env.consumer.faults.injections).toHaveLength(2);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(1) }] });
  const partial = await stored();
  expect(partial.events).toHaveLength(9);
  expect(partial.sessions.has(`demo-shop#${sessionIdFor(1)}`)).toBe(false);
  expect(partial.activeSessions.size).toBe(2);

  // Lambda re-sends from the reported record on.
  env.consumer.faults.clear();
  await invoke(events.slice(1), 1);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('items left unprocessed at the deadline fail their records; sessions skip those events', async () => {
  const events = interleavedSessions(2, [0, 1, 2, 3]);
  env.consumer.faults.add({
    operation: 'BatchWriteItem',
    fault: unprocessedItems(2),
    times: Infinity,
  });

  const response = await invoke(events, 0, 1_500);

  // The last two items (session 0 seq 3, session 1 seq 3) never got in: positions 6 and 7.
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(6) }] });
  const partial = await stored();
  expect(partial.events).toHaveLength(6);
  for (const state of partial.sessionStates.values()) {
    expect(state.applied).toEqual({ below: 3, above: [] });
  }

  env.consumer.faults.clear();
  await invoke(events.slice(6), 6);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('a crash after the raw writes, before the session write, escapes; the retry completes', async () => {
  const events = interleavedSessions(2, [0, 1, 2]);
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.sessionsTable,
    fault: crash(),
  });

  await expect(invoke(events)).rejects.toBeInstanceOf(InjectedCrash);
  const crashed = await stored();
  expect(crashed.events).toHaveLength(6);

  env.consumer.restart();
  await invoke(events);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('a crash between the Sessions and ActiveSessions writes is repaired by the redelivery', async () => {
  const events = interleavedSessions(2, [0, 1]);
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.activeSessionsTable,
    fault: crash(),
  });

  await expect(invoke(events)).rejects.toBeInstanceOf(InjectedCrash);
  await invoke(events);

  expect(env.consumer.reports.at(-1)?.sessionsUnchanged).toBeGreaterThanOrEqual(1);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('5xx on ActiveSessions fails that session’s records; the redelivery writes only the projection', async () => {
  const events = interleavedSessions(2, [0, 1]);
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.activeSessionsTable,
    match: itemWithPk(toActiveSessionPk(1)),
    fault: serverError(503),
    times: 2,
  });

  const response = await invoke(events);
  expect(env.consumer.faults.injections).toHaveLength(2);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(1) }] });

  env.consumer.meter.reset();
  await invoke(events);
  expect(requestsTo('PutItem', env.consumer.config.sessionsTable)).toBe(0);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('a Sessions call slower than the deadline is abandoned in time and reported', async () => {
  const events = interleavedSessions(1, [0, 1]);
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.sessionsTable,
    fault: delay(4_000),
  });
  const started = Date.now();

  const response = await invoke(events, 0, 2_000);

  expect(Date.now() - started).toBeLessThan(2_000);
  expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: sequenceNumber(0) }] });
  expect(env.consumer.reports.at(-1)?.firstError).toMatch(/DeadlineExceededError/);

  // The abandoned write may still land later; the redelivery is correct either way.
  await invoke(events);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('a batch of bad data only: every record is a bad row, the batch succeeds', async () => {
  const delivered: Delivered[] = [{ poison: POISON_TEXT }, { poison: 'not json' }];

  const response = await invoke(delivered);
  await invoke(delivered);

  expect(response).toEqual({ batchItemFailures: [] });
  expectExactlyOnce(await stored(), { events: [], badRecords: 2 }, env.consumer.config);
});

test('a 1 MB record is one bad row whose payload waits in the failures bucket, byte for byte', async () => {
  const huge = `{"v":1,"siteId":"demo-shop","event":{"eventId":"${'x'.repeat(1024 * 1024)}"}}`;

  const response = await invoke([{ poison: huge }, ...interleavedSessions(1, [0])]);

  expect(response).toEqual({ batchItemFailures: [] });
  const state = await stored();
  expect(state.badRows).toHaveLength(1);
  const row = state.badRows[0];
  expect(row).toMatchObject({ reason: 'too_large', payloadBase64: '', siteId: 'demo-shop' });
  const object = await env.stack.clients.s3.send(
    new GetObjectCommand({ Bucket: row?.payloadObject?.bucket, Key: row?.payloadObject?.key }),
  );
  expect(await object.Body?.transformToString()).toBe(Buffer.from(huge).toString('base64'));
  expectExactlyOnce(
    state,
    { events: interleavedSessions(1, [0]), badRecords: 1 },
    env.consumer.config,
  );
});
