/**
 * Rollup buckets → the `/realtime` answer. Pure: the caller passes the buckets of one site in
 * `bucketRange(nowMs)` and the clock (pipeline/realtime/rollup.ts says what the cells are).
 *
 * Headline counts are exact to the second: `A`/`B`/`C` cells name their second, and only seconds
 * after now count. Breakdowns count every bucket from the current minute on; a breakdown's `O`
 * cells (names beyond a bucket's cap, bucket-names.ts) make its "other" row.
 */
import { REALTIME_WINDOWS, type RealtimeAnswer } from '../../schemas/query';
import { increment, realtimeAnswer, type RealtimeAnswerOptions } from './answer-parts';
import { epochMinute } from '../session-aggregate';
import { BREAKDOWN_KINDS, type BreakdownKind } from './rollup';

const KINDS: ReadonlySet<string> = new Set(BREAKDOWN_KINDS);

function isBreakdownKind(name: string): name is BreakdownKind {
  return KINDS.has(name);
}

const MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

export interface RollupBucket {
  /** Epoch minute. */
  readonly minute: number;
  readonly cells: ReadonlyMap<string, number>;
}

export function answerFromRollup(
  buckets: Iterable<RollupBucket>,
  options: RealtimeAnswerOptions,
): RealtimeAnswer {
  const { nowMs } = options;
  const nowSecond = Math.floor(nowMs / 1000);
  const nowMinute = epochMinute(nowMs);
  const firstMinute = nowMinute - (MINUTES - 1);
  const perMinute = new Array<number>(MINUTES).fill(0);
  const breakdowns = { P: new Map<string, number>(), S: new Map(), D: new Map(), K: new Map() };
  const other = { P: 0, S: 0, D: 0, K: 0 };
  const counts = { A: 0, B: 0, C: 0 };

  for (const { minute, cells } of buckets) {
    for (const [cell, n] of cells) {
      const kind = cell.charAt(0);
      const name = cell.slice(2);
      if (kind === 'V') {
        const index = minute + Number(name) - firstMinute;
        if (index >= 0 && index < MINUTES) perMinute[index] = (perMinute[index] ?? 0) + n;
      } else if (kind === 'A' || kind === 'B' || kind === 'C') {
        // A and B hold the second within the minute, C an offset from the minute's start.
        if (minute * 60 + Number(name) > nowSecond) counts[kind] += n;
      } else if (kind === 'P' || kind === 'S' || kind === 'D' || kind === 'K') {
        if (minute >= nowMinute) increment(breakdowns[kind], name, n);
      } else if (kind === 'O') {
        if (minute >= nowMinute && isBreakdownKind(name)) other[name] += n;
      }
      // `N` cells are the writer's cap counters. Unknown cells come from a newer writer:
      // ignored, as an older reader must.
    }
  }

  // Counters are sums of exact deltas; a negative value could only come from a lost change
  // and is shown as 0 rather than as an impossible figure.
  return realtimeAnswer(options, {
    activeSessions: Math.max(0, counts.A),
    currentVisitors: Math.max(0, counts.C),
    bots: Math.max(0, counts.B),
    pageviewsPerMinute: perMinute.map((n) => Math.max(0, n)),
    firstMinute,
    pages: breakdowns.P,
    sources: breakdowns.S,
    devices: breakdowns.D,
    countries: breakdowns.K,
    other: { pages: other.P, sources: other.S, devices: other.D, countries: other.K },
  });
}
