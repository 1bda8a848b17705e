/**
 * Typed factories for the images the processor sees, built the way the consumer builds them:
 * enriched events folded by the pipeline (foldEvents) and turned into items (toSessionItem,
 * toActiveSessionItem), so the fixtures cannot drift from what the tables really hold.
 */
import type { ActiveSessionItem, EnrichedEvent, SessionItem } from '../../../schemas';
import { enrichedEvent } from '../../__fixtures__/enriched-events';
import { toActiveSessionItem, toSessionItem } from '../../items';
import { foldEvents } from '../../session-aggregate';
import type { Remover, StreamChange } from '../stream-change';

/** 2026-11-21T12:00:10Z: ten seconds into an epoch minute. */
export const T0 = Date.UTC(2026, 10, 21, 12, 0, 10);
export const MINUTE = 60_000;
/** Epoch minute of T0. */
export const M0 = Math.floor(T0 / MINUTE);

export type EventSpec = Partial<EnrichedEvent> & {
  readonly seq: number;
  /** Milliseconds after T0 (the edge clock, `receivedAt`). */
  readonly at: number;
};

export function events(...specs: readonly EventSpec[]): EnrichedEvent[] {
  return specs.map(({ at, ...rest }) => enrichedEvent({ receivedAt: T0 + at, ...rest }));
}

export function sessionItem(specs: readonly EventSpec[], version = 1): SessionItem {
  return toSessionItem(foldEvents(events(...specs)), version);
}

export function activeSessionItem(specs: readonly EventSpec[]): ActiveSessionItem {
  return toActiveSessionItem(foldEvents(events(...specs)), 4);
}

/** Stream record time: by default when the write happened, 2 s after the last event. */
function recordTime(item: { readonly lastSeen: number }, recordTimeMs?: number): number {
  return recordTimeMs ?? item.lastSeen + 2_000;
}

export function sessionInsert(newImage: SessionItem, recordTimeMs?: number): StreamChange {
  return {
    table: 'sessions',
    eventName: 'INSERT',
    newImage,
    recordTimeMs: recordTime(newImage, recordTimeMs),
  };
}

export function sessionModify(
  oldImage: SessionItem,
  newImage: SessionItem,
  recordTimeMs?: number,
): StreamChange {
  return {
    table: 'sessions',
    eventName: 'MODIFY',
    oldImage,
    newImage,
    recordTimeMs: recordTime(newImage, recordTimeMs),
  };
}

export function activeSessionRemove(
  oldImage: ActiveSessionItem,
  removedBy: Remover,
  recordTimeMs?: number,
): StreamChange {
  return {
    table: 'activeSessions',
    eventName: 'REMOVE',
    oldImage,
    removedBy,
    // TTL deletes happen after expiry (here: 10 minutes after).
    recordTimeMs: recordTimeMs ?? oldImage.expiresAt * 1000 + 10 * MINUTE,
  };
}

/** Consecutive epoch minutes from `first` to `last`. */
export function minutes(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
