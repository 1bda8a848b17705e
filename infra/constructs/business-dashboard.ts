/**
 * The CloudWatch business dashboard, built from the processor's metrics (schemas/business-metrics):
 * active sessions, current visitors, page views per minute, sessions started, bounce rate,
 * engaged time and bot share — for all sites (the no-dimension series), for one site picked with
 * the dashboard's Site selector, and every site side by side (SEARCH).
 *
 * The occupancy metrics (ActiveSessionMinutes, CurrentVisitorMinutes) hold one count per session
 * per minute it counts, so `Sum / (PERIOD / 60)` is the average number over any period — exactly
 * the count at a one-minute period — and the graphs stay right when CloudWatch widens the period
 * for long time ranges. Rates per minute use the same division.
 */
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE, SITE_DIMENSION, type MetricName } from '../../schemas/business-metrics';

export interface BusinessDashboardProps {
  /**
   * CloudWatch namespace of the business metrics (the processor's).
   * @default 'LiveInsight'
   */
  readonly namespace?: string;
  /**
   * Dashboard name.
   * @default a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * The processor function, for a health row (errors, iterator age) next to its own
   * MalformedStreamRecords metric.
   * @default no Lambda health widgets
   */
  readonly processor?: lambda.IFunction;
  /**
   * The realtime rollup function (the GET /realtime counters), for the same health row: its
   * errors and its lag behind the ActiveSessions stream.
   * @default no rollup health widgets
   */
  readonly rollup?: lambda.IFunction;
  /**
   * The consumer function (Kinesis → tables), the start of every figure here: its errors and its
   * lag behind the events stream (IteratorAge, which enhanced fan-out still reports).
   * @default no consumer health widgets
   */
  readonly consumer?: lambda.IFunction;
  /**
   * Time range the dashboard opens with.
   * @default Duration.hours(3)
   */
  readonly defaultInterval?: Duration;
}

/** One figure of the dashboard: how it is computed from the metrics, and its label. */
interface Figure {
  readonly label: string;
  /** Metric-math expression over the ids of `metrics`. */
  readonly expression: string;
  readonly metrics: readonly MetricName[];
}

/** Ids used in expressions, one per metric (metric-math ids start with a lower-case letter). */
const ID: Readonly<Record<MetricName, string>> = {
  SessionsStarted: 'started',
  PageViews: 'pageviews',
  Events: 'events',
  EngagementEvents: 'engagements',
  CustomEvents: 'customs',
  BotEvents: 'botevents',
  EngagedTime: 'engagedms',
  ActiveSessionMinutes: 'activemin',
  CurrentVisitorMinutes: 'currentmin',
  BotActiveSessionMinutes: 'botactivemin',
  SessionsExpired: 'expired',
  Bounces: 'bounces',
  SessionDuration: 'durationms',
  MalformedStreamRecords: 'malformed',
};

/** Per minute of the graph's period, whatever period CloudWatch picks. */
const perMinute = (id: string) => `${id} / (PERIOD(${id}) / 60)`;

export const FIGURES = {
  activeSessions: {
    label: 'Active sessions (activity in the last 30 min)',
    expression: perMinute(ID.ActiveSessionMinutes),
    metrics: ['ActiveSessionMinutes'],
  },
  currentVisitors: {
    label: 'Current visitors (page view or custom event in the last 5 min)',
    expression: perMinute(ID.CurrentVisitorMinutes),
    metrics: ['CurrentVisitorMinutes'],
  },
  pageViewsPerMinute: {
    label: 'Page views per minute',
    expression: perMinute(ID.PageViews),
    metrics: ['PageViews'],
  },
  sessionsStartedPerMinute: {
    label: 'Sessions started per minute',
    expression: perMinute(ID.SessionsStarted),
    metrics: ['SessionsStarted'],
  },
  bounceRate: {
    label: 'Bounce rate % (of sessions ended)',
    expression: `100 * ${ID.Bounces} / ${ID.SessionsExpired}`,
    metrics: ['Bounces', 'SessionsExpired'],
  },
  engagedSecondsPerMinute: {
    label: 'Engaged time (s per minute)',
    expression: `${perMinute(ID.EngagedTime)} / 1000`,
    metrics: ['EngagedTime'],
  },
  averageDuration: {
    label: 'Average session duration (s, sessions ended)',
    expression: `${ID.SessionDuration} / ${ID.SessionsExpired} / 1000`,
    metrics: ['SessionDuration', 'SessionsExpired'],
  },
  botShare: {
    label: 'Bot share % (of active sessions)',
    expression: `100 * ${ID.BotActiveSessionMinutes} / (${ID.ActiveSessionMinutes} + ${ID.BotActiveSessionMinutes})`,
    metrics: ['ActiveSessionMinutes', 'BotActiveSessionMinutes'],
  },
  botEventShare: {
    label: 'Bot share % (of events)',
    expression: `100 * ${ID.BotEvents} / (${ID.Events} + ${ID.BotEvents})`,
    metrics: ['Events', 'BotEvents'],
  },
} as const satisfies Record<string, Figure>;

