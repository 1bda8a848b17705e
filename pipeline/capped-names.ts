/**
 * Names that end up as attribute names or map keys of DynamoDB items (page paths, custom event
 * names, link URLs, browsers): cut to a byte budget, and per-session maps of them capped in
 * number, so no input can make an item grow without bound. Pure.
 *
 * The per-session cap must keep the session fold a commutative monoid
 * (pipeline/session-aggregate.ts): `capNames` keeps the SESSION_NAMES_PER_MAP smallest names (by
 * UTF-16 code units, a total order) and folds the others into OTHER_NAME. A name dropped from a
 * part is also dropped from any union containing it (the names smaller than it are still
 * there), so cap(a + cap(b)) = cap(a + b) for sums and for maxima alike.
 */

/**
 * Longest name kept, in UTF-8 bytes (what DynamoDB's item size counts); a longer name is cut on a
 * character boundary and ends with NAME_CUT_MARKER.
 */
export const MAX_NAME_BYTES = 160;

/** Ends a name that was cut to MAX_NAME_BYTES. */
export const NAME_CUT_MARKER = '…';

/**
 * The name under which everything beyond a cap is counted: the "other" row of a breakdown, and
 * the key of a session's map that holds what its capped names leave out. Parenthesised, as no
 * page path (they start with "/"), device type, browser or country code looks like it.
 */
export const OTHER_NAME = '(other)';

/** Names a session keeps per map (custom events, outbound links, engaged pages), OTHER_NAME aside. */
export const SESSION_NAMES_PER_MAP = 8;

/** `name` cut to at most MAX_NAME_BYTES of UTF-8, on a character boundary, marked when cut. */
export function cellNameOf(name: string): string {
  // Every UTF-16 unit is at most 3 bytes: short strings need no byte count.
  if (name.length * 3 <= MAX_NAME_BYTES || Buffer.byteLength(name, 'utf8') <= MAX_NAME_BYTES) {
    return name;
  }
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

/**
 * Counts (or maxima) per name. Built with no prototype: names are user-chosen text, and a
 * `__proto__` name must be an ordinary key, not the object's prototype.
 */
export type NameCounts = Record<string, number>;

export function emptyNames(): NameCounts {
  return Object.create(null) as NameCounts;
}

export type Combine = (a: number, b: number) => number;

export const sum: Combine = (a, b) => a + b;
export const max: Combine = (a, b) => (a > b ? a : b);

/** Adds `n` under `name` (cut first) with `combine`, in place; uncapped until `capNames`. */
export function addName(counts: NameCounts, name: string, n: number, combine: Combine): void {
  const key = cellNameOf(name);
  const had = counts[key];
  counts[key] = had === undefined ? n : combine(had, n);
}

/**
 * The map with at most SESSION_NAMES_PER_MAP names of its own: the smallest ones; the rest are
 * combined into OTHER_NAME. Undefined when empty, so a session without any keeps no attribute.
 */
export function capNames(counts: NameCounts, combine: Combine): NameCounts | undefined {
  const names = Object.keys(counts);
  if (names.length === 0) return undefined;
  // The common case, on the consumer's hot path: few names, nothing to cap or allocate.
  if (names.length <= SESSION_NAMES_PER_MAP) return counts;
  const own = names.filter((name) => name !== OTHER_NAME);
  if (own.length <= SESSION_NAMES_PER_MAP) return counts;
  own.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const capped = emptyNames();
  for (const name of own.slice(0, SESSION_NAMES_PER_MAP)) capped[name] = counts[name] as number;
  let other = counts[OTHER_NAME];
  for (const name of own.slice(SESSION_NAMES_PER_MAP)) {
    const n = counts[name] as number;
    other = other === undefined ? n : combine(other, n);
  }
  if (other !== undefined) capped[OTHER_NAME] = other;
  return capped;
}

/** cap(a + b): the union of two capped maps, combined per name, capped again. */
export function mergeNames(
  a: NameCounts | undefined,
  b: NameCounts | undefined,
  combine: Combine,
): NameCounts | undefined {
  if (a === undefined && b === undefined) return undefined;
  const merged = emptyNames();
  for (const name of Object.keys(a ?? {})) merged[name] = (a as NameCounts)[name] as number;
  if (b === undefined) return merged;
  for (const name of Object.keys(b)) {
    const n = b[name] as number;
    const had = merged[name];
    merged[name] = had === undefined ? n : combine(had, n);
  }
  return capNames(merged, combine);
}
