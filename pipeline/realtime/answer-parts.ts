/**
 * What every `/realtime` answer shares, whichever way it was computed (a direct count over the
 * items, or the rollup's counters): the labels a dashboard shows next to each figure, the ranking
 * of breakdown rows, and the answer's shape built from the tallies.
 */
import {
  BREAKDOWN_ROWS,
  REALTIME_WINDOWS,
  type ActivityRow,
  type BreakdownRow,
  type PageEngagementRow,
  type RealtimeAnswer,
  type RealtimeDefinitions,
} from '../../schemas/query';
import { OTHER_NAME, SESSION_NAMES_PER_MAP } from '../capped-names';
import { NAMES_PER_BREAKDOWN } from './bucket-names';
import type { BreakdownTally } from './rollup';

const MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

export const REALTIME_DEFINITIONS: RealtimeDefinitions = {
  activeSessions: `Active sessions: sessions with any activity in the last ${MINUTES} minutes (bots excluded)`,
  currentVisitors:
    `Current visitors: visitors (counted per session) with a page view or custom event in the last ` +
    `${REALTIME_WINDOWS.currentVisitorsMinutes} minutes (engagement pings alone do not count; bots excluded)`,
  pageviewsPerMinute: `Page views per minute over the last ${MINUTES} minutes`,
  breakdowns:
    'Active sessions by current page, traffic source, device type, country, browser and ' +
    `operating system; ${OTHER_NAME}: names beyond the first ${NAMES_PER_BREAKDOWN} of a minute`,
  customEvents:
    'Custom events of active sessions by event name: sessions that sent it, and how many they sent ' +
    `(over each session's life; ${OTHER_NAME}: beyond ${SESSION_NAMES_PER_MAP} names a session or ` +
    `${NAMES_PER_BREAKDOWN} a minute)`,
  outboundLinks:
    'Outbound link clicks (custom event "Outbound Link: Click") of active sessions by link URL: ' +
    'sessions that clicked it, and their clicks',
  pageEngagement:
    'Per page, active sessions that reported engagement there: their average engaged time (page ' +
    'visible and focused, ms) and average deepest scroll (% of the page, of sessions that reported one)',
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
  /** Per breakdown, its amount by name (a breakdown with nothing may be absent). */
  readonly breakdowns: ReadonlyMap<BreakdownTally, ReadonlyMap<string, number>>;
  /** Per breakdown, the amount counted under no name of its own (none: 0 or absent). */
  readonly other?: ReadonlyMap<BreakdownTally, number>;
}

const NONE: ReadonlyMap<string, number> = new Map();

export function realtimeAnswer(
  options: RealtimeAnswerOptions,
  tallies: RealtimeTallies,
): RealtimeAnswer {
  const rows = options.rows ?? BREAKDOWN_ROWS;
  const all = tallies.activeSessions + tallies.bots;
  /** A breakdown's counts with its "other" amount as one more name. */
  const tally = (name: BreakdownTally): ReadonlyMap<string, number> => {
    const counts = tallies.breakdowns.get(name) ?? NONE;
    const other = tallies.other?.get(name) ?? 0;
    if (other <= 0) return counts;
    const withOther = new Map(counts);
    increment(withOther, OTHER_NAME, other);
    return withOther;
  };
  const sessionRows = (name: BreakdownTally) => topRows(tally(name), rows);
  return {
    siteId: options.siteId,
    at: options.nowMs,
    activeSessions: tallies.activeSessions,
    currentVisitors: tallies.currentVisitors,
    pageviewsPerMinute: [...tallies.pageviewsPerMinute],
    minutesFrom: tallies.firstMinute * 60_000,
    topPages: sessionRows('pages'),
    topReferrers: sessionRows('sources'),
    devices: sessionRows('devices'),
    countries: sessionRows('countries'),
    browsers: sessionRows('browsers'),
    operatingSystems: sessionRows('operatingSystems'),
    customEvents: topRows(tally('eventSessions'), rows).map((row): ActivityRow => ({
      ...row,
      events: atLeast0(tally('events').get(row.name)),
    })),
    outboundLinks: topRows(tally('linkSessions'), rows).map((row): ActivityRow => ({
      ...row,
      events: atLeast0(tally('linkClicks').get(row.name)),
    })),
    pageEngagement: topRows(tally('engagedSessions'), rows).map((row) =>
      pageEngagementRow(
        row,
        tally('engagedMs'),
        tally('scrolledSessions'),
        tally('scrollDepthSum'),
      ),
    ),
    bots: { sessions: tallies.bots, share: all === 0 ? 0 : tallies.bots / all },
    windows: {
      activeSessionsMinutes: REALTIME_WINDOWS.activeSessionsMinutes,
      currentVisitorsMinutes: REALTIME_WINDOWS.currentVisitorsMinutes,
    },
    definitions: REALTIME_DEFINITIONS,
  };
}

export function increment<K>(counts: Map<K, number>, key: K, n = 1): void {
  counts.set(key, (counts.get(key) ?? 0) + n);
}

/** Counters are sums of exact deltas; below 0 only a lost change could take them. */
function atLeast0(n: number | undefined): number {
  return n === undefined || n < 0 ? 0 : n;
}

/** A page's averages: engaged ms per engaged session, deepest scroll per session that sent one. */
function pageEngagementRow(
  row: BreakdownRow,
  engagedMs: ReadonlyMap<string, number>,
  scrolledSessions: ReadonlyMap<string, number>,
  scrollDepthSum: ReadonlyMap<string, number>,
): PageEngagementRow {
  const engaged = Math.round(atLeast0(engagedMs.get(row.name)) / row.sessions);
  const scrolled = atLeast0(scrolledSessions.get(row.name));
  if (scrolled === 0) return { ...row, engagedMs: engaged };
  const depth = Math.round(atLeast0(scrollDepthSum.get(row.name)) / scrolled);
  return {
    ...row,
    engagedMs: engaged,
    scrollDepth: Math.min(100, depth),
    scrolledSessions: scrolled,
  };
}
