/** Calendar days in UTC, the unit of the visitor salt, the Sessions day index and bad-row keys. */

const DAY_MS = 86_400_000;

/** `yyyy-mm-dd` (UTC) of an epoch-millisecond instant. */
export function utcDay(epochMs: number): string {
  return new Date(Math.floor(epochMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days since the epoch (UTC): a cheap cache key for `utcDay`. */
export function dayNumber(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS);
}
