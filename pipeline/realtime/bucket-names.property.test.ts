/**
 * The breakdowns' cap (bucket-names.ts) against the uncapped counters, for any history of
 * sessions moving between many pages, written by two writers (two stream shards) with their own
 * remembered knowledge, one sometimes writing between the other's read and its write:
 * - the headline cells are exactly those of the uncapped counters;
 * - a bucket never holds more than NAMES_PER_BREAKDOWN named cells per breakdown;
 * - a named cell counts exactly the sessions on that name in its bucket, and "other" the rest:
 *   named + other = the uncapped total of the bucket's breakdown.
 */
import fc from 'fast-check';
import {
  NAMES_PER_BREAKDOWN,
  afterWrite,
  isBreakdownCell,
  knownFromCells,
  namesCounterCell,
  resolveNames,
  type KnownNames,
} from './bucket-names';
import {
  BREAKDOWN_KINDS,
  changeDelta,
  mergeInto,
  type BucketCells,
  type RollupSessionImage,
  type SiteDelta,
} from './rollup';

const START_S = Date.UTC(2026, 10, 22, 9, 0, 0) / 1000;

const sessionArb = fc.record({
  // Many distinct pages and sources: more than a bucket's cap.
  steps: fc.array(
    fc.record({
      page: fc.integer({ min: 0, max: 300 }),
      gapS: fc.integer({ min: 0, max: 60 }),
    }),
    { minLength: 1, maxLength: 4 },
  ),
  source: fc.integer({ min: 0, max: 200 }),
  removed: fc.boolean(),
});

type Session = typeof sessionArb extends fc.Arbitrary<infer T> ? T : never;

function changesOf(
  session: Session,
): [RollupSessionImage | undefined, RollupSessionImage | undefined][] {
  let at = START_S;
  const images: RollupSessionImage[] = session.steps.map((step) => {
    at += step.gapS;
    return {
      expiresAt: at + 1800,
      lastInteractionAt: at * 1000,
      isBot: false,
      currentPage: `/page-${step.page}`,
      source: `source-${session.source}`,
      deviceType: 'desktop',
      country: 'DE',
      pageviewMinutes: {},
    };
  });
  const changes: [RollupSessionImage | undefined, RollupSessionImage | undefined][] = images.map(
    (image, i) => [images[i - 1], image],
  );
  if (session.removed) changes.push([images[images.length - 1], undefined]);
  return changes;
}

/** The table: bucket minute → cells, with DynamoDB's ADD and the cap's condition. */
class Store {
  readonly buckets = new Map<number, Map<string, number>>();

  read(minute: number): KnownNames {
    return knownFromCells(this.buckets.get(minute) ?? new Map());
  }

  /** One transaction: every condition holds, or nothing is written. Failing minutes otherwise. */
  commit(plan: readonly Planned[]): number[] {
    const failing = plan.filter(({ minute, resolved }) => {
      const cells = this.buckets.get(minute);
      return [...resolved.creating].some(
        ([kind, made]) =>
          (cells?.get(namesCounterCell(kind)) ?? 0) > NAMES_PER_BREAKDOWN - made.length,
      );
    });
    if (failing.length > 0) return failing.map(({ minute }) => minute);
    for (const { minute, resolved } of plan) {
      const cells = this.buckets.get(minute) ?? new Map<string, number>();
      for (const [cell, n] of resolved.cells) cells.set(cell, (cells.get(cell) ?? 0) + n);
      this.buckets.set(minute, cells);
    }
    return [];
  }
}

interface Planned {
  readonly minute: number;
  readonly known: KnownNames | undefined;
  readonly resolved: Extract<ReturnType<typeof resolveNames>, { kind: 'resolved' }>;
}

/** A writer: what it remembers per bucket, and the adapter's plan (read what it cannot settle). */
class Writer {
  readonly known = new Map<number, KnownNames>();

  constructor(private readonly store: Store) {}

