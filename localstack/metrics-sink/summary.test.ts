import type { EmfDocument } from './emf-document';
import { LocalMetricsSink } from './metrics-sink';
import { formatSummary } from './summary';

const MINUTE = 60_000;
const NOW = Date.UTC(2026, 10, 21, 12, 30, 20);
const NOW_MINUTE = Math.floor(NOW / MINUTE);

/** A document as the processor writes it: one site, dimension sets [Site] and []. */
function siteDocument(site: string, minute: number, values: Record<string, number>): EmfDocument {
  return {
    timestampMs: minute * MINUTE,
    directives: [
      {
        namespace: 'LiveInsight',
        dimensionSets: [{ Site: site }, {}],
        metrics: Object.entries(values).map(([name, value]) => ({
          name,
          unit: 'Count',
          values: [value],
        })),
      },
    ],
  };
}

function sinkWith(...documents: EmfDocument[]): LocalMetricsSink {
  // The file is never read here: documents go straight into the aggregates.
  const sink = new LocalMetricsSink({ file: '/nonexistent/metrics.jsonl', clock: () => NOW });
  documents.forEach((document) => sink.aggregates.add(document));
  return sink;
}

describe('LocalMetricsSink aggregates', () => {
  it('adds documents of one series and minute, per site and for all sites', () => {
    const sink = sinkWith(
      siteDocument('shop-a', NOW_MINUTE, { PageViews: 2 }),
      siteDocument('shop-a', NOW_MINUTE, { PageViews: 3 }),
      siteDocument('shop-b', NOW_MINUTE, { PageViews: 4 }),
      siteDocument('shop-b', NOW_MINUTE - 1, { PageViews: 10 }),
    );

    expect(sink.sum('PageViews', 'shop-a', NOW_MINUTE)).toBe(5);
    expect(sink.sum('PageViews', undefined, NOW_MINUTE)).toBe(9);
    expect(sink.sum('PageViews', undefined, NOW_MINUTE - 1, NOW_MINUTE)).toBe(19);
    expect(sink.statistics('PageViews', 'shop-a', NOW_MINUTE)).toEqual({
      sum: 5,
      sampleCount: 2,
      minimum: 2,
      maximum: 3,
    });
    expect(sink.sites()).toEqual(['shop-a', 'shop-b']);
  });

  it('forgets minutes older than what it retains', () => {
    const sink = sinkWith(siteDocument('shop-a', NOW_MINUTE - 500, { PageViews: 1 }));

    sink.aggregates.pruneBefore(NOW_MINUTE - 180);

    expect(sink.sum('PageViews', 'shop-a', NOW_MINUTE - 500)).toBe(0);
  });
});

describe('summary', () => {
  const sink = sinkWith(
    siteDocument('shop-a', NOW_MINUTE, {
      ActiveSessionMinutes: 12,
      BotActiveSessionMinutes: 4,
      CurrentVisitorMinutes: 5,
      PageViews: 3,
    }),
    siteDocument('shop-a', NOW_MINUTE - 1, {
      PageViews: 8,
      SessionsStarted: 2,
      EngagedTime: 61_000,
    }),
    siteDocument('shop-a', NOW_MINUTE - 20, {
      SessionsExpired: 4,
      Bounces: 1,
      SessionDuration: 480_000,
    }),
  );

  it('computes the dashboard figures from the metrics', () => {
    const summary = sink.summary();

    expect(summary.sites).toEqual([
      {
        site: 'shop-a',
        activeSessions: 12,
        currentVisitors: 5,
        pageViewsThisMinute: 3,
        pageViewsLastMinute: 8,
        pageViews30Min: 11,
        sessionsStarted30Min: 2,
        events30Min: 0,
        engagedMs30Min: 61_000,
        sessionsExpired60Min: 4,
        bounceRate: 0.25,
        averageDurationMs: 120_000,
        botShare: 0.25,
      },
    ]);
    expect(summary.total.activeSessions).toBe(12);
  });

  it('prints one line per site and one for all sites', () => {
    expect(formatSummary(sink.summary())).toBe(
      [
        'business metrics 12:30 UTC (page views/min: the minute that just ended; bounce and duration over sessions ended in the last 60 min)',
        '  shop-a           active 12 · current 5 · page views/min 8 (30 min 11) · started 2 · engaged 61 s · bounce 25% of 4 · avg duration 120 s · bots 25%',
        '  all sites        active 12 · current 5 · page views/min 8 (30 min 11) · started 2 · engaged 61 s · bounce 25% of 4 · avg duration 120 s · bots 25%',
      ].join('\n'),
    );
  });
});
