/**
 * Exactly-once effect on at-least-once delivery (DESIGN.md invariant 2), through the real path:
 * records on the emulated Kinesis stream, the local event-source mapping with the consumer's
 * settings (retries, bisect on error, ReportBatchItemFailures, max record age, S3 on failure),
 * the consumer in-process on the emulated tables, faults injected into its SDK clients.
 * After each scenario: accepted = stored + bad (+ what the on-failure destination holds), and
 * Sessions and ActiveSessions equal the pure fold of the distinct events.
 */
import type { EventSourceMappingHandle } from '../../localstack/event-source-mapping';
import type { EdgeRecord } from '../../schemas';
import { crash } from '../test-support/faults';
import { useConsumerTestStack } from './test-support/consumer-test-stack';
import { expectExactlyOnce } from './test-support/exactly-once';
import {
  type MappingOptions,
  type Position,
  failureDocuments,
  putRecords,
  startConsumerMapping,
  waitUntilCheckpointed,
} from './test-support/kinesis-delivery';
import {
  POISON_TEXT,
  type Delivered,
  interleavedSessions,
  scenarioEvent,
  sessionIdFor,
} from './test-support/scenario';

let mapping: EventSourceMappingHandle | undefined;

const env = useConsumerTestStack({
  name: 'exactly-once',
  per: 'test',
  // The mapping calls the consumer: it stops before the consumer and tables go.
  beforeDispose: async () => {
    await mapping?.stop();
    mapping = undefined;
  },
});

const { stored } = env;

async function deliver(
  items: readonly Delivered[],
  options: MappingOptions = {},
): Promise<Position[]> {
  mapping ??= await startConsumerMapping(env.stack, env.consumer, options);
  const positions = await putRecords(env.stack, items);
  await waitUntilCheckpointed(mapping, positions);
  return positions;
}

const validEvents = (items: readonly Delivered[]): EdgeRecord[] =>
  items.filter((item): item is EdgeRecord => !('poison' in item));

test('the same event put twice (a producer retry, two sequence numbers) counts once', async () => {
  const events = interleavedSessions(3, [0, 1, 2, 3]);
  const retried = [scenarioEvent(1, 2), scenarioEvent(2, 0)];

  await deliver(events);
  await deliver(retried);

  expectExactlyOnce(
    await stored(),
    { events: [...events, ...retried], badRecords: 0 },
    env.consumer.config,
  );
});

test('a whole batch redelivered after the function failed once changes nothing', async () => {
  const events = interleavedSessions(3, [0, 1, 2]);
  let failures = 0;
  const inner = env.consumer.handler;
  // The first invocation does all its writes, then fails (e.g. a timeout while answering).
  env.consumer.handler = () => async (event, context) => {
    const response = await inner()(event, context);
    if (failures === 0) {
      failures += 1;
      throw new Error('function failed after its writes');
    }
    return response;
  };

  await deliver(events);

  expect(failures).toBe(1);
  expect(mapping?.stats().functionErrors).toBe(1);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('a crash after the raw writes, before the session write: Lambda retries, counted once', async () => {
  const events = interleavedSessions(2, [0, 1, 2, 3]);
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.sessionsTable,
    fault: crash(),
  });

  await deliver(events);

  expect(env.consumer.faults.injections).toHaveLength(1);
  expect(mapping?.stats().functionErrors).toBeGreaterThanOrEqual(1);
  expectExactlyOnce(await stored(), { events, badRecords: 0 }, env.consumer.config);
});

test('bad data is a bad row at once and never fails the batch', async () => {
  const items: Delivered[] = [
    ...interleavedSessions(2, [0, 1]),
    { poison: POISON_TEXT },
    ...interleavedSessions(2, [2]),
  ];

  await deliver(items);

  expect(mapping?.stats()).toMatchObject({ functionErrors: 0, partialFailures: 0, retries: 0 });
  expectExactlyOnce(
    await stored(),
    { events: validEvents(items), badRecords: 1 },
    env.consumer.config,
  );
});

test('bisect isolates a record whose write always fails; it alone reaches the S3 destination', async () => {
  const events = interleavedSessions(4, [0, 1, 2, 3]);
  const poisoned = scenarioEvent(2, 1);
  // Any raw write that carries this event crashes the invocation, every time.
  env.consumer.faults.add({
    operation: 'BatchWriteItem',
    match: (input) => JSON.stringify(input).includes(poisoned.event.eventId),
    fault: crash(),
    times: Infinity,
  });

  await deliver(events, { settings: { MaximumRetryAttempts: 1 } });

  const stats = mapping?.stats();
  expect(stats?.bisects).toBeGreaterThan(0);
  expect(stats?.recordsToDestination).toBe(1);
  const documents = await failureDocuments(env.stack, mapping as EventSourceMappingHandle);
  const sent = documents.flatMap((d) => d.payload.Records);
  expect(sent).toHaveLength(1);
  expect(Buffer.from(sent[0]?.kinesis.data ?? '', 'base64').toString()).toContain(
    poisoned.event.eventId,
  );
  expect(documents[0]?.requestContext.condition).toBe('RetryAttemptsExhausted');
  // Everything else is stored exactly once; the isolated record is in the destination, not lost.
  const rest = events.filter((e) => e.event.eventId !== poisoned.event.eventId);
  expectExactlyOnce(await stored(), { events: rest, badRecords: 0 }, env.consumer.config);
});

test('records older than the maximum age go to the S3 destination; fresh ones are consumed', async () => {
  let skewMs = 0;
  const clock = () => Date.now() + skewMs;
  const old = interleavedSessions(2, [0, 1]);
  const fresh = interleavedSessions(2, [2, 3]);

  // The old records wait on the stream "for two minutes" before the mapping reads them.
  const oldPositions = await putRecords(env.stack, old);
  skewMs = 120_000;
  mapping = await startConsumerMapping(env.stack, env.consumer, {
    clock,
    settings: { MaximumRecordAgeInSeconds: 60 },
  });
  await waitUntilCheckpointed(mapping, oldPositions);
  skewMs = 0;
  await deliver(fresh);

  expect(mapping.stats().recordsAgedOut).toBe(old.length);
  const documents = await failureDocuments(env.stack, mapping);
  expect(documents.every((d) => d.requestContext.condition === 'RecordAgeExceeded')).toBe(true);
  const aged = documents
    .flatMap((d) => d.payload.Records)
    .map((r) => Buffer.from(r.kinesis.data, 'base64').toString());
  expect(aged.sort()).toEqual(old.map((r) => JSON.stringify(r)).sort());
  expectExactlyOnce(await stored(), { events: fresh, badRecords: 0 }, env.consumer.config);
});

test('out-of-order seqs across batches count once; applied covers every seq', async () => {
  const first = [0, 2, 4, 7].map((seq) => scenarioEvent(0, seq));
  const late = [1, 3, 5, 6, 2].map((seq) => scenarioEvent(0, seq));

  await deliver(first);
  await deliver(late);

  const state = await stored();
  expect(state.sessions.get(`demo-shop#${sessionIdFor(0)}`)?.applied).toEqual({
    below: 8,
    above: [],
  });
  expectExactlyOnce(state, { events: [...first, ...late], badRecords: 0 }, env.consumer.config);
});
