/**
 * The consumer's read-modify-write of one session, as a pure step: stored item + the batch's
 * delta → what to write. The handler reads, calls this, writes with the returned expected
 * version, and on a version conflict reads again and calls this again (idempotent).
 */
import type { ActiveSessionItem, EnrichedEvent, SessionItem } from '../schemas';
import { activeSessionShardsOf, type ShardPlan } from '../schemas/shard-plan';
import { applyEvents } from './apply-events';
import type { SessionDelta } from './coalesce';
import { sessionStateOf, toActiveSessionItem, toSessionItem } from './items';
import type { VersionedSession } from './ports';

export type SessionUpdate =
  | {
      /** Every event of the delta was applied before (a redelivery): no Sessions write. */
      readonly kind: 'unchanged';
      /**
       * The projection of the stored state. Writing it again is idempotent and repairs a crash
       * that happened between an earlier Sessions write and its ActiveSessions write.
       */
      readonly active: ActiveSessionItem;
    }
  | {
      readonly kind: 'write';
      readonly session: SessionItem;
      /** Guard for the conditional write: undefined = the item must not exist yet. */
      readonly expectedVersion: number | undefined;
      readonly active: ActiveSessionItem;
      readonly newlyApplied: readonly EnrichedEvent[];
    };

export function planSessionUpdate(
  stored: VersionedSession | undefined,
  delta: SessionDelta,
  shards: ShardPlan | number,
): SessionUpdate {
  // The site's own count when the stage's plan lists it (schemas/shard-plan.ts).
  const shardCount = activeSessionShardsOf(shards, delta.siteId);
  const prev = stored === undefined ? undefined : sessionStateOf(stored.item);
  const { next, newlyApplied } = applyEvents(prev, delta.events, delta.summary);
  // `next` is undefined only when there is neither a stored state nor an event, and a delta
  // always has at least one event.
  const state = next ?? delta.summary;
  if (newlyApplied.length === 0) {
    return { kind: 'unchanged', active: toActiveSessionItem(state, shardCount) };
  }
  const version = (stored?.version ?? 0) + 1;
  return {
    kind: 'write',
    session: toSessionItem(state, version),
    expectedVersion: stored?.version,
    active: toActiveSessionItem(state, shardCount),
    newlyApplied,
  };
}
