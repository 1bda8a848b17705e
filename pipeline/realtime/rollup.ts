/**
 * The realtime rollup: per-site, per-minute counters from which `/realtime` is answered by
 * reading about sixty small items instead of every active session. Pure: callers pass
 * ActiveSessions images (before and after a change) and the clock.
 *
 * A session's *contribution* is a handful of counter cells, each in the bucket of a minute:
 *
 * | cell          | bucket minute                           | meaning                                   |
 * |---------------|-----------------------------------------|-------------------------------------------|
 * | `A:<second>`  | minute of `expiresAt`                   | a human session active until that second  |
 * | `B:<second>`  | minute of `expiresAt`                   | a bot session active until that second    |
 * | `C:<second>`  | minute the session stops being current  | a human session current until that second |
 * | `P:<page>`    | minute of `expiresAt`                   | active human session on that page now     |
 * | `S:<source>`, `D:<device>`, `K:<country>` | minute of `expiresAt` | the session's source, device, country |
 * | `V`           | minute of the page views                | page views of human sessions               |
 *
 * A change of a session moves its contribution: delta = contribution(after) − contribution(before).
 * Applied once per change (the writer's job), the counters equal the aggregation of the current
 * ActiveSessions images, so the answer is the one `aggregateRealtime` gives over the items, with
 * two documented differences:
 * - breakdowns count a session until the end of the minute it expires in (the headline counts,
 *   kept per second, are exact);
 * - current visitors are counted per session: one visitor with two simultaneous sessions counts
 *   twice (a distinct count cannot be kept as counters).
 */
import { REALTIME_WINDOWS } from '../../schemas/query';
import { CURRENT_VISITOR_WINDOW_MS } from './activity';

const MINUTE_MS = 60_000;
const WINDOW_MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

/** Longest page path kept as a cell name: bounds a bucket item's size (DynamoDB: 400 KB). */
export const MAX_PAGE_CELL_LENGTH = 200;

/** What of an ActiveSessions image the rollup reads. */
export interface RollupSessionImage {
  readonly expiresAt: number;
  readonly lastInteractionAt: number;
  readonly isBot: boolean;
  readonly currentPage: string;
  readonly source: string;
  readonly deviceType: string;
  readonly country: string;
  readonly pageviewMinutes: Readonly<Record<string, number>>;
}

/** Counter cells of one bucket minute: cell name → count (never 0 in a delta). */
export type BucketCells = Map<string, number>;

/** Deltas of one site: bucket minute (epoch minute) → cells. */
export type SiteDelta = Map<number, BucketCells>;

export function epochMinuteOf(ms: number): number {
  return Math.floor(ms / MINUTE_MS);
}

/** The epoch second after which a session is no longer current (see `isCurrent`). */
export function currentUntilSecond(lastInteractionAt: number): number {
  return Math.ceil((lastInteractionAt + CURRENT_VISITOR_WINDOW_MS) / 1000);
}

function add(delta: SiteDelta, minute: number, cell: string, n: number): void {
  let cells = delta.get(minute);
  if (cells === undefined) {
    cells = new Map();
    delta.set(minute, cells);
  }
  const next = (cells.get(cell) ?? 0) + n;
  if (next === 0) cells.delete(cell);
  else cells.set(cell, next);
  if (cells.size === 0) delta.delete(minute);
}

/** Seconds as two digits keep cell names short and sortable. */
function secondCell(kind: 'A' | 'B' | 'C', epochSecond: number): [number, string] {
  const minute = Math.floor(epochSecond / 60);
  const second = epochSecond - minute * 60;
  return [minute, `${kind}:${String(second).padStart(2, '0')}`];
}

/** The cells of one image except page views (which only ever grow; see `changeDelta`). */
function addStateCells(delta: SiteDelta, image: RollupSessionImage, sign: 1 | -1): void {
  if (image.isBot) {
    const [minute, cell] = secondCell('B', image.expiresAt);
    add(delta, minute, cell, sign);
    return;
  }
  const [minute, activeCell] = secondCell('A', image.expiresAt);
  add(delta, minute, activeCell, sign);
  // A session with engagement pings only has no current page to rank.
  if (image.currentPage !== '') {
    add(delta, minute, `P:${image.currentPage.slice(0, MAX_PAGE_CELL_LENGTH)}`, sign);
  }
  add(delta, minute, `S:${image.source}`, sign);
  add(delta, minute, `D:${image.deviceType}`, sign);
  add(delta, minute, `K:${image.country}`, sign);
  // 0: no page view or custom event yet, never current.
  if (image.lastInteractionAt > 0) {
    const [currentMinute, currentCell] = secondCell(
      'C',
      currentUntilSecond(image.lastInteractionAt),
    );
    add(delta, currentMinute, currentCell, sign);
  }
}

/**
 * The delta of one ActiveSessions change (undefined before: inserted; undefined after: removed).
 * Page views count when they appear and never go away — a removed item's views did happen — so
 * only growth per minute is added. Independent of the clock, so a writer that chunks records by
 * their deltas chunks a redelivered batch the same way; `visibleFrom` then drops what no reader
 * can see any more.
 */
export function changeDelta(
  before: RollupSessionImage | undefined,
  after: RollupSessionImage | undefined,
): SiteDelta {
  const delta: SiteDelta = new Map();
  if (before !== undefined) addStateCells(delta, before, -1);
  if (after !== undefined) addStateCells(delta, after, 1);
  if (after !== undefined && !after.isBot) {
    const counted = before === undefined || before.isBot ? {} : before.pageviewMinutes;
    for (const [minuteKey, count] of Object.entries(after.pageviewMinutes)) {
      const grown = count - (counted[minuteKey] ?? 0);
      if (grown > 0) add(delta, Number(minuteKey), 'V', grown);
    }
  }
  return delta;
}

/**
 * The part of a delta that a reader at `nowMs` or later can still see: state cells of the
 * current minute on, page views of the chart's minutes. Writing the rest would cost write units
 * for buckets nobody reads again.
 */
export function visibleFrom(delta: SiteDelta, nowMs: number): SiteDelta {
  const nowMinute = epochMinuteOf(nowMs);
  const visible: SiteDelta = new Map();
  for (const [minute, cells] of delta) {
    if (minute >= nowMinute) {
      visible.set(minute, new Map(cells));
      continue;
    }
    const views = cells.get('V');
    if (views !== undefined && minute > nowMinute - WINDOW_MINUTES) {
      visible.set(minute, new Map([['V', views]]));
    }
  }
  return visible;
}

/** Adds `from` into `into` (cells summing to 0 disappear). */
export function mergeInto(into: SiteDelta, from: SiteDelta): SiteDelta {
  for (const [minute, cells] of from) {
    for (const [cell, n] of cells) add(into, minute, cell, n);
  }
  return into;
}

/** The bucket minutes a `/realtime` answer at `nowMs` reads, inclusive. */
export function bucketRange(nowMs: number): { readonly from: number; readonly to: number } {
  const nowMinute = epochMinuteOf(nowMs);
  // Page views of the last 30 minutes; expiries up to 30 minutes (+1 for the rounding of
  // `currentUntilSecond` and `expiresAt` seconds into the next minute) ahead.
  return { from: nowMinute - (WINDOW_MINUTES - 1), to: nowMinute + WINDOW_MINUTES + 1 };
}

/**
 * When a bucket item may be deleted: after the last minute any reader reads it (as the chart's
 * oldest minute), with an hour of margin for TTL's own lag being irrelevant to correctness.
 */
export function bucketExpiresAt(minute: number): number {
  return (minute + WINDOW_MINUTES + 60) * 60;
}
