/**
 * The business dashboard's figures computed from the local aggregates, exactly as the CloudWatch
 * dashboard computes them from the same metrics (infra/business-dashboard.ts), and their
 * one-line-per-site rendering for `npm start`.
 */
import { epochMinute } from '../../pipeline/metrics/activity-minutes';
import type { MetricName } from '../../schemas/business-metrics';

/** What the summary reads: sums of a metric for a site (undefined: all sites) over minutes. */
export interface MetricReader {
  sum(metric: MetricName, site: string | undefined, from: number, to?: number): number;
  sites(): string[];
}

export const SUMMARY_WINDOWS = {
  /** Page views, sessions started, engaged time, events: the last 30 minutes. */
  activityMinutes: 30,
  /** Bounce rate and duration: sessions that expired in the last 60 minutes. */
  expiryMinutes: 60,
} as const;

export interface ScopeFigures {
  /** Site id, or undefined for all sites. */
  readonly site: string | undefined;
  readonly activeSessions: number;
  readonly currentVisitors: number;
  readonly pageViewsThisMinute: number;
  readonly pageViewsLastMinute: number;
  readonly pageViews30Min: number;
  readonly sessionsStarted30Min: number;
  readonly events30Min: number;
  readonly engagedMs30Min: number;
  readonly sessionsExpired60Min: number;
  /** Bounces / SessionsExpired over 60 min; undefined when no session expired. */
  readonly bounceRate: number | undefined;
  /** SessionDuration / SessionsExpired over 60 min (ms); undefined when none expired. */
  readonly averageDurationMs: number | undefined;
  /** Bot share of active sessions this minute; undefined when there are none. */
  readonly botShare: number | undefined;
}

export interface MetricsSummary {
  readonly at: number;
  readonly minute: number;
  readonly total: ScopeFigures;
  readonly sites: readonly ScopeFigures[];
  /** MalformedStreamRecords in the last 60 minutes (all sites). */
  readonly malformedRecords60Min: number;
}

export function summarize(reader: MetricReader, nowMs: number): MetricsSummary {
  const minute = epochMinute(nowMs);
  const figures = (site: string | undefined): ScopeFigures => {
    const at = (metric: MetricName, from: number, to = minute) =>
      reader.sum(metric, site, from, to);
    const activity = minute - SUMMARY_WINDOWS.activityMinutes + 1;
    const expiry = minute - SUMMARY_WINDOWS.expiryMinutes + 1;
    const humans = at('ActiveSessionMinutes', minute);
    const bots = at('BotActiveSessionMinutes', minute);
    const expired = at('SessionsExpired', expiry);
    return {
      site,
      activeSessions: humans,
      currentVisitors: at('CurrentVisitorMinutes', minute),
      pageViewsThisMinute: at('PageViews', minute),
      pageViewsLastMinute: at('PageViews', minute - 1, minute - 1),
      pageViews30Min: at('PageViews', activity),
      sessionsStarted30Min: at('SessionsStarted', activity),
      events30Min: at('Events', activity),
      engagedMs30Min: at('EngagedTime', activity),
      sessionsExpired60Min: expired,
      bounceRate: expired === 0 ? undefined : at('Bounces', expiry) / expired,
      averageDurationMs: expired === 0 ? undefined : at('SessionDuration', expiry) / expired,
      botShare: humans + bots === 0 ? undefined : bots / (humans + bots),
    };
  };
  return {
    at: nowMs,
    minute,
    total: figures(undefined),
    sites: reader.sites().map(figures),
    malformedRecords60Min: reader.sum(
      'MalformedStreamRecords',
      undefined,
      minute - SUMMARY_WINDOWS.expiryMinutes + 1,
      minute,
    ),
  };
}

/**
 * One line per site and one for all sites, for a terminal. `npm start` prints it as a minute
 * begins, when that minute holds no page views yet: the line shows the minute that just ended
 * (a "this minute" figure would always read 0 there).
 */
export function formatSummary(summary: MetricsSummary): string {
  const time = new Date(summary.minute * 60_000).toISOString().slice(11, 16);
  const lines = [
    `business metrics ${time} UTC (page views/min: the minute that just ended; bounce and duration over sessions ended in the last 60 min)`,
    ...[...summary.sites, summary.total].map(formatScope),
  ];
  if (summary.malformedRecords60Min > 0) {
    lines.push(`  malformed stream records (60 min): ${summary.malformedRecords60Min}`);
  }
  return lines.join('\n');
}

function formatScope(f: ScopeFigures): string {
  const name = (f.site ?? 'all sites').padEnd(16);
  return (
    `  ${name} active ${f.activeSessions} · current ${f.currentVisitors} · ` +
    `page views/min ${f.pageViewsLastMinute} (30 min ${f.pageViews30Min}) · ` +
    `started ${f.sessionsStarted30Min} · engaged ${seconds(f.engagedMs30Min)} · ` +
    `bounce ${percent(f.bounceRate)} of ${f.sessionsExpired60Min} · ` +
    `avg duration ${f.averageDurationMs === undefined ? '–' : seconds(f.averageDurationMs)} · ` +
    `bots ${percent(f.botShare)}`
  );
}

function percent(ratio: number | undefined): string {
  return ratio === undefined ? '–' : `${Math.round(ratio * 100)}%`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}
