/**
 * What every `/realtime` answer shares, whichever way it was computed (a direct count over the
 * items, or the rollup's counters): the labels a dashboard shows next to each figure, the ranking
 * of breakdown rows, and the answer's shape built from the tallies.
 */
import {
  BREAKDOWN_ROWS,
  REALTIME_WINDOWS,
  type BreakdownRow,
  type RealtimeAnswer,
  type RealtimeDefinitions,
} from '../../schemas/query';
import { NAMES_PER_BREAKDOWN } from './bucket-names';

const MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

/**
 * The row of a breakdown's sessions whose names have no counter of their own (the rollup keeps
 * a capped number of names per minute: pipeline/realtime/bucket-names.ts). Parenthesised, as no
 * page path (they start with "/"), device type or country code looks like it.
 */
export const OTHER_ROW_NAME = '(other)';

export const REALTIME_DEFINITIONS: RealtimeDefinitions = {
  activeSessions: `Active sessions: sessions with any activity in the last ${MINUTES} minutes (bots excluded)`,
  currentVisitors:
    `Current visitors: visitors (counted per session) with a page view or custom event in the last ` +
    `${REALTIME_WINDOWS.currentVisitorsMinutes} minutes (engagement pings alone do not count; bots excluded)`,
  pageviewsPerMinute: `Page views per minute over the last ${MINUTES} minutes`,
  breakdowns:
    'Active sessions by current page, traffic source, device type and country; ' +
    `${OTHER_ROW_NAME}: names beyond the first ${NAMES_PER_BREAKDOWN} of a minute`,
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

export interface RealtimeAnswerOptions {
  readonly siteId: string;
  readonly nowMs: number;
  /** Rows per breakdown (default BREAKDOWN_ROWS). */
  readonly rows?: number;
}

/** The figures of one answer, however they were tallied. */
export interface RealtimeTallies {
  readonly activeSessions: number;
  readonly currentVisitors: number;
  readonly bots: number;
  /** Page views of the chart's minutes, oldest first, starting at `firstMinute` (epoch minute). */
  readonly pageviewsPerMinute: readonly number[];
  readonly firstMinute: number;
  readonly pages: ReadonlyMap<string, number>;
  readonly sources: ReadonlyMap<string, number>;
  readonly devices: ReadonlyMap<string, number>;
  readonly countries: ReadonlyMap<string, number>;
  /** Sessions counted under no name of their own, per breakdown (none: 0 or absent). */
  readonly other?: {
    readonly pages: number;
    readonly sources: number;
    readonly devices: number;
    readonly countries: number;
  };
}

/** A breakdown's counts with its "other" sessions as one more row, ranked with the rest. */
function withOther(counts: ReadonlyMap<string, number>, other: number | undefined) {
  if (other === undefined || other <= 0) return counts;
  const all = new Map(counts);
  increment(all, OTHER_ROW_NAME, other);
  return all;
}

export function realtimeAnswer(
  options: RealtimeAnswerOptions,
  tallies: RealtimeTallies,
): RealtimeAnswer {
  const rows = options.rows ?? BREAKDOWN_ROWS;
  const all = tallies.activeSessions + tallies.bots;
  return {
    siteId: options.siteId,
    at: options.nowMs,
    activeSessions: tallies.activeSessions,
    currentVisitors: tallies.currentVisitors,
    pageviewsPerMinute: [...tallies.pageviewsPerMinute],
    minutesFrom: tallies.firstMinute * 60_000,
    topPages: topRows(withOther(tallies.pages, tallies.other?.pages), rows),
    topReferrers: topRows(withOther(tallies.sources, tallies.other?.sources), rows),
    devices: topRows(withOther(tallies.devices, tallies.other?.devices), rows),
    countries: topRows(withOther(tallies.countries, tallies.other?.countries), rows),
    bots: { sessions: tallies.bots, share: all === 0 ? 0 : tallies.bots / all },
    windows: {
      activeSessionsMinutes: REALTIME_WINDOWS.activeSessionsMinutes,
      currentVisitorsMinutes: REALTIME_WINDOWS.currentVisitorsMinutes,
    },
    definitions: REALTIME_DEFINITIONS,
  };
}

export function increment(counts: Map<string, number>, key: string, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}
