/**
 * A small time-to-live cache with single flight: while a value is computed, every caller of the
 * same key waits for that one computation, so a burst of dashboard refreshes costs one read.
 * A failed computation is not cached (the next caller tries again).
 */
export interface TtlCache<V> {
  get(key: string, compute: () => Promise<V>): Promise<V>;
  /** Entries held (fresh or stale), for tests. */
  readonly size: number;
}

interface Entry<V> {
  readonly value: Promise<V>;
  /** Epoch ms after which the entry is stale; Infinity while the computation runs. */
  expiresAt: number;
}

export interface TtlCacheOptions {
  readonly ttlMs: number;
  readonly clock?: () => number;
  /** Entries kept before the stale ones are swept (bounds memory under many keys). */
  readonly maxEntries?: number;
}

export function createTtlCache<V>(options: TtlCacheOptions): TtlCache<V> {
  const { ttlMs } = options;
  const clock = options.clock ?? Date.now;
  const maxEntries = options.maxEntries ?? 1_000;
  if (!Number.isFinite(ttlMs) || ttlMs < 0) {
    throw new RangeError(`ttlMs is ${ttlMs} (expected a finite number >= 0)`);
  }
  const entries = new Map<string, Entry<V>>();

  function sweep(now: number): void {
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
  }

  return {
    get(key, compute) {
      if (ttlMs === 0) return compute();
      const now = clock();
      const found = entries.get(key);
      if (found !== undefined && found.expiresAt > now) return found.value;
      if (entries.size >= maxEntries) sweep(now);
      const entry: Entry<V> = { value: compute(), expiresAt: Infinity };
      entries.set(key, entry);
      entry.value.then(
        () => {
          entry.expiresAt = clock() + ttlMs;
        },
        () => {
          if (entries.get(key) === entry) entries.delete(key);
        },
      );
      return entry.value;
    },
    get size() {
      return entries.size;
    },
  };
}
