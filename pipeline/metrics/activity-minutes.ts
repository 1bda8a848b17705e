/**
 * Occupancy gauges (active sessions, current visitors) derived from changes alone.
 *
 * A gauge like "active sessions now" is a count over state, which a stateless stream processor
 * cannot read. It can, however, say which minutes a *session* is active in: from its start to 29
 * minutes after its last activity (DESIGN.md: activity in the last 30 minutes). Each change adds
 * 1 to every minute newly covered by the session's window — and nothing to minutes it already
 * covered — so, summed over all sessions, the Sum of a minute equals the number of sessions
 * active in that minute. Minutes ahead of "now" are written too (CloudWatch accepts timestamps
 * up to 2 h ahead): the minute a session stops counting is known when its last activity is.
 */
import { WINDOWS } from '../../schemas';
import { epochMinute } from '../session-aggregate';

export { epochMinute };

export const MINUTE_MS = 60_000;

/** Minutes a session stays active after an activity, the activity's own minute included. */
export const ACTIVE_WINDOW_MINUTES = WINDOWS.activeSessionMs / MINUTE_MS;
/** Minutes a visitor stays current after a page view or custom event, its own minute included. */
export const CURRENT_WINDOW_MINUTES = WINDOWS.currentVisitorMs / MINUTE_MS;

/** Inclusive range of epoch minutes. */
export interface MinuteRange {
  readonly from: number;
  readonly to: number;
}

/** What a session's active window depends on. */
export interface ActivitySpan {
  readonly startedAt: number;
  readonly lastSeen: number;
}

/** What a session's current-visitor window depends on. */
export interface InteractionTrace {
  /** Edge clock (ms) of the last page view or custom event; 0 when none. */
  readonly lastInteractionAt: number;
  /** Page views per epoch minute within the last 30 minutes of activity. */
  readonly pageviewMinutes: Readonly<Record<string, number>>;
}

/** The minutes in which a session counts as active. Assumes no gap over 30 min (a session's definition). */
export function activeRange(span: ActivitySpan): MinuteRange {
  return {
    from: epochMinute(span.startedAt),
    to: epochMinute(span.lastSeen) + ACTIVE_WINDOW_MINUTES - 1,
  };
}

/** Minutes of `next` not in `previous` (at most two ranges), in ascending order. */
export function rangeDifference(
  next: MinuteRange,
  previous: MinuteRange | undefined,
): MinuteRange[] {
  if (previous === undefined || previous.to < next.from || previous.from > next.to) {
    return next.from <= next.to ? [next] : [];
  }
  const parts: MinuteRange[] = [];
  if (next.from < previous.from) parts.push({ from: next.from, to: previous.from - 1 });
  if (next.to > previous.to) parts.push({ from: previous.to + 1, to: next.to });
  return parts;
}

/** Minutes with a page view or a (last) custom event. */
export function interactionMinutes(trace: InteractionTrace): number[] {
  const minutes = new Set(Object.keys(trace.pageviewMinutes).map(Number));
  if (trace.lastInteractionAt > 0) minutes.add(epochMinute(trace.lastInteractionAt));
  return [...minutes].sort((a, b) => a - b);
}

/** The minutes in which a session's visitor counts as current: 5 minutes after each interaction. */
export function currentMinutes(trace: InteractionTrace): Set<number> {
  const covered = new Set<number>();
  for (const minute of interactionMinutes(trace)) {
    for (let offset = 0; offset < CURRENT_WINDOW_MINUTES; offset += 1) covered.add(minute + offset);
  }
  return covered;
}

/**
 * Minutes newly covered by the current-visitor window, ascending: those after the last minute
 * `previous` covered. An image remembers only its last custom event, so minutes before that
 * frontier may have been counted by an earlier image this one no longer explains; counting only
 * past the frontier (which never moves back, as lastInteractionAt never does) counts a minute
 * at most once. The price: an interaction that arrives late — received before the session's
 * latest one, e.g. a producer's retry — adds no minutes before that latest one.
 */
export function newCurrentMinutes(
  next: InteractionTrace,
  previous: InteractionTrace | undefined,
): number[] {
  const frontier = previous === undefined ? -Infinity : Math.max(...currentMinutes(previous));
  return [...currentMinutes(next)].filter((minute) => minute > frontier).sort((a, b) => a - b);
}

/** Every minute of the ranges that falls inside `bounds`, ascending. */
export function minutesWithin(ranges: readonly MinuteRange[], bounds: MinuteRange): number[] {
  const minutes: number[] = [];
  for (const range of ranges) {
    for (let m = Math.max(range.from, bounds.from); m <= Math.min(range.to, bounds.to); m += 1) {
      minutes.push(m);
    }
  }
  return minutes;
}
