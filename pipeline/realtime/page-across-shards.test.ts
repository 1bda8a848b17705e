import fc from 'fast-check';
import {
  PagingError,
  pageAcrossShards,
  type ReadShardPage,
  type ShardItem,
} from './page-across-shards';

interface Row extends ShardItem {
  readonly expired: boolean;
}

/**
 * An in-memory shard with DynamoDB Query semantics: sorted by key, `Limit` counts evaluated
 * items before the filter, and LastEvaluatedKey is set whenever the limit stopped the read
 * (even when nothing follows, as DynamoDB does).
 */
function shardReader(shards: readonly (readonly Row[])[]): ReadShardPage<Row> & { calls: number } {
  const sorted = shards.map((rows) =>
    [...rows].sort((a, b) => (a.sessionId < b.sessionId ? -1 : 1)),
  );
  const read = async ({
    shard,
    after,
    limit,
  }: {
    shard: number;
    after: string | undefined;
    limit: number;
  }) => {
    read.calls += 1;
    const rows = (sorted[shard] ?? []).filter((r) => after === undefined || r.sessionId > after);
    const evaluated = rows.slice(0, limit);
    return {
      items: evaluated.filter((r) => !r.expired),
      lastEvaluated:
        evaluated.length === limit ? evaluated[evaluated.length - 1]?.sessionId : undefined,
    };
  };
  read.calls = 0;
  return read;
}

async function readAll(read: ReadShardPage<Row>, shardCount: number, limit: number) {
  const pages: string[][] = [];
  let after: string | undefined;
  for (let guard = 0; guard < 10_000; guard += 1) {
    const page = await pageAcrossShards(read, { shardCount, limit, after });
    pages.push(page.items.map((i) => i.sessionId));
    if (page.nextAfter === undefined) return pages;
    after = page.nextAfter;
  }
  throw new Error('paging did not end');
}

describe('pageAcrossShards', () => {
  it('merges shards in sessionId order and pages with a position', async () => {
    const read = shardReader([
      [
        { sessionId: 'a', expired: false },
        { sessionId: 'd', expired: false },
      ],
      [
        { sessionId: 'b', expired: false },
        { sessionId: 'e', expired: false },
      ],
      [{ sessionId: 'c', expired: false }],
    ]);

    const pages = await readAll(read, 3, 2);

    expect(pages).toEqual([['a', 'b'], ['c', 'd'], ['e']]);
  });

  it('does not let a filtered-out run of one shard make a page skip or repeat items', async () => {
    // Shard 0 holds many expired items before its live ones: its first reads return nothing.
    const shard0: Row[] = [
      ...Array.from({ length: 6 }, (_, i) => ({ sessionId: `a${i}`, expired: true })),
      { sessionId: 'b', expired: false },
    ];
    const shard1: Row[] = [
      { sessionId: 'c', expired: false },
      { sessionId: 'd', expired: false },
    ];
    const read = shardReader([shard0, shard1]);

    const first = await pageAcrossShards(read, { shardCount: 2, limit: 2, after: undefined });

    expect(first.items.map((i) => i.sessionId)).toEqual(['b', 'c']);
    expect(first.nextAfter).toBe('c');
    expect(first.reads).toBeGreaterThan(2);
  });

  it('returns every live item exactly once, in order, whatever the shards and page size', async () => {
    const row = fc.record({
      sessionId: fc.stringMatching(/^[A-Za-z0-9_-]{1,6}$/),
      expired: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(row, { selector: (r) => r.sessionId, maxLength: 60 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 7 }),
        fc.infiniteStream(fc.nat()),
        async (rows, shardCount, limit, shardPicks) => {
          const shards: Row[][] = Array.from({ length: shardCount }, () => []);
          const picks = shardPicks[Symbol.iterator]();
          for (const r of rows) shards[(picks.next().value as number) % shardCount]?.push(r);

          const pages = await readAll(shardReader(shards), shardCount, limit);

          const expected = rows
            .filter((r) => !r.expired)
            .map((r) => r.sessionId)
            .sort((a, b) => (a < b ? -1 : 1));
          expect(pages.flat()).toEqual(expected);
          expect(pages.slice(0, -1).every((p) => p.length === limit)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a limit or shard count that cannot page', async () => {
    const read = shardReader([[]]);
    await expect(
      pageAcrossShards(read, { shardCount: 1, limit: 0, after: undefined }),
    ).rejects.toThrow(PagingError);
    await expect(
      pageAcrossShards(read, { shardCount: 0, limit: 5, after: undefined }),
    ).rejects.toThrow(/shardCount is 0/);
  });
});
