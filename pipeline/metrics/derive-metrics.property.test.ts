/**
 * However the consumer splits a session's events into writes (batches, arrival order, late
 * events), the metrics derived from the resulting stream of images add up to the same totals
 * as one INSERT of the final state: the derivation depends on the images only, not on how
 * the session got there.
 */
import fc from 'fast-check';
import type { EnrichedEvent } from '../../schemas';
import { toSessionItem } from '../items';
import { foldEvents } from '../session-aggregate';
import { currentMinutes } from './activity-minutes';
import { deriveMetrics, type MetricPoint } from './derive-metrics';
import type { SiteMetricName } from '../../schemas/business-metrics';
import type { StreamChange } from './stream-change';
import { MINUTE, events } from './__fixtures__/stream-changes';

const eventSpec = fc.record({
  at: fc.integer({ min: 0, max: 25 * MINUTE }),
  type: fc.constantFrom('pageview' as const, 'engagement' as const, 'custom' as const),
  engagedMs: fc.integer({ min: 0, max: 20_000 }),
});

/** Events with distinct seqs, a random arrival order and random cut points into writes. */
const history = fc.array(eventSpec, { minLength: 1, maxLength: 12 }).chain((specs) =>
  fc.record({
    events: fc.constant(events(...specs.map((spec, seq) => ({ ...spec, seq })))),
    order: fc.shuffledSubarray(
      specs.map((_, i) => i),
      { minLength: specs.length, maxLength: specs.length },
    ),
    cuts: fc.array(fc.boolean(), { minLength: specs.length, maxLength: specs.length }),
  }),
);

/** The images the Sessions stream carries for that schedule: one per write. */
function changesOf(
  all: readonly EnrichedEvent[],
  order: readonly number[],
  cuts: readonly boolean[],
) {
  const changes: StreamChange[] = [];
  let applied: EnrichedEvent[] = [];
  let previous: ReturnType<typeof toSessionItem> | undefined;
  order.forEach((index, position) => {
    applied = [...applied, all[index] as EnrichedEvent];
    const last = position === order.length - 1;
    if (!cuts[position] && !last) return;
    const item = toSessionItem(foldEvents(applied), (previous?.version ?? 0) + 1);
    const recordTimeMs = item.lastSeen + 1_000;
    changes.push(
      previous === undefined
        ? { table: 'sessions', eventName: 'INSERT', newImage: item, recordTimeMs }
        : {
            table: 'sessions',
            eventName: 'MODIFY',
            oldImage: previous,
            newImage: item,
            recordTimeMs,
          },
    );
    previous = item;
  });
  return { changes, final: previous };
}

function pointsOf(change: StreamChange): readonly MetricPoint[] {
  const derivation = deriveMetrics(change);
  if (!derivation.ok) throw new Error(derivation.problems.join('; '));
  return derivation.points;
}

function totals(points: readonly MetricPoint[]): Partial<Record<SiteMetricName, number>> {
  const sums: Partial<Record<SiteMetricName, number>> = {};
  for (const p of points) sums[p.name] = (sums[p.name] ?? 0) + p.value;
  return sums;
}

function perMinute(points: readonly MetricPoint[], name: SiteMetricName): Map<number, number> {
  const counts = new Map<number, number>();
  for (const p of points)
    if (p.name === name) counts.set(p.minute, (counts.get(p.minute) ?? 0) + p.value);
  return counts;
}

const COUNTERS: readonly SiteMetricName[] = [
  'SessionsStarted',
  'PageViews',
  'Events',
  'EngagementEvents',
  'CustomEvents',
  'EngagedTime',
];

describe('deriveMetrics over a whole session history', () => {
  it('adds up to the final state’s counters and active minutes, whatever the batching', () => {
    fc.assert(
      fc.property(history, ({ events: all, order, cuts }) => {
        const { changes, final } = changesOf(all, order, cuts);
        if (final === undefined) throw new Error('a history has at least one write');
        const streamed = changes.flatMap(pointsOf);
        const once = pointsOf({
          table: 'sessions',
          eventName: 'INSERT',
          newImage: final,
          recordTimeMs: final.lastSeen + 1_000,
        });

        for (const counter of COUNTERS) {
          expect(totals(streamed)[counter] ?? 0).toBe(totals(once)[counter] ?? 0);
        }
        expect(perMinute(streamed, 'ActiveSessionMinutes')).toEqual(
          perMinute(once, 'ActiveSessionMinutes'),
        );
      }),
      { numRuns: 300 },
    );
  });

  it('counts a session at most once per minute as a current visitor, whatever the order', () => {
    fc.assert(
      fc.property(history, ({ events: all, order, cuts }) => {
        const { changes } = changesOf(all, order, cuts);
        const counted = perMinute(changes.flatMap(pointsOf), 'CurrentVisitorMinutes');

        expect([...counted.values()].every((value) => value === 1)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('counts every minute of the final state as a current visitor when events arrive in order', () => {
    fc.assert(
      fc.property(history, ({ events: all, cuts }) => {
        const inOrder = all
          .map((event, index) => ({ index, at: event.receivedAt }))
          .sort((a, b) => a.at - b.at)
          .map(({ index }) => index);
        const { changes, final } = changesOf(all, inOrder, cuts);
        if (final === undefined) throw new Error('a history has at least one write');
        const counted = perMinute(changes.flatMap(pointsOf), 'CurrentVisitorMinutes');

        for (const minute of currentMinutes(final)) expect(counted.get(minute)).toBe(1);
      }),
      { numRuns: 300 },
    );
  });
});