  plan(delta: SiteDelta): Planned[] {
    return [...delta].map(([minute, cells]) => {
      let known = this.known.get(minute);
      let resolved = resolveNames(cells, known);
      if (resolved.kind === 'needs-read') {
        known = this.store.read(minute);
        this.known.set(minute, { ...known, fresh: false });
        resolved = resolveNames(cells, known);
      }
      if (resolved.kind === 'needs-read') throw new Error('a fresh read must settle every name');
      return { minute, known, resolved };
    });
  }

  /** Commits a plan; on a failed cap condition forgets the bucket, plans again and commits. */
  commit(delta: SiteDelta, plan: Planned[]): void {
    // A fresh read settles the cap, so only a write in between can fail a second attempt.
    for (let attempt = 1; ; attempt += 1) {
      const failing = this.store.commit(plan);
      if (failing.length === 0) break;
      if (attempt === 3) throw new Error(`cap condition failed ${attempt} times on ${failing}`);
      for (const minute of failing) this.known.delete(minute);
      plan = this.plan(delta);
    }
    for (const { minute, known, resolved } of plan) {
      if (known !== undefined) this.known.set(minute, afterWrite(known, resolved.creating));
    }
  }
}

function headline(cells: ReadonlyMap<string, number> | undefined): Map<string, number> {
  return new Map(
    [...(cells ?? [])].filter(([cell, n]) => 'ABCV'.includes(cell.charAt(0)) && n !== 0),
  );
}

describe('capped breakdown names', () => {
  it('keeps headline cells exact and breakdowns as named + other, within the cap, for any history and two writers', () => {
    fc.assert(
      fc.property(
        fc.array(sessionArb, { minLength: 150, maxLength: 300 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 50 }),
        (sessions, interleave) => {
          const store = new Store();
          const writers = [new Writer(store), new Writer(store)];
          const uncapped: SiteDelta = new Map();
          // Each session's changes in order, sessions interleaved round robin; a session
          // belongs to one writer (one stream shard), as an item's changes do.
          const queues = sessions.map((session, i) => ({
            writer: i % 2,
            changes: changesOf(session),
          }));
          let step = 0;
          while (queues.some((queue) => queue.changes.length > 0)) {
            for (const queue of queues) {
              const change = queue.changes.shift();
              if (change === undefined) continue;
              const delta = changeDelta(...change);
              mergeInto(uncapped, delta);
              const writer = writers[queue.writer] as Writer;
              const plan = writer.plan(delta);
              // Sometimes the other writer lands a change between this one's read and write.
              const other = queues.find((q) => q.writer !== queue.writer && q.changes.length > 0);
              if (other !== undefined && (interleave[step % interleave.length] ?? 0) === 0) {
                const early = other.changes.shift();
                if (early !== undefined) {
                  const otherDelta = changeDelta(...early);
                  mergeInto(uncapped, otherDelta);
                  const otherWriter = writers[other.writer] as Writer;
                  otherWriter.commit(otherDelta, otherWriter.plan(otherDelta));
                }
              }
              writer.commit(delta, plan);
              step += 1;
            }
          }

          for (const [minute, want] of uncapped) {
            const got = store.buckets.get(minute);
            expect(headline(got)).toEqual(headline(want));
            for (const kind of BREAKDOWN_KINDS) {
              const named = [...(got ?? [])].filter(
                ([cell]) => isBreakdownCell(cell) && cell.charAt(0) === kind,
              );
              expect(named.length).toBeLessThanOrEqual(NAMES_PER_BREAKDOWN);
              for (const [cell, n] of named) expect(n).toBe(want.get(cell) ?? 0);
              const total = (cells: BucketCells | Map<string, number>) =>
                [...cells]
                  .filter(([cell]) => isBreakdownCell(cell) && cell.charAt(0) === kind)
                  .reduce((sum, [, n]) => sum + n, 0);
              expect(total(got ?? new Map()) + (got?.get(`O:${kind}`) ?? 0)).toBe(total(want));
            }
          }
        },
      ),
      { numRuns: 30 },
    );
  });
});
