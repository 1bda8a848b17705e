import fc from 'fast-check';
import type { EnrichedEvent, SessionState } from '../schemas';
import { SessionStateSchema, isValid } from '../schemas';
import { combineSessions, foldEvents, sessionFromEvent } from './session-aggregate';
import { arbSessionEvents } from './__fixtures__/arbitraries';

/** Combines the parts in the shape of a random binary tree (any bracketing). */
function combineAsTree(parts: readonly SessionState[], splits: readonly number[]): SessionState {
  if (parts.length === 1) return parts[0] as SessionState;
  const at = 1 + ((splits[0] ?? 0) % (parts.length - 1));
  const rest = splits.slice(1);
  return combineSessions(
    combineAsTree(parts.slice(0, at), rest),
    combineAsTree(parts.slice(at), rest),
  );
}

const reference = (events: readonly EnrichedEvent[]) =>
  events.map(sessionFromEvent).reduce((a, b) => combineSessions(a, b));

describe('session aggregate (properties)', () => {
  it('(a) gives the same state for the same events in any order and any bracketing', () => {
    fc.assert(
      fc.property(
        arbSessionEvents().chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.shuffledSubarray(events, { minLength: events.length }),
            fc.array(fc.nat(), { maxLength: 20 }),
          ),
        ),
        ([events, shuffled, splits]) => {
          // Act
          const inOrder = reference(events);
          const anyOrder = combineAsTree(shuffled.map(sessionFromEvent), splits);

          // Assess
          expect(anyOrder).toEqual(inOrder);
          expect(isValid(SessionStateSchema, inOrder)).toBe(true);
        },
      ),
    );
  });

  it('folds in one pass to exactly what combining the single events gives', () => {
    fc.assert(
      fc.property(arbSessionEvents(), (events) => {
        expect(foldEvents(events)).toEqual(reference(events));
      }),
    );
  });

  it('combines commutatively', () => {
    fc.assert(
      fc.property(
        arbSessionEvents().chain((events) =>
          fc.tuple(
            fc.constant(events),
            fc.integer({ min: 1, max: Math.max(1, events.length - 1) }),
          ),
        ),
        ([events, cut]) => {
          fc.pre(events.length > 1);
          const a = foldEvents(events.slice(0, cut));
          const b = foldEvents(events.slice(cut));

          expect(combineSessions(a, b)).toEqual(combineSessions(b, a));
        },
      ),
    );
  });
});
