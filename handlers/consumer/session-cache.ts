/**
 * The last Sessions item this process wrote (or was shown by a failed condition), per session.
 * It is what makes the steady state cost one request per session per batch: the next write's
 * `prev` and expected version come from here instead of a read. Lambda routes a partition key
 * (sessionId) to the same shard and mostly the same warm environment, so hits are the rule;
 * a miss or a stale entry costs one refused conditional write whose answer carries the stored
 * item (ALL_OLD) — correctness never depends on the cache, only the request count does.
 */
import { BoundedCache } from '../../pipeline/bounded-cache';
import type { SessionItem } from '../../schemas';

/** About 2 KB per entry: 20,000 sessions ≈ 40 MB of a 512 MB function. */
export const DEFAULT_SESSION_CACHE_ENTRIES = 20_000;

export class SessionCache {
  private readonly entries: BoundedCache<string, SessionItem>;

  constructor(capacity = DEFAULT_SESSION_CACHE_ENTRIES) {
    this.entries = new BoundedCache(capacity);
  }

  get(pk: string): SessionItem | undefined {
    return this.entries.get(pk);
  }

  /**
   * Keeps the item last written or last seen stored. Unconditional: the stored item is the
   * authority (after a TTL delete its version restarts at 1), and one session is never written
   * by two concurrent invocations (Lambda keeps a partition key in one ordered lane).
   */
  remember(item: SessionItem): void {
    this.entries.set(item.pk, item);
  }
}
