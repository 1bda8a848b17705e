/**
 * What handleSummary writes: a JSON file with the figures that matter and the end-of-run event
 * counts to hold against the stage's stored count, plus a few lines on stdout.
 */
import type { LoadConfig } from './config';

/** The part of k6's summary data read here. */
export interface SummaryData {
  readonly metrics: Readonly<
    Record<
      string,
      {
        readonly values: Readonly<Record<string, number>>;
        readonly thresholds?: Readonly<Record<string, { readonly ok: boolean }>>;
      }
    >
  >;
}

export interface LoadSummary {
  readonly scenario: string;
  readonly baseUrl: string;
  readonly siteId: string;
  readonly finishedAt: string;
  readonly eventsSent: number;
  /** Compare with the stage's stored count for siteId over the run (README: Load testing a deployed stage). */
  readonly eventsAccepted: number;
  readonly requests: number;
  readonly throttled: number;
  readonly serverErrors: number;
  readonly droppedIterations: number;
  readonly p95Ms: number | null;
  readonly p99Ms: number | null;
  readonly failedRate: number | null;
  readonly thresholdsFailed: readonly string[];
}

function value(data: SummaryData, metric: string, stat: string): number | null {
  const found = data.metrics[metric]?.values[stat];
  return found === undefined ? null : found;
}

export function summarize(
  scenario: string,
  config: LoadConfig,
  data: SummaryData,
  finishedAt: Date,
): LoadSummary {
  const failed: string[] = [];
  for (const [metric, entry] of Object.entries(data.metrics)) {
    for (const [threshold, state] of Object.entries(entry.thresholds ?? {})) {
      if (!state.ok) failed.push(`${metric}: ${threshold}`);
    }
  }
  return {
    scenario,
    baseUrl: config.baseUrl,
    siteId: config.siteA,
    finishedAt: finishedAt.toISOString(),
    eventsSent: value(data, 'events_sent', 'count') ?? 0,
    eventsAccepted: value(data, 'events_accepted', 'count') ?? 0,
    requests: value(data, 'http_reqs', 'count') ?? 0,
    throttled: value(data, 'throttled', 'count') ?? 0,
    serverErrors: value(data, 'server_errors', 'count') ?? 0,
    droppedIterations: value(data, 'dropped_iterations', 'count') ?? 0,
    p95Ms: value(data, 'http_req_duration', 'p(95)'),
    p99Ms: value(data, 'http_req_duration', 'p(99)'),
    failedRate: value(data, 'http_req_failed', 'rate'),
    thresholdsFailed: failed,
  };
}

/** handleSummary's answer: file path → content. */
export function summaryFiles(summary: LoadSummary, path: string): Record<string, string> {
  const lines = [
    `${summary.scenario} on ${summary.baseUrl}: ${summary.requests} requests, p95 ${summary.p95Ms ?? '-'} ms, p99 ${summary.p99Ms ?? '-'} ms`,
    `events sent ${summary.eventsSent}, accepted ${summary.eventsAccepted} (compare with the stage's stored count for ${summary.siteId}), throttled ${summary.throttled}, 5xx ${summary.serverErrors}, dropped iterations ${summary.droppedIterations}`,
    summary.thresholdsFailed.length === 0
      ? 'thresholds: all passed'
      : `thresholds failed: ${summary.thresholdsFailed.join('; ')}`,
    `summary JSON: ${path}`,
  ];
  return { [path]: `${JSON.stringify(summary, null, 2)}\n`, stdout: `${lines.join('\n')}\n` };
}
