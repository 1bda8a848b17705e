/**
 * The business metrics of LiveInsight: one name, unit and definition each. The processor emits
 * them, the local sink aggregates them, the CloudWatch dashboard and the README read them —
 * so a metric is defined here once.
 */

/** CloudWatch namespace of every business metric (overridable in the processor's config). */
export const METRICS_NAMESPACE = 'LiveInsight';

/** The one per-site dimension. Every site metric is also published without dimensions (all sites). */
export const SITE_DIMENSION = 'Site';

/** CloudWatch units used here (a subset of CloudWatch's StandardUnit). */
export type MetricUnit = 'Count' | 'Milliseconds';

export interface MetricDefinition {
  readonly unit: MetricUnit;
  /** Which stream and which change produce it. */
  readonly source: 'sessions' | 'activeSessions' | 'processor';
  /** What one unit of the metric means; handlers/processor/README.md lists exactly these (tested). */
  readonly definition: string;
}

/**
 * Metrics published per site (`[Site]`) and for all sites (`[]`). Counters are sums of changes
 * between a stream record's old and new image, so a period's Sum is the period's total.
 *
 * Sessions classified as bots are kept out of every metric except the `Bot*` ones, as the
 * realtime API keeps them out of its human figures, so the dashboard and `/realtime` agree.
 */
export const SITE_METRICS = {
  SessionsStarted: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'New sessions (a Sessions INSERT), at the minute of the session start (edge clock).',
  },
  PageViews: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'Page views (events of type `pageview`) newly applied to a session, at the minute of the session’s last activity.',
  },
  Events: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'Events of every type newly applied to a session (page views + engagement + custom).',
  },
  EngagementEvents: {
    unit: 'Count',
    source: 'sessions',
    definition: 'Engagement pings (events of type `engagement`) newly applied to a session.',
  },
  CustomEvents: {
    unit: 'Count',
    source: 'sessions',
    definition: 'Custom events (events of type `custom`) newly applied to a session.',
  },
  BotEvents: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'Events of any type newly applied to sessions classified as bots (kept out of every other counter). Bot share of events = BotEvents / (Events + BotEvents).',
  },
  EngagedTime: {
    unit: 'Milliseconds',
    source: 'sessions',
    definition:
      'Engaged time (page visible and focused, reported by the tracker) newly added to sessions.',
  },
  ActiveSessionMinutes: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'Each session adds 1 to every minute in which it counts as active (activity within the last 30 minutes: from its start to 29 minutes after its last activity). Sum at a 1-minute period = active sessions in that minute; Sum / period minutes = average active sessions.',
  },
  CurrentVisitorMinutes: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'Each session adds 1 to every minute within 5 minutes of one of its page views or custom events (engagement pings do not count). Sum at a 1-minute period = current visitors in that minute.',
  },
  BotActiveSessionMinutes: {
    unit: 'Count',
    source: 'sessions',
    definition:
      'ActiveSessionMinutes of sessions classified as bots. Bot share of active sessions = BotActiveSessionMinutes / (ActiveSessionMinutes + BotActiveSessionMinutes), the share `/realtime` reports.',
  },
  SessionsExpired: {
    unit: 'Count',
    source: 'activeSessions',
    definition:
      'Sessions whose ActiveSessions item was deleted by DynamoDB TTL (REMOVE by the service principal), at the minute the item expired (30 minutes after the last activity). A delete by a user or an application is not an expiry. Denominator of the bounce rate.',
  },
  Bounces: {
    unit: 'Count',
    source: 'activeSessions',
    definition:
      'Expired sessions that bounced: exactly one page view, no custom event and under 10 s of engaged time. Bounce rate = Bounces / SessionsExpired.',
  },
  SessionDuration: {
    unit: 'Milliseconds',
    source: 'activeSessions',
    definition:
      'Sum of the durations (last activity − start) of expired sessions. Average duration = SessionDuration / SessionsExpired.',
  },
} as const satisfies Record<string, MetricDefinition>;

/** Health metrics of the processor itself, published for all sites only (`[]`). */
export const PROCESSOR_METRICS = {
  MalformedStreamRecords: {
    unit: 'Count',
    source: 'processor',
    definition:
      'Stream records the processor could not interpret (kept as bad rows with reason `malformed_stream_record`). Should stay 0.',
  },
} as const satisfies Record<string, MetricDefinition>;

export type SiteMetricName = keyof typeof SITE_METRICS;
export type ProcessorMetricName = keyof typeof PROCESSOR_METRICS;
export type MetricName = SiteMetricName | ProcessorMetricName;

export const SITE_METRIC_NAMES = Object.keys(SITE_METRICS) as readonly SiteMetricName[];
export const PROCESSOR_METRIC_NAMES = Object.keys(
  PROCESSOR_METRICS,
) as readonly ProcessorMetricName[];

export const METRIC_DEFINITIONS: Readonly<Record<MetricName, MetricDefinition>> = {
  ...SITE_METRICS,
  ...PROCESSOR_METRICS,
};

export function unitOf(name: MetricName): MetricUnit {
  return METRIC_DEFINITIONS[name].unit;
}
