/**
 * What every `/realtime` answer shares, whichever way it was computed: the labels a dashboard
 * shows next to each figure and the ranking of breakdown rows.
 */
import { REALTIME_WINDOWS, type BreakdownRow, type RealtimeDefinitions } from '../../schemas/query';

const MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

export const REALTIME_DEFINITIONS: RealtimeDefinitions = {
  activeSessions: `Active sessions: sessions with any activity in the last ${MINUTES} minutes (bots excluded)`,
  currentVisitors:
    `Current visitors: visitors (counted per session) with a page view or custom event in the last ` +
    `${REALTIME_WINDOWS.currentVisitorsMinutes} minutes (engagement pings alone do not count; bots excluded)`,
  pageviewsPerMinute: `Page views per minute over the last ${MINUTES} minutes`,
  breakdowns: 'Active sessions by current page, traffic source, device type and country',
  bots: 'Bot sessions are excluded from every other figure; share = bot / all active sessions',
};

/** Highest counts first (zero and below left out); ties by name, so the order is stable. */
export function topRows(counts: ReadonlyMap<string, number>, rows: number): BreakdownRow[] {
  return [...counts]
    .filter(([, n]) => n > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, rows)
    .map(([name, sessions]) => ({ name, sessions }));
}
