/**
 * Property: whatever the delivery schedule — events put out of seq order, producer re-puts,
 * bad records, crashes and transient faults at any write, process restarts between batches —
 * the stored state equals applying each distinct event once, and every accepted record is one
 * raw row or one bad row. Runs against the emulators through the local event-source mapping, in
 * a bounded number of runs (each run uses its own sessions on shared tables).
 */
import fc from 'fast-check';
import type { EventSourceMappingHandle } from '../../localstack/event-source-mapping';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import type { EdgeRecord } from '../../schemas';
import type { FaultRule } from '../test-support/fault-injector';
import { crash, serverError, throttlingException, unprocessedItems } from '../test-support/faults';
import { type ConsumerUnderTest, consumerUnderTest } from './test-support/consumer-under-test';
import { expectExactlyOnce } from './test-support/exactly-once';
import {
  putRecords,
  startConsumerMapping,
  waitUntilCheckpointed,
} from './test-support/kinesis-delivery';
import { type Delivered, scenarioEvent } from './test-support/scenario';
import { restrictTo, snapshot } from './test-support/table-snapshot';

const RUNS = 15;

let stack: TestStack;
let consumer: ConsumerUnderTest;
let mapping: EventSourceMappingHandle;

beforeAll(async () => {
  stack = await useTestStack({ name: 'exactly-once-property' });
  consumer = consumerUnderTest(stack);
  mapping = await startConsumerMapping(stack, consumer);
});
afterAll(async () => {
  await mapping.stop();
  consumer.dispose();
  await stack.dispose();
});

type FaultTarget = 'raw' | 'sessions' | 'activeSessions';
type FaultKind = 'crash' | 'throttle' | '5xx' | 'unprocessed';

interface Schedule {
  /** Events per session (1–3 sessions). */
  readonly sessions: readonly number[];
  /** Put order: a permutation of every (session, seq), then the re-puts. */
  readonly order: readonly number[];
  readonly reputs: readonly number[];
  readonly poison: number;
  /** Cut points of the put order into waves (each wave is put, then consumed). */
  readonly waves: number;
  readonly restarts: readonly boolean[];
  readonly faults: readonly { target: FaultTarget; kind: FaultKind; after: number }[];
}

const scheduleArb: fc.Arbitrary<Schedule> = fc
  .array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 3 })
  .chain((sessions) => {
    const total = sessions.reduce((a, b) => a + b, 0);
    const indexes = Array.from({ length: total }, (_, i) => i);
    return fc.record({
      sessions: fc.constant(sessions),
      order: fc.shuffledSubarray(indexes, { minLength: total, maxLength: total }),
      reputs: fc.array(fc.integer({ min: 0, max: total - 1 }), { maxLength: 3 }),
      poison: fc.integer({ min: 0, max: 1 }),
      waves: fc.integer({ min: 1, max: 3 }),
      restarts: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
      faults: fc.array(
        fc.record({
          target: fc.constantFrom<FaultTarget>('raw', 'sessions', 'activeSessions'),
          kind: fc.constantFrom<FaultKind>('crash', 'throttle', '5xx', 'unprocessed'),
          after: fc.integer({ min: 0, max: 3 }),
        }),
        { maxLength: 3 },
      ),
    });
  });

function faultRule(
  fault: Schedule['faults'][number],
  tables: { sessions: string; activeSessions: string },
): FaultRule {
  if (fault.target === 'raw' || fault.kind === 'unprocessed') {
    const kind = fault.kind === 'unprocessed' ? unprocessedItems(2) : undefined;
    return {
      operation: 'BatchWriteItem',
      fault:
        kind ??
        (fault.kind === 'crash'
          ? crash()
          : fault.kind === 'throttle'
            ? throttlingException()
            : serverError()),
      after: fault.after,
      // Two attempts: the SDK's retry (maxAttempts 2) fails too, so the records fail.
      times: fault.kind === 'crash' ? 1 : 2,
    };
  }
  return {
    operation: 'PutItem',
    target: fault.target === 'sessions' ? tables.sessions : tables.activeSessions,
    fault:
      fault.kind === 'crash'
        ? crash()
        : fault.kind === 'throttle'
          ? throttlingException()
          : serverError(503),
    after: fault.after,
    times: fault.kind === 'crash' ? 1 : 2,
  };
}

let run = 0;

test('any delivery schedule: stored state = each distinct event applied once', async () => {
  await fc.assert(
    fc.asyncProperty(scheduleArb, async (schedule) => {
      run += 1;
      // Sessions of this run only: numbers no other run uses.
      const events: EdgeRecord[] = schedule.sessions.flatMap((count, s) =>
        Array.from({ length: count }, (_, seq) => scenarioEvent(run * 10 + s, seq)),
      );
      const puts: Delivered[] = [
        ...schedule.order.map((i) => events[i] as EdgeRecord),
        ...schedule.reputs.map((i) => events[i] as EdgeRecord),
      ];
      if (schedule.poison === 1)
        puts.splice(Math.floor(puts.length / 2), 0, { poison: `run ${run} {` });

      consumer.faults.clear();
      for (const fault of schedule.faults) {
        consumer.faults.add(
          faultRule(fault, {
            sessions: consumer.config.sessionsTable,
            activeSessions: consumer.config.activeSessionsTable,
          }),
        );
      }
      const waveSize = Math.ceil(puts.length / schedule.waves);
      const positions = [];
      for (let w = 0; w * waveSize < puts.length; w += 1) {
        if (schedule.restarts[w] === true) consumer.restart();
        const wave = await putRecords(stack, puts.slice(w * waveSize, (w + 1) * waveSize));
        await waitUntilCheckpointed(mapping, wave);
        positions.push(...wave);
      }
      // Nothing may have gone to the destination: faults are transient, retries plenty.
      expect(mapping.stats().recordsToDestination).toBe(0);

      const sessionIds = new Set(events.map((e) => e.event.sessionId));
      const sequenceNumbers = new Set(positions.map((p) => p.sequenceNumber));
      const state = restrictTo(
        await snapshot(stack.clients.dynamodb, {
          events: consumer.config.eventsTable,
          sessions: consumer.config.sessionsTable,
          activeSessions: consumer.config.activeSessionsTable,
          badRows: consumer.config.badRowsTable,
        }),
        sessionIds,
        sequenceNumbers,
      );
      expectExactlyOnce(
        state,
        {
          events: puts.filter((p): p is EdgeRecord => !('poison' in p)),
          badRecords: schedule.poison,
        },
        consumer.config,
      );
    }),
    { numRuns: RUNS, endOnFailure: true },
  );
}, 60_000);
