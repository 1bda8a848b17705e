/** The bySiteDay index split: key builders and the readers' merge order (property tests). */
import fc from 'fast-check';
import {
  SITE_DAY_SPLITS,
  compareEntries,
  mergeSiteDayLists,
  mergeSiteDayPages,
  siteDayKey,
  siteDayKeys,
  siteDaySplit,
  type SiteDayEntry,
} from './site-day-index';

const entry = fc.record({
  startedAt: fc.integer({ min: 0, max: 50 }),
  pk: fc.stringMatching(/^site#[a-c]{1,3}$/),
});

/** Entries spread over the index keys as the writer would, each key's list in index order. */
function byKey(entries: readonly SiteDayEntry[]): SiteDayEntry[][] {
  const lists: SiteDayEntry[][] = Array.from({ length: SITE_DAY_SPLITS + 1 }, () => []);
  entries.forEach((e, i) => lists[i % lists.length]?.push(e));
  // DynamoDB returns one key's entries by startedAt; ties in any order.
  return lists.map((list) => [...list].sort((a, b) => a.startedAt - b.startedAt));
}

async function* pagesOf<T>(list: readonly T[], size: number): AsyncGenerator<readonly T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}

describe('bySiteDay index keys', () => {
  it('puts a session on one of SITE_DAY_SPLITS keys of its site and UTC start day', () => {
    const at = Date.UTC(2026, 11, 8, 23, 59, 59);
    expect(siteDayKey('shop', at, 'sess_a')).toBe(`shop#2026-12-08#${siteDaySplit('sess_a')}`);
    expect(siteDayKeys('shop', '2026-12-08')).toContain(siteDayKey('shop', at, 'sess_a'));
  });

  it('spreads sessions over every split, about evenly', () => {
    const counts = new Array<number>(SITE_DAY_SPLITS).fill(0);
    for (let i = 0; i < 4000; i += 1) {
      const split = siteDaySplit(`s_${i}_x`);
      counts[split] = (counts[split] ?? 0) + 1;
    }
    for (const count of counts) expect(count).toBeGreaterThan(4000 / SITE_DAY_SPLITS / 1.25);
  });

  it('lets readers query every split and the key written before the split', () => {
    expect(siteDayKeys('shop', '2026-12-08')).toEqual([
      ...Array.from({ length: SITE_DAY_SPLITS }, (_, i) => `shop#2026-12-08#${i}`),
      'shop#2026-12-08',
    ]);
    expect(() => siteDayKeys('shop', '2026-12-8')).toThrow(
      'day is "2026-12-8" (expected a UTC day yyyy-mm-dd)',
    );
  });
});

describe('merging the splits', () => {
  it('gives every entry once, in startedAt order, whatever the split', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (entries) => {
        const merged = mergeSiteDayLists(byKey(entries));
        expect([...merged].sort(compareEntries)).toEqual([...entries].sort(compareEntries));
        for (let i = 1; i < merged.length; i += 1) {
          expect((merged[i] as SiteDayEntry).startedAt).toBeGreaterThanOrEqual(
            (merged[i - 1] as SiteDayEntry).startedAt,
          );
        }
      }),
    );
  });

  it('orders equal start times of different splits by pk (one key, sorted the same: the full order)', () => {
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 60 }), (entries) => {
        const lists = byKey(entries).map((list) => [...list].sort(compareEntries));
        expect(mergeSiteDayLists(lists)).toEqual([...entries].sort(compareEntries));
      }),
    );
  });

  it('gives the same over pages of any size as over whole lists', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(entry, { maxLength: 60 }),
        fc.integer({ min: 1, max: 7 }),
        async (entries, pageSize) => {
          const lists = byKey(entries);
          const out: SiteDayEntry[] = [];
          for await (const e of mergeSiteDayPages(lists.map((l) => pagesOf(l, pageSize)))) {
            out.push(e);
          }
          expect(out).toEqual(mergeSiteDayLists(lists));
        },
      ),
    );
  });
});
