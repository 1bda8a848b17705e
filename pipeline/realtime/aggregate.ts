/**
 * The reference count: ActiveSessions items → a `/realtime` answer, straight from DESIGN.md's
 * definitions (distinct visitors, expiry to the millisecond). Served answers come from the
 * rollup's counters (rollup-answer.ts); this is what the rollup's tests compare them with, so
 * its differences from it are the documented ones and no others. Pure: the caller passes the
 * items and the clock.
 *
 * Bots are kept out of every human figure (as GA4 and Plausible do) and reported on their own
 * as `bots.sessions` and `bots.share`, so a bot wave is visible without inflating the counts.
 */
import {
  REALTIME_WINDOWS,
  type RealtimeAnswer,
  type RealtimeSessionView,
} from '../../schemas/query';
import { epochMinute } from '../session-aggregate';
import { isActive, isCurrent } from './activity';
import { increment, realtimeAnswer, type RealtimeAnswerOptions } from './answer-parts';
import type { BreakdownTally } from './rollup';

const MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

export function aggregateRealtime(
  items: Iterable<RealtimeSessionView>,
  options: RealtimeAnswerOptions,
): RealtimeAnswer {
  const { nowMs } = options;
  const nowMinute = epochMinute(nowMs);
  const firstMinute = nowMinute - (MINUTES - 1);
  const perMinute = new Array<number>(MINUTES).fill(0);
  const currentVisitors = new Set<string>();
  const breakdowns = new Map<BreakdownTally, Map<string, number>>();
  const count = (tally: BreakdownTally, name: string, n = 1) => {
    let names = breakdowns.get(tally);
    if (names === undefined) {
      names = new Map();
      breakdowns.set(tally, names);
    }
    increment(names, name, n);
  };
  /** A session's map: the session once per name in `sessions`, its amounts in `amounts`. */
  const countNamed = (
    sessions: BreakdownTally,
    amounts: BreakdownTally,
    counts: Readonly<Record<string, number>> | undefined,
  ) => {
    for (const name of Object.keys(counts ?? {})) {
      count(sessions, name);
      count(amounts, name, (counts as Record<string, number>)[name]);
    }
  };
  let humans = 0;
  let bots = 0;

  for (const item of items) {
    // The read already filtered on expiry; checking again keeps this function correct on its own.
    if (!isActive(item, nowMs)) continue;
    if (item.isBot) {
      bots += 1;
      continue;
    }
    humans += 1;
    if (isCurrent(item, nowMs)) currentVisitors.add(item.visitorId);
    // A session with engagement pings only has no current page to rank.
    if (item.currentPage !== '') count('pages', item.currentPage);
    count('sources', item.source);
    count('devices', item.deviceType);
    count('countries', item.country);
    count('browsers', item.browser);
    count('operatingSystems', item.os);
    countNamed('eventSessions', 'events', item.eventNames);
    countNamed('linkSessions', 'linkClicks', item.outboundLinks);
    countNamed('engagedSessions', 'engagedMs', item.pageEngagedMs);
    countNamed('scrolledSessions', 'scrollDepthSum', item.pageScrollDepth);
    for (const [minuteKey, count] of Object.entries(item.pageviewMinutes)) {
      const index = Number(minuteKey) - firstMinute;
      if (index >= 0 && index < MINUTES) perMinute[index] = (perMinute[index] ?? 0) + count;
    }
  }

  return realtimeAnswer(options, {
    activeSessions: humans,
    currentVisitors: currentVisitors.size,
    bots,
    pageviewsPerMinute: perMinute,
    firstMinute,
    breakdowns,
  });
}
