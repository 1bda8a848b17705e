/**
 * The invariants checked after every delivery scenario (DESIGN.md section 4):
 * one in, one out — every accepted event is exactly one raw row or one bad row — and Sessions
 * and ActiveSessions equal applying each distinct event once (the pure fold).
 */
import type { EdgeRecord } from '../../../schemas';
import type { ConsumerConfig } from '../../config';
import { expectedState } from './expected-state';
import type { TableSnapshot } from './table-snapshot';

export interface Accepted {
  /** Valid events accepted at the edge (repeats allowed: a producer's double-put). */
  readonly events: readonly EdgeRecord[];
  /** Distinct bad records (by stream position) delivered. */
  readonly badRecords: number;
}

export function expectExactlyOnce(
  stored: TableSnapshot,
  accepted: Accepted,
  config: Pick<ConsumerConfig, 'visitorSalt' | 'activeSessionShards' | 'shardPlan'>,
): void {
  if (config.visitorSalt.kind !== 'value') {
    throw new Error(
      `expectExactlyOnce needs the salt key itself (received a ${config.visitorSalt.kind} source)`,
    );
  }
  const expected = expectedState(
    accepted.events,
    config.visitorSalt.secret,
    config.shardPlan ?? config.activeSessionShards,
  );
  const storedIds = stored.events.map((item) => item.eventId).sort();
  // One in, one out: accepted = stored + bad, nothing lost, nothing twice.
  expect(storedIds).toEqual(expected.eventIds);
  expect(stored.badRows).toHaveLength(accepted.badRecords);
  expect(storedIds.length + stored.badRows.length).toBe(
    expected.eventIds.length + accepted.badRecords,
  );
  expect(stored.sessionStates).toEqual(expected.sessions);
  expect(stored.activeSessions).toEqual(expected.activeSessions);
}