/**
 * Ratios over sessions that ended are noisy per minute (few sessions end in any one minute):
 * graphed over 15 minutes. Everything else per minute.
 */
function periodOf(figure: Figure): Duration {
  return figure.metrics.includes('SessionsExpired') ? Duration.minutes(15) : Duration.minutes(1);
}

/** Invocations and errors, and iterator age (lag behind its stream), of a stream-fed function. */
function streamFunctionHealth(name: string, fn: lambda.IFunction, width: number): cw.IWidget[] {
  return [
    new cw.GraphWidget({
      title: `${name} — invocations and errors`,
      width,
      height: 5,
      left: [
        fn.metricInvocations({ statistic: cw.Stats.SUM }),
        fn.metricErrors({ statistic: cw.Stats.SUM }),
      ],
      leftYAxis: { min: 0 },
    }),
    new cw.GraphWidget({
      title: `${name} — iterator age (stream lag)`,
      width,
      height: 5,
      left: [fn.metric('IteratorAge', { statistic: cw.Stats.MAXIMUM, label: 'Iterator age (ms)' })],
      leftYAxis: { min: 0 },
    }),
  ];
}

/** The Site value the per-site widgets are built with; the Site selector replaces it. */
export const SITE_PLACEHOLDER = 'select-a-site';

export class BusinessDashboard extends Construct {
  readonly dashboard: cw.Dashboard;
  readonly namespace: string;

