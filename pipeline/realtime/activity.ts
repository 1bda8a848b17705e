/**
 * The two realtime windows (DESIGN.md section 3), as predicates over ActiveSessions items.
 *
 * - Active: the item has not expired. `expiresAt` is last activity + 30 min, so "not expired" is
 *   "activity in the last 30 minutes". DynamoDB TTL deletes lag by up to about two days and
 *   expired items still come back from reads, so every read applies this, not only the table.
 * - Current: a page view or custom event (`lastInteractionAt`) in the last 5 minutes; engagement
 *   pings move `lastSeen` but not `lastInteractionAt`, so they alone never make a visitor current.
 */
import { REALTIME_WINDOWS } from '../../schemas/query';

const MINUTE_MS = 60_000;

export const CURRENT_VISITOR_WINDOW_MS = REALTIME_WINDOWS.currentVisitorsMinutes * MINUTE_MS;

/** `expiresAt` is epoch seconds (DynamoDB TTL's unit); `nowMs` is epoch milliseconds. */
export function isActive(item: { readonly expiresAt: number }, nowMs: number): boolean {
  return item.expiresAt * 1000 > nowMs;
}

/** The epoch second a read filters on: items with `expiresAt` above it are active. */
export function expiryCutoffSeconds(nowMs: number): number {
  return Math.floor(nowMs / 1000);
}

export function isCurrent(
  item: { readonly expiresAt: number; readonly lastInteractionAt: number },
  nowMs: number,
): boolean {
  // 0 means "no page view or custom event yet" (engagement only).
  return (
    isActive(item, nowMs) &&
    item.lastInteractionAt > 0 &&
    item.lastInteractionAt > nowMs - CURRENT_VISITOR_WINDOW_MS
  );
}
