/**
 * One page of a site's active sessions, merged from every ActiveSessions shard in sessionId
 * order. The shards are read in parallel through a port (one DynamoDB Query per shard in
 * production, an array in unit tests).
 *
 * Why this is more than "query each shard and concatenate": the expiry filter runs after
 * DynamoDB's Limit, so a shard can answer fewer items than asked while holding more. A shard's
 * answer is complete only up to the last key it evaluated (its frontier); an item of another
 * shard beyond the lowest frontier may not be emitted yet, or a later page would have to go
 * back in order. The loop reads further from the shards that hold up the page until it is full
 * or every shard is exhausted. Each round moves at least one frontier forward, so it ends.
 */

/** sessionIds are `[A-Za-z0-9_-]` (schemas/ingest.ts), where JS and DynamoDB order agree. */
export interface ShardItem {
  readonly sessionId: string;
}

export interface ShardPageRequest {
  readonly shard: number;
  /** Start after this sessionId (exclusive); from the start of the shard when undefined. */
  readonly after: string | undefined;
  /** Items the shard may evaluate (DynamoDB's Limit, applied before the expiry filter). */
  readonly limit: number;
}

export interface ShardPage<T extends ShardItem> {
  /** Items that passed the filter, in sessionId order. */
  readonly items: readonly T[];
  /** Sort key of the last evaluated item when the shard holds more; undefined when exhausted. */
  readonly lastEvaluated: string | undefined;
}

export type ReadShardPage<T extends ShardItem> = (
  request: ShardPageRequest,
) => Promise<ShardPage<T>>;

export interface PageRequest {
  readonly shardCount: number;
  readonly limit: number;
  readonly after: string | undefined;
}

export interface MergedPage<T extends ShardItem> {
  readonly items: readonly T[];
  /** Last sessionId of this page when more may follow; undefined on the last page. */
  readonly nextAfter: string | undefined;
  /** Shard reads made, for tests and metrics. */
  readonly reads: number;
}

export class PagingError extends RangeError {
  override readonly name = 'PagingError';
}

interface ShardState<T> {
  readonly shard: number;
  readonly buffered: T[];
  /** undefined once exhausted. */
  frontier: string | undefined;
  exhausted: boolean;
}

export async function pageAcrossShards<T extends ShardItem>(
  read: ReadShardPage<T>,
  request: PageRequest,
): Promise<MergedPage<T>> {
  const { shardCount, limit, after } = request;
  if (!Number.isInteger(shardCount) || shardCount < 1) {
    throw new PagingError(`shardCount is ${shardCount} (expected an integer >= 1)`);
  }
  if (!Number.isInteger(limit) || limit < 1) {
    throw new PagingError(`limit is ${limit} (expected an integer >= 1)`);
  }
  const states: ShardState<T>[] = Array.from({ length: shardCount }, (_, shard) => ({
    shard,
    buffered: [],
    frontier: after,
    exhausted: false,
  }));
  let reads = 0;
  let toRead = states;
  for (;;) {
    const pages = await Promise.all(
      toRead.map((state) => read({ shard: state.shard, after: state.frontier, limit })),
    );
    reads += pages.length;
    toRead.forEach((state, i) => {
      const page = pages[i];
      if (page === undefined) return;
      state.buffered.push(...page.items);
      state.frontier = page.lastEvaluated;
      state.exhausted = page.lastEvaluated === undefined;
    });

    const open = states.filter((s) => !s.exhausted);
    // Everything at or below the lowest open frontier is known in every shard.
    const bound = open.reduce<string | undefined>(
      (low, s) => (low === undefined || (s.frontier ?? '') < low ? s.frontier : low),
      undefined,
    );
    const safe = states
      .flatMap((s) => s.buffered)
      .filter((item) => bound === undefined || item.sessionId <= bound)
      .sort((a, b) => compare(a.sessionId, b.sessionId));

    if (safe.length >= limit || open.length === 0) {
      const items = safe.slice(0, limit);
      const last = items[items.length - 1];
      // More follows if a shard is still open or something buffered was not emitted.
      const more = open.length > 0 || totalBuffered(states) > items.length;
      return { items, nextAfter: more && last !== undefined ? last.sessionId : undefined, reads };
    }
    // Read on from the shards whose frontier holds the page back.
    toRead = open.filter((s) => s.frontier === bound);
  }
}

function totalBuffered<T>(states: readonly ShardState<T>[]): number {
  return states.reduce((sum, s) => sum + s.buffered.length, 0);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
