import fc from 'fast-check';
import type { EnrichedEvent, SessionState } from '../schemas';
import { applyEvents } from './apply-events';
import { foldEvents } from './session-aggregate';
import { arbSessionEvents } from './__fixtures__/arbitraries';

/**
 * A delivery schedule for a session's distinct events: every event in at least one batch, some
 * in several (redeliveries, double-puts), batches in any order and each batch in any order.
 */
const arbSchedule = arbSessionEvents().chain((events) =>
  fc
    .tuple(
      // The batch each event first lands in…
      fc.array(fc.nat({ max: 5 }), { minLength: events.length, maxLength: events.length }),
      // …and extra deliveries: (event index, batch index).
      fc.array(fc.tuple(fc.nat(), fc.nat({ max: 5 })), { maxLength: 30 }),
    )
    .map(([homes, extras]) => {
      const batches: EnrichedEvent[][] = Array.from({ length: 6 }, () => []);
      events.forEach((event, i) => batches[homes[i] ?? 0]?.push(event));
      for (const [pick, batch] of extras) {
        const event = events[pick % events.length];
        if (event !== undefined) batches[batch]?.push(event);
      }
      return { events, batches };
    })
    .chain(({ events: distinct, batches }) =>
      fc.tuple(
        fc.constant(distinct),
        fc.tuple(
          ...batches.map((batch) => fc.shuffledSubarray(batch, { minLength: batch.length })),
        ),
      ),
    ),
);

describe('applyEvents (properties)', () => {
  it('(d) any split into batches, with redeliveries and reordering, equals folding each event once', () => {
    fc.assert(
      fc.property(arbSchedule, ([distinct, batches]) => {
        // Act
        let state: SessionState | undefined;
        let applied = 0;
        for (const batch of batches) {
          const result = applyEvents(state, batch);
          state = result.next;
          applied += result.newlyApplied.length;
        }

        // Assess
        expect(state).toEqual(foldEvents(distinct));
        expect(applied).toBe(distinct.length);
      }),
    );
  });

  it('re-applying any already-applied batch changes nothing', () => {
    fc.assert(
      fc.property(arbSchedule, ([, batches]) => {
        let state: SessionState | undefined;
        for (const batch of batches) {
          state = applyEvents(state, batch).next;
          const replay = applyEvents(state, batch);

          expect(replay.next).toBe(state);
          expect(replay.newlyApplied).toHaveLength(0);
        }
      }),
    );
  });
});
