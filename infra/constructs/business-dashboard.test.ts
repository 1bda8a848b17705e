import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SITE_METRICS } from '../../schemas/business-metrics';
import {
  BusinessDashboard,
  FIGURES,
  SITE_PLACEHOLDER,
  type BusinessDashboardProps,
} from './business-dashboard';

interface MetricWidget {
  type: string;
  width: number;
  properties: { title?: string; view?: string; metrics?: unknown[][]; markdown?: string };
}
interface DashboardBody {
  start: string;
  variables: {
    property: string;
    type: string;
    inputType: string;
    search: string;
    defaultValue: string;
  }[];
  widgets: MetricWidget[];
}

function synth(
  props: BusinessDashboardProps = {},
  withProcessor = false,
  withRollup = false,
  withConsumer = false,
): { template: Template; body: DashboardBody } {
  const stack = new Stack(new App(), 'DashboardTest');
  const fn = (id: string) =>
    new lambda.Function(stack, id, {
      runtime: lambda.Runtime.NODEJS_22_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('exports.handler = async () => {}'),
    });
  new BusinessDashboard(stack, 'Business', {
    ...props,
    ...(withProcessor ? { processor: fn('Processor') } : {}),
    ...(withRollup ? { rollup: fn('Rollup') } : {}),
    ...(withConsumer ? { consumer: fn('Consumer') } : {}),
  });
  const template = Template.fromStack(stack);
  const dashboards = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  expect(dashboards).toHaveLength(1);
  const raw = (dashboards[0] as { Properties: { DashboardBody: unknown } }).Properties
    .DashboardBody;
  // The body is a Fn::Join of text and tokens (the region, function names): a Ref becomes the
  // logical id it refers to, any other token a placeholder.
  const parts = (raw as { 'Fn::Join': [string, unknown[]] })['Fn::Join'][1];
  const text = parts
    .map((part) => {
      if (typeof part === 'string') return part;
      const ref = (part as { Ref?: unknown }).Ref;
      return typeof ref === 'string' ? ref : 'TOKEN';
    })
    .join('');
  return { template, body: JSON.parse(text) as DashboardBody };
}

/** Expressions with their labels, and the metrics (namespace, name, dimensions) of one widget. */
function contents(widget: MetricWidget | undefined) {
  const expressions: { label?: string; expression: string; period?: number }[] = [];
  const metrics: string[] = [];
  for (const row of widget?.properties.metrics ?? []) {
    const options = row[row.length - 1] as { expression?: string; label?: string; period?: number };
    if (options.expression !== undefined) {
      expressions.push({
        expression: options.expression,
        ...(options.label === undefined ? {} : { label: options.label }),
        ...(options.period === undefined ? {} : { period: options.period }),
      });
    } else {
      metrics.push(row.slice(0, -1).join(' '));
    }
  }
  return { expressions, metrics };
}

const widget = (body: DashboardBody, title: string) =>
  body.widgets.find((w) => w.properties.title === title);

