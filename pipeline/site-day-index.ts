/**
 * Keys of the Sessions `bySiteDay` index (infra/resources.ts SESSIONS_BY_SITE_DAY_INDEX) and the
 * merge its readers need. A site's sessions of one day are split over SITE_DAY_SPLITS index keys
 * `${siteId}#${yyyy-mm-dd}#${split}`, the split a stable hash of the sessionId: one key took
 * every new session of a site, and at 30,000 events/s of one site that is ~1,500 index writes a
 * second on one partition key (limit 1,000; README "Scale"). Writers pay nothing for the split
 * (each new session writes one entry either way); readers query every split and merge.
 *
 * The split count is a constant, not a stage setting: its only cost is on the readers (the
 * offline rebuild), SITE_DAY_SPLITS queries per day instead of one, while a per-site or per-stage
 * count would have to be known by every reader of every past day (90 days of retention).
 * Items written before the split have the key `${siteId}#${yyyy-mm-dd}` (LEGACY): readers query
 * it too until those items have expired.
 */
import { PipelineArgumentError } from './errors';
import { fnv1a32 } from './stable-hash';
import { utcDay } from './utc-day';

/** Index keys per site and day: ≤ 500 new sessions/s per key (half the limit) × 4 = 2,000/s. */
export const SITE_DAY_SPLITS = 4;

/** The split of a session: stable across processes and deliveries (a pure function of its id). */
export function siteDaySplit(sessionId: string): number {
  return fnv1a32(sessionId) % SITE_DAY_SPLITS;
}

/** The index key a session's Sessions item carries (`siteDay`). */
export function siteDayKey(siteId: string, startedAt: number, sessionId: string): string {
  return `${siteId}#${utcDay(startedAt)}#${siteDaySplit(sessionId)}`;
}

/** Every index key a reader of one site and day queries: each split, then the legacy key. */
export function siteDayKeys(siteId: string, day: string): readonly string[] {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) {
    throw new PipelineArgumentError('day', day, 'a UTC day yyyy-mm-dd');
  }
  return [
    ...Array.from({ length: SITE_DAY_SPLITS }, (_, split) => `${siteId}#${day}#${split}`),
    `${siteId}#${day}`,
  ];
}

/** An index entry as a reader sees it: its start time and the Sessions pk. */
export interface SiteDayEntry {
  readonly startedAt: number;
  readonly pk: string;
}

/**
 * Merges lists that are each in index order (startedAt ascending, as DynamoDB returns one key's
 * Query) into one list in startedAt order: the order one unsplit key gave. Heads with equal
 * startedAt in different keys come out by pk, so the output does not depend on which split
 * answered first; within one key, entries keep the order DynamoDB gave (an index does not order
 * equal sort keys).
 */
export function mergeSiteDayLists<T extends SiteDayEntry>(lists: readonly (readonly T[])[]): T[] {
  const merged: T[] = [];
  const at = lists.map(() => 0);
  for (;;) {
    let best = -1;
    let bestEntry: T | undefined;
    lists.forEach((list, i) => {
      const entry = list[at[i] as number];
      if (
        entry !== undefined &&
        (bestEntry === undefined || compareEntries(entry, bestEntry) < 0)
      ) {
        best = i;
        bestEntry = entry;
      }
    });
    if (bestEntry === undefined) return merged;
    merged.push(bestEntry);
    at[best] = (at[best] as number) + 1;
  }
}

export function compareEntries(a: SiteDayEntry, b: SiteDayEntry): number {
  if (a.startedAt !== b.startedAt) return a.startedAt - b.startedAt;
  return a.pk < b.pk ? -1 : a.pk > b.pk ? 1 : 0;
}

/**
 * The same merge over pages as a reader gets them (one DynamoDB Query per key, page by page):
 * each source must be in index order; entries come out in (startedAt, pk) order while only one
 * page per source is held, so a day of a busy site never sits in memory at once.
 */
export async function* mergeSiteDayPages<T extends SiteDayEntry>(
  sources: readonly AsyncIterable<readonly T[]>[],
): AsyncGenerator<T> {
  const heads = sources.map((source) => ({
    pages: source[Symbol.asyncIterator](),
    page: [] as readonly T[],
    at: 0,
    done: false,
  }));
  /** Makes `head` hold an unread entry, or marks it done. */
  const fill = async (head: (typeof heads)[number]): Promise<void> => {
    while (!head.done && head.at >= head.page.length) {
      const next = await head.pages.next();
      if (next.done === true) head.done = true;
      else {
        head.page = next.value;
        head.at = 0;
      }
    }
  };
  await Promise.all(heads.map(fill));
  for (;;) {
    let best: (typeof heads)[number] | undefined;
    for (const head of heads) {
      if (head.done) continue;
      if (
        best === undefined ||
        compareEntries(head.page[head.at] as T, best.page[best.at] as T) < 0
      ) {
        best = head;
      }
    }
    if (best === undefined) return;
    yield best.page[best.at] as T;
    best.at += 1;
    await fill(best);
  }
}
