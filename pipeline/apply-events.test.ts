import { applyEvents } from './apply-events';
import { SessionMismatchError } from './errors';
import { foldEvents } from './session-aggregate';
import { enrichedEvent } from './__fixtures__/enriched-events';

const events = [0, 1, 2, 3].map((seq) => enrichedEvent({ seq }));

describe('applyEvents', () => {
  it('starts a session from nothing', () => {
    // Act
    const { next, newlyApplied } = applyEvents(undefined, events);

    // Assess
    expect(next).toEqual(foldEvents(events));
    expect(newlyApplied).toEqual(events);
  });

  it("uses the delta's precomputed fold only when every event is new", () => {
    // Prepare: the fold coalesce computed for all four events; seq 0 and 1 were applied before.
    const folded = foldEvents(events);
    const prev = applyEvents(undefined, events.slice(0, 2)).next;

    // Act
    const fresh = applyEvents(undefined, events, folded);
    const partly = applyEvents(prev, events, folded);

    // Assess: all new → the given fold itself; partly applied → folded again from what is new.
    expect(fresh.next).toBe(folded);
    expect(partly.next).toEqual(applyEvents(prev, events).next);
    expect(partly.next?.events).toBe(4);
  });

  it('is a no-op when the same events are applied again (a redelivered batch)', () => {
    const prev = applyEvents(undefined, events).next;

    const again = applyEvents(prev, [...events].reverse());

    expect(again.next).toBe(prev);
    expect(again.newlyApplied).toEqual([]);
  });

  it('counts a late, out-of-order event exactly once', () => {
    const event = (seq: number) => enrichedEvent({ seq });
    const withGap = applyEvents(undefined, [event(0), event(2), event(3)]).next;

    const first = applyEvents(withGap, [event(1)]);
    const second = applyEvents(first.next, [event(1)]);

    expect(withGap?.applied).toEqual({ below: 1, above: [2, 3] });
    expect(first.next).toEqual(foldEvents(events));
    expect(first.next?.applied).toEqual({ below: 4, above: [] });
    expect(second.newlyApplied).toEqual([]);
  });

  it('drops repeats within the list: the first occurrence wins', () => {
    const original = enrichedEvent({ seq: 0, path: '/first' });
    const repeat = enrichedEvent({ seq: 0, path: '/second', eventId: 'evt_another_000000' });

    const { next, newlyApplied } = applyEvents(undefined, [original, repeat]);

    expect(newlyApplied).toEqual([original]);
    expect(next?.entry).toEqual({ path: '/first', seq: 0 });
    expect(next?.events).toBe(1);
  });

  it('returns undefined for no state and no events', () => {
    expect(applyEvents(undefined, [])).toEqual({ next: undefined, newlyApplied: [] });
  });

  it('refuses events of another session', () => {
    const prev = applyEvents(undefined, events).next;

    expect(() =>
      applyEvents(prev, [enrichedEvent({ seq: 9, sessionId: 'sess_other000' })]),
    ).toThrow(SessionMismatchError);
  });
});
