/**
 * End to end on the emulators: edge records → the real consumer (Sessions, ActiveSessions) →
 * DynamoDB streams → the local event-source mapping → the processor → the local metrics sink.
 * Checks that what the consumer really writes yields the exact metrics, expiry included.
 */
import {
  USER_AGENTS,
  customEvent,
  edgeRecord,
  engagementEvent,
  eventIdFor,
  pageviewEvent,
} from '../../pipeline/__fixtures__/edge-records';
import { kinesisRecord } from '../../pipeline/__fixtures__/kinesis-records';
import type { EdgeRecord, TrackerEvent } from '../../schemas';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import {
  type ConsumerUnderTest,
  consumerUnderTest,
  lambdaContext,
} from '../consumer/test-support/consumer-under-test';
import { MINUTE, recentT0 } from './__fixtures__/stream-events';
import { ones, range } from './__fixtures__/emf-table';
import {
  type ProcessorUnderTest,
  sinkTable,
  startProcessorUnderTest,
} from './test-support/processor-under-test';

let stack: TestStack;
let consumer: ConsumerUnderTest;
let processor: ProcessorUnderTest;

beforeEach(async () => {
  stack = await useTestStack({ name: 'consumer-to-metrics' });
  consumer = consumerUnderTest(stack);
  processor = await startProcessorUnderTest(stack);
});
afterEach(async () => {
  await processor.dispose();
  consumer.dispose();
  await stack.dispose();
});

/** An event of `session` received `at` ms after t0 (client clock = edge clock here). */
function received(
  t0: number,
  session: string,
  seq: number,
  at: number,
  event: TrackerEvent,
): EdgeRecord {
  const receivedAt = t0 + at;
  return edgeRecord({
    receivedAt,
    requestId: `req_${session}_${seq}`,
    userAgent: USER_AGENTS.chromeWindows,
    event: {
      ...event,
      eventId: eventIdFor(seq, session),
      sessionId: `sess_${session}`,
      seq,
      ts: receivedAt,
    },
  });
}

const total = (row: Record<number, number> | undefined) =>
  Object.values(row ?? {}).reduce((sum, value) => sum + value, 0);

it('turns what the consumer writes into exact metrics, and the sessions’ expiry into bounce and duration', async () => {
  // Two sessions that started 40 minutes ago: their 30-minute windows have closed.
  const t0 = recentT0() - 30 * MINUTE;
  const records = [
    received(t0, 'bouncer1', 0, 0, pageviewEvent()),
    received(t0, 'bouncer1', 1, 20_000, engagementEvent({ engagedMs: 3_000 })),
    received(t0, 'explorer', 0, 0, pageviewEvent()),
    received(t0, 'explorer', 1, 60_000, pageviewEvent({ url: 'https://shop.example.com/pricing' })),
    received(t0, 'explorer', 2, 90_000, customEvent({ name: 'add_to_cart' })),
  ];

  const answer = await consumer.handler()(
    { Records: records.map((record, position) => kinesisRecord(record, { position })) },
    lambdaContext(),
  );

  expect(answer).toEqual({ batchItemFailures: [] });
  await processor.waitFor(
    () => total(sinkTable(processor.sink, 'demo-shop', t0)['Events']) === 5,
    'the five events',
  );
  // t0 is 10 s into its minute: events at +0/+20 s fall in minute 0, at +60/+90 s in minute 1.
  const activity = {
    SessionsStarted: { 0: 2 },
    PageViews: { 0: 1, 1: 2 },
    Events: { 0: 2, 1: 3 },
    EngagementEvents: { 0: 1 },
    CustomEvents: { 1: 1 },
    EngagedTime: { 0: 3_000 },
    ActiveSessionMinutes: { ...twos(range(0, 29)), ...ones([30]) },
    CurrentVisitorMinutes: { ...twos(range(0, 4)), ...ones([5]) },
  };
  expect(sinkTable(processor.sink, 'demo-shop', t0)).toEqual(activity);

  const swept = await stack.sweepTtl([processor.config.activeSessionsTable]);

  expect(swept).toHaveLength(2);
  await processor.waitFor(
    () => total(sinkTable(processor.sink, 'demo-shop', t0)['SessionsExpired']) === 2,
    'both expiries',
  );
  expect(sinkTable(processor.sink, 'demo-shop', t0)).toEqual({
    ...activity,
    SessionsExpired: { 30: 1, 31: 1 },
    Bounces: { 30: 1 },
    SessionDuration: { 30: 20_000, 31: 90_000 },
  });
  expect(processor.sink.stats().invalidDocuments).toBe(0);
});

function twos(minutes: readonly number[]): Record<number, number> {
  return Object.fromEntries(minutes.map((m) => [m, 2]));
}
