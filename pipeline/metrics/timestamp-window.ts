/**
 * CloudWatch accepts metric timestamps from two weeks in the past to two hours in the future
 * (aws-embedded-metrics refuses anything else). The derivation anchors that window on the stream
 * record's creation time, not on the clock, so a redelivered record yields the same minutes.
 *
 * The margins leave room for the record's age when it is processed: with MaximumRecordAge
 * (6 h here) a record is at most hours old, far from the day of slack kept on the past side,
 * and ApproximateCreationDateTime is never after the invocation, so `+ 115 min` stays inside
 * CloudWatch's two hours.
 */
import { epochMinute, type MinuteRange } from './activity-minutes';

const DAY_MINUTES = 24 * 60;

/** How far back a derived minute may lie, relative to the record (CloudWatch: 14 days). */
export const MAX_PAST_MINUTES = 13 * DAY_MINUTES;
/** How far ahead a derived minute may lie, relative to the record (CloudWatch: 120 minutes). */
export const MAX_FUTURE_MINUTES = 115;

export function acceptedMinutes(recordTimeMs: number): MinuteRange {
  const minute = epochMinute(recordTimeMs);
  return { from: minute - MAX_PAST_MINUTES, to: minute + MAX_FUTURE_MINUTES };
}

/** Moves a minute into the window: a count must not be lost because its time is off. */
export function clampMinute(minute: number, window: MinuteRange): number {
  return Math.min(Math.max(minute, window.from), window.to);
}