  constructor(scope: Construct, id: string, props: BusinessDashboardProps = {}) {
    super(scope, id);
    this.namespace = props.namespace ?? METRICS_NAMESPACE;
    const site = SITE_PLACEHOLDER;
    const all = undefined;

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      ...(props.dashboardName === undefined ? {} : { dashboardName: props.dashboardName }),
      defaultInterval: props.defaultInterval ?? Duration.hours(3),
      variables: [
        new cw.DashboardVariable({
          id: 'site',
          type: cw.VariableType.PROPERTY,
          inputType: cw.VariableInputType.SELECT,
          value: SITE_DIMENSION,
          label: 'Site',
          values: cw.Values.fromSearchComponents({
            namespace: this.namespace,
            dimensions: [SITE_DIMENSION],
            metricName: 'Events',
            populateFrom: SITE_DIMENSION,
          }),
          defaultValue: cw.DefaultValue.FIRST,
        }),
      ],
    });

    this.dashboard.addWidgets(
      new cw.TextWidget({
        width: 24,
        height: 3,
        markdown: [
          '# LiveInsight — business metrics',
          '**Active sessions**: sessions with activity in the last 30 minutes. **Current visitors**: visitors with a page view or custom event in the last 5 minutes (engagement pings alone do not count). Bot sessions are left out of every figure but the bot share. Bounce rate and duration are over sessions that ended (their ActiveSessions item expired by TTL, which can lag by hours), at the minute they ended.',
        ].join('\n\n'),
      }),
    );
    this.dashboard.addWidgets(
      new cw.SingleValueWidget({
        title: 'All sites — now',
        width: 24,
        height: 4,
        metrics: [
          this.figure(FIGURES.activeSessions, all),
          this.figure(FIGURES.currentVisitors, all),
          this.figure(FIGURES.pageViewsPerMinute, all),
          this.figure(FIGURES.sessionsStartedPerMinute, all),
          this.figure(FIGURES.bounceRate, all, Duration.hours(1)),
          this.figure(FIGURES.engagedSecondsPerMinute, all),
          this.figure(FIGURES.botShare, all),
        ],
      }),
    );
    this.addScopeRows('All sites', all);
    this.dashboard.addWidgets(
      new cw.TextWidget({
        width: 24,
        height: 1,
        markdown: '## One site — pick it with the **Site** selector above',
      }),
    );
    this.addScopeRows('Site', site);
    this.dashboard.addWidgets(
      this.bySite('Active sessions by site', 'ActiveSessionMinutes'),
      this.bySite('Page views per minute by site', 'PageViews'),
    );
    this.dashboard.addWidgets(...this.healthWidgets(props.processor));
    if (props.rollup !== undefined) {
      this.dashboard.addWidgets(...streamFunctionHealth('Realtime rollup', props.rollup, 12));
    }
    if (props.consumer !== undefined) {
      this.dashboard.addWidgets(...streamFunctionHealth('Consumer', props.consumer, 12));
    }
  }

  /** The graphs of one scope (all sites, or the selected site). */
  private addScopeRows(title: string, site: string | undefined): void {
    const graph = (name: string, figures: readonly Figure[], width = 12) =>
      new cw.GraphWidget({
        title: `${title} — ${name}`,
        width,
        height: 6,
        left: figures.map((f) => this.figure(f, site, periodOf(f))),
        leftYAxis: { min: 0 },
        period: Duration.minutes(1),
      });
    this.dashboard.addWidgets(
      graph('active sessions and current visitors', [
        FIGURES.activeSessions,
        FIGURES.currentVisitors,
      ]),
      graph('page views and sessions started per minute', [
        FIGURES.pageViewsPerMinute,
        FIGURES.sessionsStartedPerMinute,
      ]),
    );
    this.dashboard.addWidgets(
      graph('bounce rate', [FIGURES.bounceRate], 8),
      graph(
        'engaged time and session duration',
        [FIGURES.engagedSecondsPerMinute, FIGURES.averageDuration],
        8,
      ),
      graph('bot share', [FIGURES.botShare, FIGURES.botEventShare], 8),
    );
  }

  /** Every site as its own line: a SEARCH over the Site dimension, per minute of the period. */
  private bySite(title: string, name: 'ActiveSessionMinutes' | 'PageViews'): cw.GraphWidget {
    const anchor = this.metric(name, undefined);
    return new cw.GraphWidget({
      title,
      width: 12,
      height: 6,
      left: [
        new cw.MathExpression({
          expression: `SEARCH('{${this.namespace},${SITE_DIMENSION}} MetricName="${name}"', 'Sum') / (PERIOD(${ID[name]}) / 60)`,
          usingMetrics: { [ID[name]]: anchor },
          label: '',
          period: Duration.minutes(1),
        }),
      ],
      leftYAxis: { min: 0 },
      period: Duration.minutes(1),
    });
  }

  private healthWidgets(processor: lambda.IFunction | undefined): cw.IWidget[] {
    const malformed = new cw.GraphWidget({
      title: 'Processor — malformed stream records (bad rows)',
      width: processor === undefined ? 24 : 8,
      height: 5,
      left: [this.metric('MalformedStreamRecords', undefined).with({ label: 'Malformed records' })],
      leftYAxis: { min: 0 },
    });
    if (processor === undefined) return [malformed];
    return [malformed, ...streamFunctionHealth('Processor', processor, 8)];
  }

  private figure(figure: Figure, site: string | undefined, period = Duration.minutes(1)) {
    return new cw.MathExpression({
      expression: figure.expression,
      usingMetrics: Object.fromEntries(figure.metrics.map((m) => [ID[m], this.metric(m, site)])),
      label: figure.label,
      period,
    });
  }

  private metric(name: MetricName, site: string | undefined): cw.Metric {
    return new cw.Metric({
      namespace: this.namespace,
      metricName: name,
      dimensionsMap: site === undefined ? {} : { [SITE_DIMENSION]: site },
      statistic: cw.Stats.SUM,
      period: Duration.minutes(1),
    });
  }
}
