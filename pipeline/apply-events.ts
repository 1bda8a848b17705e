/**
 * The exactly-once step: apply a batch's events of one session to its stored state.
 *
 * Events whose `seq` the stored state already applied are dropped, as are repeats within the
 * list (first occurrence wins), and the rest is folded and combined (see session-aggregate for
 * why that is order-independent). So under Lambda's at-least-once delivery — whole-batch
 * redeliveries, bisected retries, producer double-puts, re-puts that land after later records —
 * the stored state always equals folding each distinct event exactly once.
 */
import type { EnrichedEvent, SessionState } from '../schemas';
import { hasApplied } from './applied-seqs';
import { SessionMismatchError } from './errors';
import { combineSessions, foldEvents } from './session-aggregate';

export interface AppliedEvents {
  /** The new state; `prev` itself (same object) when nothing was new, undefined when both are. */
  readonly next: SessionState | undefined;
  /** The events that changed the state, in list order. Empty: nothing to write. */
  readonly newlyApplied: readonly EnrichedEvent[];
}

/**
 * `folded`, when given, must be `foldEvents(events)` (coalesce already computed it as the
 * delta's summary): when every event is new it is used as is instead of folding again.
 */
export function applyEvents(
  prev: SessionState | undefined,
  events: readonly EnrichedEvent[],
  folded?: SessionState,
): AppliedEvents {
  const fresh: EnrichedEvent[] = [];
  const seen = new Set<number>();
  for (const event of events) {
    if (
      prev !== undefined &&
      (event.siteId !== prev.siteId || event.sessionId !== prev.sessionId)
    ) {
      throw new SessionMismatchError(prev, event);
    }
    if (seen.has(event.seq)) continue;
    if (prev !== undefined && hasApplied(prev.applied, event.seq)) continue;
    seen.add(event.seq);
    fresh.push(event);
  }
  if (fresh.length === 0) return { next: prev, newlyApplied: fresh };
  const delta = folded !== undefined && fresh.length === events.length ? folded : foldEvents(fresh);
  return { next: prev === undefined ? delta : combineSessions(prev, delta), newlyApplied: fresh };
}
