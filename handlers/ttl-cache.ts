/**
 * A small time-to-live cache with single flight: while a value is computed, every caller of the
 * same key waits for that one computation, so a burst of dashboard refreshes costs one read.
 * A failed computation is not cached (the next caller tries again).
 *
 * Bounded by entries and by bytes, whatever the callers send: keys can come from clients (the
 * local authorizer caches a decision per token and site, and distinct wrong tokens are free to
 * make), and every entry can be fresh at once, so dropping only stale entries bounds nothing.
 * Over a bound the least recently used entries go first, in O(1) each (a Map keeps insertion
 * order; a hit moves its entry to the end). pipeline/bounded-cache.ts bounds entries only and
 * has no expiry or removal, which is why this cache keeps its own order.
 */
export interface TtlCache<V> {
  get(key: string, compute: () => Promise<V>): Promise<V>;
  /** Entries held (fresh, stale or being computed). */
  readonly size: number;
  /** Bytes held as this cache counts them: UTF-8 bytes of the keys plus `weigh` of the values. */
  readonly bytes: number;
}

interface Entry<V> {
  readonly value: Promise<V>;
  /** Epoch ms after which the entry is stale; Infinity while the computation runs. */
  expiresAt: number;
  /** Counted bytes: the key's, plus the value's once it is known. */
  bytes: number;
}

export interface TtlCacheOptions<V> {
  readonly ttlMs: number;
  readonly clock?: () => number;
  /** Most entries held at once (default 1,000). */
  readonly maxEntries?: number;
  /**
   * Most bytes held at once, keys and weighed values together (default 1 MiB). A key or an
   * entry larger than this on its own is computed but not cached.
   */
  readonly maxBytes?: number;
  /** Bytes a value holds, for `maxBytes` (default: 0, only keys are counted). */
  readonly weigh?: (value: V) => number;
}

export const TTL_CACHE_DEFAULTS = { maxEntries: 1_000, maxBytes: 1024 * 1024 } as const;

export function createTtlCache<V>(options: TtlCacheOptions<V>): TtlCache<V> {
  const { ttlMs } = options;
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? TTL_CACHE_DEFAULTS.maxEntries;
  const maxBytes = options.maxBytes ?? TTL_CACHE_DEFAULTS.maxBytes;
  const weigh = options.weigh ?? (() => 0);
  if (!Number.isFinite(ttlMs) || ttlMs < 0) {
    throw new RangeError(`ttlMs is ${ttlMs} (expected a finite number >= 0)`);
  }
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries is ${maxEntries} (expected an integer >= 1)`);
  }
  if (!Number.isInteger(maxBytes) || maxBytes < 1) {
    throw new RangeError(`maxBytes is ${maxBytes} (expected an integer >= 1)`);
  }
  /** In order of last use: the first entry is the least recently used. */
  const entries = new Map<string, Entry<V>>();
  let bytes = 0;

  function remove(key: string, entry: Entry<V>): void {
    if (entries.get(key) !== entry) return;
    entries.delete(key);
    bytes -= entry.bytes;
  }

  function evictOverBounds(): void {
    for (const [key, entry] of entries) {
      if (entries.size <= maxEntries && bytes <= maxBytes) return;
      remove(key, entry);
    }
  }

  return {
    get(key, compute) {
      if (ttlMs === 0) return compute();
      const keyBytes = Buffer.byteLength(key, 'utf8');
      if (keyBytes > maxBytes) return compute();
      const now = clock();
      const found = entries.get(key);
      if (found !== undefined) {
        if (found.expiresAt > now) {
          entries.delete(key);
          entries.set(key, found);
          return found.value;
        }
        remove(key, found);
      }
      const entry: Entry<V> = { value: compute(), expiresAt: Infinity, bytes: keyBytes };
      entries.set(key, entry);
      bytes += keyBytes;
      evictOverBounds();
      entry.value.then(
        (value) => {
          // Evicted while it was computed: nothing of it is held any more.
          if (entries.get(key) !== entry) return;
          entry.expiresAt = clock() + ttlMs;
          const valueBytes = weigh(value);
          entry.bytes += valueBytes;
          bytes += valueBytes;
          if (entry.bytes > maxBytes) remove(key, entry);
          else evictOverBounds();
        },
        () => remove(key, entry),
      );
      return entry.value;
    },
    get size() {
      return entries.size;
    },
    get bytes() {
      return bytes;
    },
  };
}
