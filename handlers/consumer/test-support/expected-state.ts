/**
 * The reference the consumer's stored state must equal: every distinct event applied exactly
 * once, computed with the pure pipeline in one pass (decode → enrich → fold per session →
 * projections), independent of how the events were delivered.
 */
import { foldEvents } from '../../../pipeline/session-aggregate';
import { toActiveSessionItem } from '../../../pipeline/items';
import { type ShardPlan, activeSessionShardsOf } from '../../../schemas/shard-plan';
import { processBatch } from '../../../pipeline/process-batch';
import type { ActiveSessionItem, EdgeRecord, EnrichedEvent, SessionState } from '../../../schemas';
import { dailySalt } from '../../adapters/daily-salt';
import { kinesisRecords } from './scenario';

export interface ExpectedState {
  /** eventIds that must be stored, sorted. */
  readonly eventIds: readonly string[];
  /** Folded state per Sessions pk. */
  readonly sessions: ReadonlyMap<string, SessionState>;
  readonly activeSessions: ReadonlyMap<string, ActiveSessionItem>;
}

export function expectedState(
  accepted: readonly EdgeRecord[],
  saltSecret: string,
  /** The stage's shard plan, or one shard count for every site (as the consumer takes it). */
  shards: ShardPlan | number,
): ExpectedState {
  const distinct = new Map<string, EdgeRecord>();
  for (const record of accepted)
    distinct.set(`${record.event.sessionId}/${record.event.eventId}`, record);
  const batch = processBatch(kinesisRecords([...distinct.values()]), {
    clock: { now: () => 0 },
    salt: dailySalt(saltSecret),
  });
  if (batch.badRows.length > 0) {
    throw new Error(
      `expected only valid events in the reference (received ${batch.badRows.length} bad rows: ${batch.badRows[0]?.message})`,
    );
  }
  const bySession = new Map<string, EnrichedEvent[]>();
  for (const delta of batch.sessionDeltas) bySession.set(delta.pk, [...delta.events]);
  const sessions = new Map([...bySession].map(([pk, events]) => [pk, foldEvents(events)]));
  const activeSessions = new Map(
    [...sessions.values()].map((state) => {
      const item = toActiveSessionItem(state, activeSessionShardsOf(shards, state.siteId));
      return [`${item.pk}/${item.sk}`, item];
    }),
  );
  return {
    eventIds: batch.eventItems.map((item) => item.eventId).sort(),
    sessions,
    activeSessions,
  };
}
