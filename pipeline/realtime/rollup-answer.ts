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
import { BREAKDOWNS, type BreakdownTally } from './rollup';

function breakdownOf(kind: string): BreakdownTally | undefined {
  return Object.hasOwn(BREAKDOWNS, kind) ? BREAKDOWNS[kind as keyof typeof BREAKDOWNS] : undefined;
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
  const breakdowns = new Map<BreakdownTally, Map<string, number>>();
  const other = new Map<BreakdownTally, number>();
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
      } else if (kind === 'O') {
        const tally = breakdownOf(name);
        if (minute >= nowMinute && tally !== undefined) increment(other, tally, n);
      } else if (minute >= nowMinute && cell.charAt(1) === ':') {
        const tally = breakdownOf(kind);
        if (tally !== undefined) {
          let names = breakdowns.get(tally);
          if (names === undefined) {
            names = new Map();
            breakdowns.set(tally, names);
          }
          increment(names, name, n);
        }
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
    breakdowns,
    other,
  });
}
