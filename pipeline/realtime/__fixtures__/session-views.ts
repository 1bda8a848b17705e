/** Typed factories for ActiveSessions projections, shaped like what the consumer writes. */
import type { RealtimeSessionView } from '../../../schemas/query';

export const NOW_MS = Date.UTC(2026, 10, 21, 12, 0, 30);
export const MINUTE_MS = 60_000;

export function epochMinute(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

/** A human session last seen `agoMs` before NOW_MS, with one page view then. */
export function realtimeView(
  overrides: Partial<RealtimeSessionView> & { agoMs?: number; lastSeen?: number } = {},
): RealtimeSessionView {
  const { agoMs = 60_000, lastSeen: seen, ...rest } = overrides;
  // lastSeen is not projected for /realtime; it only sets the expiry and the last page view.
  const lastSeen = seen ?? NOW_MS - agoMs;
  return {
    visitorId: 'v-1',
    lastInteractionAt: lastSeen,
    currentPage: '/',
    source: 'direct',
    deviceType: 'desktop',
    country: 'DE',
    browser: 'Firefox',
    os: 'Linux',
    isBot: false,
    pageviewMinutes: { [String(epochMinute(lastSeen))]: 1 },
    expiresAt: Math.floor(lastSeen / 1000) + 30 * 60,
    ...rest,
  };
}