describe('BusinessDashboard', () => {
  const { body } = synth();

  it('shows all sites now: active sessions, current visitors, page views, started, bounce, engaged, bots', () => {
    const now = widget(body, 'All sites — now');

    expect(now?.properties.view).toBe('singleValue');
    expect(contents(now).expressions).toEqual([
      {
        label: FIGURES.activeSessions.label,
        expression: 'activemin / (PERIOD(activemin) / 60)',
        period: 60,
      },
      {
        label: FIGURES.currentVisitors.label,
        expression: 'currentmin / (PERIOD(currentmin) / 60)',
        period: 60,
      },
      {
        label: FIGURES.pageViewsPerMinute.label,
        expression: 'pageviews / (PERIOD(pageviews) / 60)',
        period: 60,
      },
      {
        label: FIGURES.sessionsStartedPerMinute.label,
        expression: 'started / (PERIOD(started) / 60)',
        period: 60,
      },
      { label: FIGURES.bounceRate.label, expression: '100 * bounces / expired', period: 3600 },
      {
        label: FIGURES.engagedSecondsPerMinute.label,
        expression: 'engagedms / (PERIOD(engagedms) / 60) / 1000',
        period: 60,
      },
      {
        label: FIGURES.botShare.label,
        expression: '100 * botactivemin / (activemin + botactivemin)',
        period: 60,
      },
    ]);
    // All sites = the series without dimensions.
    expect(new Set(contents(now).metrics)).toEqual(
      new Set([
        'LiveInsight ActiveSessionMinutes',
        'LiveInsight CurrentVisitorMinutes',
        'LiveInsight PageViews',
        'LiveInsight SessionsStarted',
        'LiveInsight Bounces',
        'LiveInsight SessionsExpired',
        'LiveInsight EngagedTime',
        'LiveInsight BotActiveSessionMinutes',
      ]),
    );
  });

  it.each([
    ['All sites', ''],
    ['Site', ` Site ${SITE_PLACEHOLDER}`],
  ])('graphs every figure for %s', (scope, dimension) => {
    const labels = (title: string) =>
      contents(widget(body, `${scope} — ${title}`)).expressions.map((e) => e.label);

    expect(labels('active sessions and current visitors')).toEqual([
      FIGURES.activeSessions.label,
      FIGURES.currentVisitors.label,
    ]);
    expect(labels('page views and sessions started per minute')).toEqual([
      FIGURES.pageViewsPerMinute.label,
      FIGURES.sessionsStartedPerMinute.label,
    ]);
    expect(labels('bounce rate')).toEqual([FIGURES.bounceRate.label]);
    expect(labels('engaged time and session duration')).toEqual([
      FIGURES.engagedSecondsPerMinute.label,
      FIGURES.averageDuration.label,
    ]);
    expect(labels('bot share')).toEqual([FIGURES.botShare.label, FIGURES.botEventShare.label]);
    expect(contents(widget(body, `${scope} — bounce rate`)).metrics).toEqual([
      `LiveInsight Bounces${dimension}`,
      `LiveInsight SessionsExpired${dimension}`,
    ]);
  });

  it('lets the reader pick the site with a Site selector filled from the metrics', () => {
    expect(body.variables).toEqual([
      expect.objectContaining({
        property: 'Site',
        type: 'property',
        inputType: 'select',
        search: '{LiveInsight,Site} MetricName="Events"',
        defaultValue: '__FIRST',
      }),
    ]);
  });

  it('shows every site side by side without listing the sites', () => {
    expect(contents(widget(body, 'Active sessions by site')).expressions).toEqual([
      {
        expression:
          "SEARCH('{LiveInsight,Site} MetricName=\"ActiveSessionMinutes\"', 'Sum') / (PERIOD(activemin) / 60)",
        period: 60,
      },
    ]);
  });

  it('reads only metrics the processor emits, from its namespace', () => {
    const known = new Set([...Object.keys(SITE_METRICS), 'MalformedStreamRecords']);
    const used = body.widgets.flatMap((w) => contents(w).metrics).map((m) => m.split(' '));
    expect(used.length).toBeGreaterThan(0);
    for (const [namespace, name] of used) {
      expect(namespace).toBe('LiveInsight');
      expect(known.has(name ?? '')).toBe(true);
    }
  });

  it('adds the processor’s errors and iterator age when given the function', () => {
    const { body: withHealth } = synth({}, true);

    expect(contents(widget(withHealth, 'Processor — iterator age (stream lag)')).metrics).toEqual([
      expect.stringMatching(/^AWS\/Lambda IteratorAge FunctionName /),
    ]);
    expect(widget(body, 'Processor — iterator age (stream lag)')).toBeUndefined();
  });

  it('adds the rollup function’s errors and iterator age when given the function', () => {
    const { body: withRollup } = synth({}, true, true);
    const functionOf = (title: string) =>
      contents(widget(withRollup, title)).metrics.map((m) => m.split(' ').slice(0, 4).join(' '));

    expect(functionOf('Realtime rollup — iterator age (stream lag)')).toEqual([
      expect.stringMatching(/^AWS\/Lambda IteratorAge FunctionName \S*Rollup/),
    ]);
    expect(functionOf('Realtime rollup — invocations and errors')).toEqual([
      expect.stringMatching(/^AWS\/Lambda Invocations FunctionName \S*Rollup/),
      expect.stringMatching(/^AWS\/Lambda Errors FunctionName \S*Rollup/),
    ]);
    expect(functionOf('Processor — iterator age (stream lag)')).toEqual([
      expect.stringMatching(/^AWS\/Lambda IteratorAge FunctionName \S*Processor/),
    ]);
    expect(widget(body, 'Realtime rollup — iterator age (stream lag)')).toBeUndefined();
  });

  it('adds the consumer’s errors and iterator age when given the function', () => {
    const { body: withConsumer } = synth({}, true, true, true);
    const functionOf = (title: string) =>
      contents(widget(withConsumer, title)).metrics.map((m) => m.split(' ').slice(0, 4).join(' '));

    expect(functionOf('Consumer — iterator age (stream lag)')).toEqual([
      expect.stringMatching(/^AWS\/Lambda IteratorAge FunctionName \S*Consumer/),
    ]);
    expect(functionOf('Consumer — invocations and errors')).toEqual([
      expect.stringMatching(/^AWS\/Lambda Invocations FunctionName \S*Consumer/),
      expect.stringMatching(/^AWS\/Lambda Errors FunctionName \S*Consumer/),
    ]);
    expect(widget(body, 'Consumer — iterator age (stream lag)')).toBeUndefined();
  });

  it('uses the namespace it is given', () => {
    const { body: custom } = synth({ namespace: 'Acme/Analytics' });
    expect(contents(widget(custom, 'All sites — bounce rate')).metrics).toEqual([
      'Acme/Analytics Bounces',
      'Acme/Analytics SessionsExpired',
    ]);
  });
});
