/**
 * Per-minute statistics of EMF metrics, kept the way CloudWatch keeps them: one series per
 * (namespace, metric name, dimension set with its values), and per minute the sum, sample count,
 * minimum and maximum of every value that landed in it. Several documents for the same series
 * and minute add up, as in CloudWatch.
 */
import type { EmfDocument } from './emf-document';

const MINUTE_MS = 60_000;

export interface MinuteStatistics {
  readonly sum: number;
  readonly sampleCount: number;
  readonly minimum: number;
  readonly maximum: number;
}

export interface SeriesQuery {
  readonly namespace: string;
  readonly metric: string;
  /** The exact dimension set: `{}` is the no-dimension (all sites) series. */
  readonly dimensions: Readonly<Record<string, string>>;
}

export interface SeriesDescription extends SeriesQuery {
  readonly unit: string | undefined;
}

interface Series extends SeriesDescription {
  readonly minutes: Map<number, MinuteStatistics>;
}

export class MinuteAggregates {
  private readonly series = new Map<string, Series>();

  add(document: EmfDocument): void {
    const minute = Math.floor(document.timestampMs / MINUTE_MS);
    for (const directive of document.directives) {
      for (const dimensions of directive.dimensionSets) {
        for (const metric of directive.metrics) {
          const query = { namespace: directive.namespace, metric: metric.name, dimensions };
          const key = seriesKey(query);
          let series = this.series.get(key);
          if (series === undefined) {
            series = { ...query, unit: metric.unit, minutes: new Map() };
            this.series.set(key, series);
          }
          for (const value of metric.values) {
            const before = series.minutes.get(minute);
            series.minutes.set(minute, {
              sum: (before?.sum ?? 0) + value,
              sampleCount: (before?.sampleCount ?? 0) + 1,
              minimum: Math.min(before?.minimum ?? value, value),
              maximum: Math.max(before?.maximum ?? value, value),
            });
          }
        }
      }
    }
  }

  /** Statistics of one series in one epoch minute; undefined when nothing landed there. */
  statistics(query: SeriesQuery, minute: number): MinuteStatistics | undefined {
    return this.series.get(seriesKey(query))?.minutes.get(minute);
  }

  /** Sum of one series over the epoch minutes `from`…`to` (inclusive); 0 when empty. */
  sum(query: SeriesQuery, from: number, to: number = from): number {
    const minutes = this.series.get(seriesKey(query))?.minutes;
    if (minutes === undefined) return 0;
    let total = 0;
    for (const [minute, stats] of minutes) {
      if (minute >= from && minute <= to) total += stats.sum;
    }
    return total;
  }

  /** Every minute of one series, ascending. */
  minutes(query: SeriesQuery): Array<{ readonly minute: number } & MinuteStatistics> {
    const minutes =
      this.series.get(seriesKey(query))?.minutes ?? new Map<number, MinuteStatistics>();
    return [...minutes.entries()]
      .sort(([a], [b]) => a - b)
      .map(([minute, stats]) => ({ minute, ...stats }));
  }

  /** Every series seen, in insertion order. */
  describe(): SeriesDescription[] {
    return [...this.series.values()].map(({ namespace, metric, dimensions, unit }) => ({
      namespace,
      metric,
      dimensions,
      unit,
    }));
  }

  /** Distinct values of one dimension across all series (e.g. every Site seen). */
  dimensionValues(name: string): string[] {
    const values = new Set<string>();
    for (const series of this.series.values()) {
      const value = series.dimensions[name];
      if (value !== undefined) values.add(value);
    }
    return [...values].sort();
  }

  /** Forgets minutes before `minute`, so a long-running `npm start` keeps bounded memory. */
  pruneBefore(minute: number): void {
    for (const series of this.series.values()) {
      for (const kept of series.minutes.keys()) {
        if (kept < minute) series.minutes.delete(kept);
      }
    }
  }
}

function seriesKey(query: SeriesQuery): string {
  const dimensions = Object.keys(query.dimensions)
    .sort()
    .map((name) => [name, query.dimensions[name]]);
  return JSON.stringify([query.namespace, query.metric, dimensions]);
}
