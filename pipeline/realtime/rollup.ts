/**
 * The realtime rollup: per-site, per-minute counters from which `/realtime` is answered by
 * reading about thirty small items instead of every active session. Pure: callers pass
 * ActiveSessions images (before and after a change) and the clock.
 *
 * A session's *contribution* is a handful of counter cells, all in one bucket: the minute its
 * item expires in (E = expiresAt / 60), so a change touches at most two buckets (the old E and
 * the new one) and often one.
 *
 * | cell             | meaning                                                          |
 * |------------------|------------------------------------------------------------------|
 * | `A:<ss>`         | a human session active until second ss of minute E               |
 * | `B:<ss>`         | a bot session active until second ss of minute E                 |
 * | `C:<offset>`     | a human session current until second E·60 + offset (offset < 0)  |
 * | `P:<page>`, `S:<source>`, `D:<device>`, `K:<country>` | the active human session's page now, source, device, country |
 * | `V:<offset>`     | page views of human sessions in minute E + offset                |
 * | `O:<kind>`       | "other": sessions of breakdown P, S, D or K whose name has no cell of its own |
 * | `N:<kind>`       | how many named cells of breakdown P, S, D or K the bucket was given (a cap's counter) |
 *
 * What one bucket item can hold is bounded by design, so no input makes it exceed DynamoDB's
 * 400 KB: `A`/`B` name a second (≤ 60 each); `C` and `V` cells that no reader of the bucket would
 * ever count are not written (≤ 31·60 + 1 and ≤ 61); names are cut to MAX_NAME_BYTES; and each
 * breakdown keeps at most NAMES_PER_BREAKDOWN named cells, the rest counting under its `O` cell
 * (bucket-names.ts decides which, with what the writer read of the item). Bounded: under 70 KB.
 *
 * A change moves its contribution: delta = contribution(after) − contribution(before); page
 * views only ever grow (they happened). Applied once per change (the writer's job), the counters
 * equal a direct count over the current ActiveSessions images, with two documented differences:
 * - breakdowns count a session until the end of the minute it expires in (the headline counts,
 *   kept per second, are exact to the second);
 * - current visitors are counted per session: one visitor with two simultaneous sessions counts
 *   twice (a distinct count cannot be kept as counters).
 */
import { REALTIME_WINDOWS } from '../../schemas/query';
import { epochMinute } from '../session-aggregate';
import { CURRENT_VISITOR_WINDOW_MS } from './activity';

const WINDOW_MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

/**
 * Longest breakdown name kept in a cell, in UTF-8 bytes (what DynamoDB's item size counts); a
 * longer name is cut on a character boundary and ends with NAME_CUT_MARKER.
 */
export const MAX_NAME_BYTES = 160;

/** Ends a name that was cut to MAX_NAME_BYTES. */
export const NAME_CUT_MARKER = '…';

/** Breakdowns: current page, traffic source, device type, country. */
export const BREAKDOWN_KINDS = ['P', 'S', 'D', 'K'] as const;
export type BreakdownKind = (typeof BREAKDOWN_KINDS)[number];

/** `C` cells at or below this offset are never counted: the bucket is only read 31 minutes ahead. */
const LOWEST_CURRENT_OFFSET = -(WINDOW_MINUTES + 1) * 60;
/** A `C` offset at or past the bucket's end counts for every reader of it, as this one does. */
const HIGHEST_CURRENT_OFFSET = 60;
/** `V` offsets a reader of the bucket can chart (its chart's 30 minutes, read ≤ 31 minutes ahead). */
const LOWEST_PAGEVIEW_OFFSET = -2 * WINDOW_MINUTES;

/** `name` cut to at most MAX_NAME_BYTES of UTF-8, on a character boundary, marked when cut. */
export function cellNameOf(name: string): string {
  if (Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) return name;
  const budget = MAX_NAME_BYTES - Buffer.byteLength(NAME_CUT_MARKER, 'utf8');
  let bytes = 0;
  let cut = '';
  for (const char of name) {
    const size = Buffer.byteLength(char, 'utf8');
    if (bytes + size > budget) break;
    bytes += size;
    cut += char;
  }
  return cut + NAME_CUT_MARKER;
}

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

/** The bucket of a session: the minute its item expires in. */
function bucketOf(image: RollupSessionImage): number {
  return Math.floor(image.expiresAt / 60);
}

/** The cells of one image except page views (which only ever grow; see `changeDelta`). */
function addStateCells(delta: SiteDelta, image: RollupSessionImage, sign: 1 | -1): void {
  const minute = bucketOf(image);
  // Seconds as two digits keep cell names short.
  const second = String(image.expiresAt - minute * 60).padStart(2, '0');
  if (image.isBot) {
    add(delta, minute, `B:${second}`, sign);
    return;
  }
  add(delta, minute, `A:${second}`, sign);
  // A session with engagement pings only has no current page to rank.
  if (image.currentPage !== '') add(delta, minute, `P:${cellNameOf(image.currentPage)}`, sign);
  add(delta, minute, `S:${cellNameOf(image.source)}`, sign);
  add(delta, minute, `D:${cellNameOf(image.deviceType)}`, sign);
  add(delta, minute, `K:${cellNameOf(image.country)}`, sign);
  // 0: no page view or custom event yet, never current.
  if (image.lastInteractionAt > 0) {
    const offset = currentUntilSecond(image.lastInteractionAt) - minute * 60;
    if (offset > LOWEST_CURRENT_OFFSET) {
      add(delta, minute, `C:${Math.min(offset, HIGHEST_CURRENT_OFFSET)}`, sign);
    }
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
    const minute = bucketOf(after);
    for (const [minuteKey, count] of Object.entries(after.pageviewMinutes)) {
      const grown = count - (counted[minuteKey] ?? 0);
      const offset = Number(minuteKey) - minute;
      if (grown > 0 && offset >= LOWEST_PAGEVIEW_OFFSET && offset <= 0) {
        add(delta, minute, `V:${offset}`, grown);
      }
    }
  }
  return delta;
}

/**
 * The part of a delta that a reader at `nowMs` or later can still see: the buckets of the
 * current minute on. An earlier bucket's sessions have expired, and its page views are older
 * than the chart (they happened at least 30 minutes before the bucket's minute); writing it
 * would cost write units for an item nobody reads again.
 */
export function visibleFrom(delta: SiteDelta, nowMs: number): SiteDelta {
  const nowMinute = epochMinute(nowMs);
  const visible: SiteDelta = new Map();
  for (const [minute, cells] of delta) {
    if (minute >= nowMinute) visible.set(minute, new Map(cells));
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
  const nowMinute = epochMinute(nowMs);
  // Sessions expire at most 30 minutes (+1 for the rounding of `expiresAt` seconds) ahead; the
  // page views of the chart sit in the buckets of sessions that were active then, all ahead.
  return { from: nowMinute, to: nowMinute + WINDOW_MINUTES + 1 };
}

/**
 * When a bucket item may be deleted: after its minute no reader reads it; an hour of margin, as
 * TTL's own lag is irrelevant to correctness.
 */
export function bucketExpiresAt(minute: number): number {
  return (minute + 1 + 60) * 60;
}
