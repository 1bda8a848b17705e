/**
 * A batch's metric points, summed per site and minute: one group becomes one EMF document
 * (one timestamp, dimension sets `[Site]` and `[]`), so a batch of a thousand records from a
 * handful of sites yields a few dozen documents, not thousands. CloudWatch adds the groups of
 * different sites that share a minute into the all-sites (`[]`) series.
 */
import {
  SITE_METRIC_NAMES,
  type ProcessorMetricName,
  type SiteMetricName,
} from '../../schemas/business-metrics';
import type { MetricPoint } from './derive-metrics';

export interface SiteMetricGroup {
  readonly scope: 'site';
  readonly siteId: string;
  readonly minute: number;
  /** Non-zero sums, in catalog order. */
  readonly values: ReadonlyArray<readonly [SiteMetricName, number]>;
}

/** The processor's own health metrics: all sites only (no Site dimension). */
export interface ProcessorMetricGroup {
  readonly scope: 'processor';
  readonly minute: number;
  readonly values: ReadonlyArray<readonly [ProcessorMetricName, number]>;
}

export type MetricGroup = SiteMetricGroup | ProcessorMetricGroup;

/** Sums points per (site, minute); groups ordered by site, then minute; zero sums dropped. */
export function groupMetricPoints(points: Iterable<MetricPoint>): SiteMetricGroup[] {
  const bySite = new Map<string, Map<number, Map<SiteMetricName, number>>>();
  for (const point of points) {
    let byMinute = bySite.get(point.siteId);
    if (byMinute === undefined) bySite.set(point.siteId, (byMinute = new Map()));
    let sums = byMinute.get(point.minute);
    if (sums === undefined) byMinute.set(point.minute, (sums = new Map()));
    sums.set(point.name, (sums.get(point.name) ?? 0) + point.value);
  }
  const groups: SiteMetricGroup[] = [];
  for (const siteId of [...bySite.keys()].sort()) {
    const byMinute = bySite.get(siteId) ?? new Map<number, Map<SiteMetricName, number>>();
    for (const minute of [...byMinute.keys()].sort((a, b) => a - b)) {
      const sums = byMinute.get(minute) ?? new Map<SiteMetricName, number>();
      const values = SITE_METRIC_NAMES.flatMap((name) => {
        const value = sums.get(name) ?? 0;
        return value === 0 ? [] : [[name, value] as const];
      });
      if (values.length > 0) groups.push({ scope: 'site', siteId, minute, values });
    }
  }
  return groups;
}

/** Malformed records per minute of their record time (no site: their site is not trusted). */
export function malformedRecordGroups(recordMinutes: Iterable<number>): ProcessorMetricGroup[] {
  const counts = new Map<number, number>();
  for (const minute of recordMinutes) counts.set(minute, (counts.get(minute) ?? 0) + 1);
  return [...counts.keys()]
    .sort((a, b) => a - b)
    .map((minute) => ({
      scope: 'processor',
      minute,
      values: [['MalformedStreamRecords', counts.get(minute) ?? 0]],
    }));
}
