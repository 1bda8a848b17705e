/**
 * Data that DynamoDB refuses as invalid (ValidationException, "OK to retry? No") is never
 * retried: an event item it refuses is an `unwritable` bad row in the same invocation while the
 * rest of its BatchWriteItem request is stored; a session item it refuses is reported and skipped.
 * The refusal is injected: the contract and the codec keep real data away from these paths
 * (prototype-keys.int.test.ts and edge-to-tables.property.int.test.ts show that).
 */
import { itemWithPk } from '../test-support/fault-injector';
import { validationException } from '../test-support/faults';
import { expectExactlyOnce } from './test-support/exactly-once';
import { lambdaContext } from './test-support/consumer-under-test';
import { useConsumerTestStack } from './test-support/consumer-test-stack';
import {
  SITE_ID,
  interleavedSessions,
  kinesisEvent,
  kinesisRecords,
  sessionIdFor,
} from './test-support/scenario';

const env = useConsumerTestStack({ name: 'permanent-write-errors', per: 'test' });

const { stored } = env;

test('an event item DynamoDB refuses is an unwritable bad row at once; the rest is stored', async () => {
  // Arrange: 12 events in one BatchWriteItem request; every write carrying one of them is refused.
  const events = interleavedSessions(3, [0, 1, 2, 3]);
  const refused = events[5]!;
  const eventsTable = env.consumer.config.eventsTable;
  env.consumer.faults.add({
    operation: 'BatchWriteItem',
    match: (input) =>
      JSON.stringify(
        (input['RequestItems'] as Record<string, unknown>)[eventsTable] ?? [],
      ).includes(refused.event.eventId),
    fault: validationException('Item size has exceeded the maximum allowed size'),
    times: Infinity,
  });
  const records = kinesisRecords(events);

  // Act
  const response = await env.consumer.handler()(kinesisEvent(records), lambdaContext());

  // Assert: nothing to retry; the refused event is a bad row with its record, the rest stored.
  expect(response).toEqual({ batchItemFailures: [] });
  const state = await stored();
  expectExactlyOnce(
    state,
    { events: events.filter((e) => e !== refused), badRecords: 1 },
    env.consumer.config,
  );
  expect(state.badRows[0]).toMatchObject({
    reason: 'unwritable',
    eventId: refused.event.eventId,
    siteId: SITE_ID,
    payloadBase64: records[5]?.kinesis.data,
    origin: { sequenceNumber: records[5]?.kinesis.sequenceNumber },
  });
  expect(state.badRows[0]?.message).toContain('ValidationException');
  expect(env.consumer.reports.at(-1)).toMatchObject({
    failedSequenceNumbers: [],
    written: { badRows: 1 },
  });
});

test('a Sessions item DynamoDB refuses is reported, never retried; other sessions are written', async () => {
  // Arrange
  const events = interleavedSessions(3, [0, 1, 2]);
  const rejectedPk = `${SITE_ID}#${sessionIdFor(1)}`;
  env.consumer.faults.add({
    operation: 'PutItem',
    target: env.consumer.config.sessionsTable,
    match: itemWithPk(rejectedPk),
    fault: validationException(),
    times: Infinity,
  });

  // Act
  const response = await env.consumer.handler()(
    kinesisEvent(kinesisRecords(events)),
    lambdaContext(),
  );

  // Assert: every raw row stored, the rejected session absent, nothing reported as failed.
  expect(response).toEqual({ batchItemFailures: [] });
  const state = await stored();
  expect(state.events.map((e) => e.eventId).sort()).toEqual(
    events.map((e) => e.event.eventId).sort(),
  );
  expect([...state.sessions.keys()].sort()).toEqual(
    [0, 2].map((s) => `${SITE_ID}#${sessionIdFor(s)}`),
  );
  expect(env.consumer.reports.at(-1)).toMatchObject({
    rejectedSessions: 1,
    failedSequenceNumbers: [],
  });
  expect(env.consumer.reports.at(-1)?.firstRejection).toContain(rejectedPk);
});
