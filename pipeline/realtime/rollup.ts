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
 * | `P:<page>`, `S:<source>`, `D:<device>`, `K:<country>`, `W:<browser>`, `Y:<os>` | the active human session's page now, source, device, country, browser, operating system |
 * | `E:<name>`, `F:<name>` | sessions with custom event `name`, and how many such events they sent |
 * | `L:<url>`, `M:<url>`   | sessions that clicked outbound link `url`, and their clicks        |
 * | `G:<page>`, `T:<page>` | sessions engaged on `page` (an engagement event), and their engaged ms |
 * | `J:<page>`, `H:<page>` | sessions that reported a scroll depth on `page`, and the sum of their deepest (%) |
 * | `V:<offset>`     | page views of human sessions in minute E + offset                |
 * | `O:<kind>`       | "other": the amount of breakdown <kind> whose name has no cell of its own |
 * | `N:<kind>`       | how many named cells of breakdown <kind> the bucket was given (a cap's counter) |
 *
 * The per-name activity (E/F, L/M, G/T, J/H) comes from the session's own capped maps
 * (pipeline/capped-names.ts: ≤ 8 names and `(other)` per map), whole-session figures: a
 * session active in the window counts with everything it did, as its page views count in
 * `pageviews`.
 *
 * What one bucket item can hold is bounded by design, so no input makes it exceed DynamoDB's
 * 400 KB: `A`/`B` name a second (≤ 60 each); `C` and `V` cells that no reader of the bucket would
 * ever count are not written (≤ 31·60 + 1 and ≤ 61); names are cut to MAX_NAME_BYTES; and each
 * breakdown keeps at most NAMES_PER_BREAKDOWN named cells, the rest counting under its `O` cell
 * (bucket-names.ts decides which, with what the writer read of the item). Bounded: under 200 KB
 * (14 breakdowns × 64 names × ~166 B + ~20 KB of headline cells; a test fills every one).
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
import { cellNameOf } from '../capped-names';
import { epochMinute } from '../session-aggregate';
import { CURRENT_VISITOR_WINDOW_MS } from './activity';

const WINDOW_MINUTES = REALTIME_WINDOWS.activeSessionsMinutes;

/**
 * Breakdowns, by the letter of their cells, with the tally each one feeds (answer-parts.ts). Each
 * is capped on its own (bucket-names.ts): at most NAMES_PER_BREAKDOWN named cells per bucket.
 */
export const BREAKDOWNS = {
  P: 'pages',
  S: 'sources',
  D: 'devices',
  K: 'countries',
  W: 'browsers',
  Y: 'operatingSystems',
  E: 'eventSessions',
  F: 'events',
  L: 'linkSessions',
  M: 'linkClicks',
  G: 'engagedSessions',
  T: 'engagedMs',
  J: 'scrolledSessions',
  H: 'scrollDepthSum',
} as const;
export type BreakdownKind = keyof typeof BREAKDOWNS;
export type BreakdownTally = (typeof BREAKDOWNS)[BreakdownKind];
export const BREAKDOWN_KINDS = Object.keys(BREAKDOWNS) as BreakdownKind[];

/** `C` cells at or below this offset are never counted: the bucket is only read 31 minutes ahead. */
const LOWEST_CURRENT_OFFSET = -(WINDOW_MINUTES + 1) * 60;
/** A `C` offset at or past the bucket's end counts for every reader of it, as this one does. */
const HIGHEST_CURRENT_OFFSET = 60;
/** `V` offsets a reader of the bucket can chart (its chart's 30 minutes, read ≤ 31 minutes ahead). */
const LOWEST_PAGEVIEW_OFFSET = -2 * WINDOW_MINUTES;

/** What of an ActiveSessions image the rollup reads. */
export interface RollupSessionImage {
  readonly expiresAt: number;
  readonly lastInteractionAt: number;
  readonly isBot: boolean;
  readonly currentPage: string;
  readonly source: string;
  readonly deviceType: string;
  readonly country: string;
  /** Always on items the consumer writes; optional so a partial image (tests, tools) still rolls up. */
  readonly browser?: string | undefined;
  readonly os?: string | undefined;
  readonly pageviewMinutes: Readonly<Record<string, number>>;
  readonly eventNames?: Readonly<Record<string, number>> | undefined;
  readonly outboundLinks?: Readonly<Record<string, number>> | undefined;
  readonly pageEngagedMs?: Readonly<Record<string, number>> | undefined;
  readonly pageScrollDepth?: Readonly<Record<string, number>> | undefined;
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
  if (image.browser !== undefined) add(delta, minute, `W:${cellNameOf(image.browser)}`, sign);
  if (image.os !== undefined) add(delta, minute, `Y:${cellNameOf(image.os)}`, sign);
  addNamed(delta, minute, 'E', 'F', image.eventNames, sign);
  addNamed(delta, minute, 'L', 'M', image.outboundLinks, sign);
  addNamed(delta, minute, 'G', 'T', image.pageEngagedMs, sign);
  addNamed(delta, minute, 'J', 'H', image.pageScrollDepth, sign);
  // 0: no page view or custom event yet, never current.
  if (image.lastInteractionAt > 0) {
    const offset = currentUntilSecond(image.lastInteractionAt) - minute * 60;
    if (offset > LOWEST_CURRENT_OFFSET) {
      add(delta, minute, `C:${Math.min(offset, HIGHEST_CURRENT_OFFSET)}`, sign);
    }
  }
}

/** Per name of a session's map: the session in `sessions`, its amount in `amounts`. */
function addNamed(
  delta: SiteDelta,
  minute: number,
  sessions: BreakdownKind,
  amounts: BreakdownKind,
  counts: Readonly<Record<string, number>> | undefined,
  sign: 1 | -1,
): void {
  if (counts === undefined) return;
  for (const name of Object.keys(counts)) {
    const cell = cellNameOf(name);
    add(delta, minute, `${sessions}:${cell}`, sign);
    const amount = counts[name] as number;
    if (amount !== 0) add(delta, minute, `${amounts}:${cell}`, sign * amount);
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
