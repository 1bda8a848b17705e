/**
 * The stage's operations in the synthesized stack: every alarm with its metric, statistic,
 * threshold and SNS actions; every alarm's runbook link points at a heading that exists; the
 * composite "ingest unhealthy"; the budget; the operations dashboard. One synthesis (prebuilt
 * code, no bundling) for the whole file.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { ENV } from '../handlers/env-names';
import { LiveInsightStack } from './liveinsight-stack';
import { EVENT_SOURCE_MAPPINGS, TABLE_KEYS } from './resources';
import { BUDGET_ACTUAL_PERCENT, BUDGET_FORECAST_PERCENT } from './constructs/cost-budget';
import {
  API_429_RATE,
  API_5XX_RATE,
  API_P99_LATENCY_MS,
  BAD_ROW_RATE,
  LAG_ALARM_MS,
  LOG_METRICS,
  TABLE_OPERATIONS,
  TROUBLESHOOTING_RUNBOOK,
} from './constructs/ops-alarms';

const STAGE = 'liveinsight-ops';
const NAMESPACE = `LiveInsight/${STAGE}`;
const EMAIL = 'oncall@example.com';
const prebuilt = { kind: 'prebuilt', dir: __dirname } as const;

const stack = new LiveInsightStack(new App(), 'OpsTest', {
  stage: STAGE,
  alarmEmail: EMAIL,
  monthlyBudgetUsd: 40,
  consumerCode: prebuilt,
  processorCode: prebuilt,
  rollupCode: prebuilt,
  queryCode: prebuilt,
  authorizerCode: prebuilt,
  ingestAuthorizerCode: prebuilt,
});
const template = Template.fromStack(stack);

interface CfnAlarm {
  AlarmName?: string;
  AlarmDescription?: string;
  AlarmActions?: unknown[];
  OKActions?: unknown[];
  Namespace?: string;
  MetricName?: string;
  Statistic?: string;
  ExtendedStatistic?: string;
  Dimensions?: { Name: string; Value: unknown }[];
  Threshold?: number;
  ComparisonOperator?: string;
  EvaluationPeriods?: number;
  DatapointsToAlarm?: number;
  TreatMissingData?: string;
  Metrics?: {
    Id: string;
    Expression?: string;
    MetricStat?: {
      Metric: { Namespace: string; MetricName: string; Dimensions?: { Name: string }[] };
      Stat: string;
    };
  }[];
}

const alarms: CfnAlarm[] = Object.values(template.findResources('AWS::CloudWatch::Alarm')).map(
  (resource) => (resource as { Properties: CfnAlarm }).Properties,
);

function alarm(key: string): CfnAlarm {
  const found = alarms.find((a) => a.AlarmName === `${STAGE}-${key}`);
  if (found === undefined) throw new Error(`no alarm ${STAGE}-${key}`);
  return found;
}

const topicRef = { Ref: expect.stringMatching(/^OperationsAlarmsTopic/) as unknown };

/** A single-metric alarm: namespace, name, statistic, threshold, periods. */
interface Expected {
  readonly namespace: string;
  readonly metricName: string;
  readonly statistic: string;
  readonly threshold: number;
  readonly evaluationPeriods: number;
  readonly datapointsToAlarm: number;
  readonly dimension: string;
}

const fnAlarms = (['consumer', 'processor', 'rollup'] as const).flatMap(
  (fn): [string, Expected][] => [
    [
      `${fn}-errors`,
      {
        namespace: 'AWS/Lambda',
        metricName: 'Errors',
        statistic: 'Sum',
        threshold: 0,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        dimension: 'FunctionName',
      },
    ],
    [
      `${fn}-throttles`,
      {
        namespace: 'AWS/Lambda',
        metricName: 'Throttles',
        statistic: 'Sum',
        threshold: 0,
        evaluationPeriods: 5,
        datapointsToAlarm: 3,
        dimension: 'FunctionName',
      },
    ],
    [
      `${fn}-lag`,
      {
        namespace: 'AWS/Lambda',
        metricName: 'IteratorAge',
        statistic: 'Maximum',
        threshold: LAG_ALARM_MS,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        dimension: 'FunctionName',
      },
    ],
  ],
);

const SINGLE_METRIC_ALARMS: readonly [string, Expected][] = [
  [
    'api-5xx-rate',
    {
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      statistic: 'Average',
      threshold: API_5XX_RATE,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      dimension: 'Stage',
    },
  ],
  [
    'kinesis-write-throttled',
    {
      namespace: 'AWS/Kinesis',
      metricName: 'WriteProvisionedThroughputExceeded',
      statistic: 'Sum',
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
      dimension: 'StreamName',
    },
  ],
  [
    'on-failure-records',
    {
      namespace: 'AWS/Events',
      metricName: 'MatchedEvents',
      statistic: 'Sum',
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      dimension: 'RuleName',
    },
  ],
  [
    'processor-malformed-records',
    {
      namespace: NAMESPACE,
      metricName: 'MalformedStreamRecords',
      statistic: 'Sum',
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
      dimension: '',
    },
  ],
  ...fnAlarms,
];

describe('ops alarms', () => {
  it.each(SINGLE_METRIC_ALARMS)('%s watches the right metric', (key, expected) => {
    const found = alarm(key);
    expect(found).toMatchObject({
      Namespace: expected.namespace,
      MetricName: expected.metricName,
      Statistic: expected.statistic,
      Threshold: expected.threshold,
      ComparisonOperator: 'GreaterThanThreshold',
      EvaluationPeriods: expected.evaluationPeriods,
      DatapointsToAlarm: expected.datapointsToAlarm,
      TreatMissingData: 'notBreaching',
    });
    expect((found.Dimensions ?? []).map((d) => d.Name)).toEqual(
      expected.dimension === '' ? [] : expect.arrayContaining([expected.dimension]),
    );
  });

  it('API p99 latency uses the p99 extended statistic over 5-minute periods', () => {
    expect(alarm('api-p99-latency')).toMatchObject({
      Namespace: 'AWS/ApiGateway',
      MetricName: 'Latency',
      ExtendedStatistic: 'p99',
      Threshold: API_P99_LATENCY_MS,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
    });
  });

  it('the API alarms watch the API stage named after the stage', () => {
    const stages = template.findResources('AWS::ApiGateway::Stage', {
      Properties: { StageName: STAGE },
    });
    expect(Object.keys(stages)).toHaveLength(1);
    for (const key of ['api-5xx-rate', 'api-p99-latency']) {
      expect(alarm(key).Dimensions).toContainEqual({
        Name: 'Stage',
        Value: { Ref: Object.keys(stages)[0] },
      });
    }
  });

  it('the 429 rate divides the access log’s 429 count by the API’s requests', () => {
    const found = alarm('api-429-rate');
    expect(found.Threshold).toBe(API_429_RATE);
    const byId = new Map((found.Metrics ?? []).map((m) => [m.Id, m]));
    expect(byId.get('throttled')?.MetricStat?.Metric).toMatchObject({
      Namespace: NAMESPACE,
      MetricName: LOG_METRICS.apiThrottled,
    });
    expect(byId.get('requests')?.MetricStat).toMatchObject({
      Metric: { Namespace: 'AWS/ApiGateway', MetricName: 'Count' },
      Stat: 'Sum',
    });
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: Match.stringLikeRegexp('^IngestAccessLogs') },
      FilterPattern: '{ $.status = "429" }',
      MetricTransformations: [
        { MetricNamespace: NAMESPACE, MetricName: LOG_METRICS.apiThrottled, MetricValue: '1' },
      ],
    });
  });

  it('consumer lag fires well before any mapping’s MaximumRecordAge moves records to S3', () => {
    for (const mapping of EVENT_SOURCE_MAPPINGS) {
      expect(LAG_ALARM_MS).toBeLessThanOrEqual(
        (mapping.settings.MaximumRecordAgeInSeconds * 1000) / 10,
      );
    }
    // Enhanced fan-out: the function's IteratorAge, not the stream's GetRecords metric.
    expect(alarm('consumer-lag').Namespace).toBe('AWS/Lambda');
    expect(alarm('consumer-lag').Dimensions).toContainEqual({
      Name: 'FunctionName',
      Value: { Ref: expect.stringMatching(/^ConsumerFunction/) as unknown },
    });
  });

  it.each(TABLE_KEYS)('DynamoDB %s has a throttle alarm and a system-error alarm', (table) => {
    const throttles = alarm(`dynamodb-throttles-${table}`);
    expect(throttles.Threshold).toBe(0);
    expect(
      (throttles.Metrics ?? []).flatMap((m) =>
        m.MetricStat === undefined ? [] : [m.MetricStat.Metric.MetricName],
      ),
    ).toEqual(['ReadThrottleEvents', 'WriteThrottleEvents']);
    const errors = alarm(`dynamodb-system-errors-${table}`);
    const operations = (errors.Metrics ?? []).flatMap((m) =>
      m.MetricStat === undefined ? [] : [m.MetricStat],
    );
    expect(operations.map((m) => m.Metric.MetricName)).toEqual(
      TABLE_OPERATIONS[table].map(() => 'SystemErrors'),
    );
    expect(operations.every((m) => m.Stat === 'Sum')).toBe(true);
  });

  it('the bad-row rate comes from the consumer’s batch reports', () => {
    const found = alarm('bad-row-rate');
    expect(found.Threshold).toBe(BAD_ROW_RATE);
    expect(found.Metrics?.find((m) => m.Expression !== undefined)?.Expression).toMatch(
      /FILL\(bad, 0\) \/ records/,
    );
    for (const [name, value] of [
      [LOG_METRICS.consumerRecords, '$.stats.records'],
      [LOG_METRICS.consumerBadRecords, '$.stats.bad'],
    ] as const) {
      template.hasResourceProperties('AWS::Logs::MetricFilter', {
        LogGroupName: { Ref: Match.stringLikeRegexp('^ConsumerLogs') },
        FilterPattern: '{ $.message = "consumer batch" }',
        MetricTransformations: [
          { MetricNamespace: NAMESPACE, MetricName: name, MetricValue: value },
        ],
      });
    }
  });

  it('delivery failures to the on-failure destination sum the three stream functions', () => {
    const found = alarm('on-failure-delivery-failures');
    const names = (found.Metrics ?? []).flatMap((m) =>
      m.MetricStat === undefined ? [] : [m.MetricStat.Metric.MetricName],
    );
    expect(names).toEqual([
      'DestinationDeliveryFailures',
      'DestinationDeliveryFailures',
      'DestinationDeliveryFailures',
    ]);
  });

  it('on-failure objects reach EventBridge and a rule matches only what Lambda writes', () => {
    template.hasResourceProperties('AWS::S3::Bucket', {
      NotificationConfiguration: { EventBridgeConfiguration: { EventBridgeEnabled: true } },
    });
    template.hasResourceProperties('AWS::Events::Rule', {
      Name: `${STAGE}-on-failure-objects`,
      EventPattern: {
        source: ['aws.s3'],
        'detail-type': ['Object Created'],
        detail: { object: { key: [{ prefix: 'aws/lambda/' }] } },
      },
    });
  });

  it('every alarm of the stage notifies the topic on ALARM and OK', () => {
    const ours = alarms.filter((a) => a.AlarmName?.startsWith(`${STAGE}-`));
    expect(ours.length).toBeGreaterThanOrEqual(29);
    for (const found of ours) {
      expect(found.AlarmActions).toEqual([topicRef]);
      expect(found.OKActions).toEqual([topicRef]);
    }
  });

  it('a canary rolls back on the stage alarm of its function, the query path on API 5XX', () => {
    const groups = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup')).map(
      (r) => JSON.stringify((r as { Properties: { AlarmConfiguration?: unknown } }).Properties),
    );
    const groupsWatching = (alarmId: string) =>
      groups.filter((g) => g.includes(`"Ref":"OperationsAlarmsAlarm${alarmId}`)).length;
    expect(groupsWatching('consumererrors')).toBe(1);
    expect(groupsWatching('processorerrors')).toBe(1);
    expect(groupsWatching('rolluperrors')).toBe(1);
    // The query path's two functions and the ingest key authorizer.
    expect(groupsWatching('api5xxrate')).toBe(3);
  });

  it('the topic is e-mailed to alarmEmail', () => {
    template.hasResourceProperties('AWS::SNS::Topic', { TopicName: `${STAGE}-alarms` });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: EMAIL,
      TopicArn: { Ref: Match.stringLikeRegexp('^OperationsAlarmsTopic') },
    });
  });

  it('ingest unhealthy is a composite of the ingest path’s alarms', () => {
    const composite = template.findResources('AWS::CloudWatch::CompositeAlarm');
    const props = Object.values(composite).map(
      (r) => (r as { Properties: Record<string, unknown> }).Properties,
    );
    const found = props.find((p) => p['AlarmName'] === `${STAGE}-ingest-unhealthy`);
    expect(found).toBeDefined();
    expect(found?.['AlarmActions']).toEqual([topicRef]);
    const rule = JSON.stringify(found?.['AlarmRule']);
    for (const key of ['api5xxrate', 'consumerlag', 'consumererrors', 'kinesiswritethrottled']) {
      expect(rule).toContain(`OperationsAlarmsAlarm${key}`);
    }
  });
});

/** GitHub's heading anchors: lower-case, punctuation dropped, spaces to hyphens. */
function anchorsOf(markdown: string): Set<string> {
  return new Set(
    markdown
      .split('\n')
      .filter((line) => /^#{1,6} /.test(line))
      .map((line) =>
        line
          .replace(/^#+ /, '')
          .trim()
          .toLowerCase()
          .replace(/[^\p{L}\p{N} _-]/gu, '')
          .replace(/ /g, '-'),
      ),
  );
}

describe('runbook links', () => {
  const runbook = readFileSync(join(__dirname, '..', TROUBLESHOOTING_RUNBOOK), 'utf8');
  const anchors = anchorsOf(runbook);
  const composite = Object.values(template.findResources('AWS::CloudWatch::CompositeAlarm')).map(
    (r) => (r as { Properties: CfnAlarm }).Properties,
  );

  it.each([...alarms, ...composite].map((a) => [a.AlarmName ?? a.AlarmDescription, a] as const))(
    '%s links a section of the troubleshooting runbook that exists',
    (_name, found) => {
      const link = new RegExp(
        `Runbook: ${TROUBLESHOOTING_RUNBOOK.replace(/\./g, '\\.')}#([a-z0-9-]+)$`,
      );
      const anchor = link.exec(found.AlarmDescription ?? '')?.[1];
      expect(anchor).toBeDefined();
      expect([...anchors]).toContain(anchor);
    },
  );
});

describe('budget and dashboards', () => {
  it('budgets the month with e-mail at 80 % actual and 100 % forecast', () => {
    template.hasResourceProperties('AWS::Budgets::Budget', {
      Budget: {
        BudgetName: `${STAGE}-monthly`,
        BudgetType: 'COST',
        TimeUnit: 'MONTHLY',
        BudgetLimit: { Amount: 40, Unit: 'USD' },
      },
      NotificationsWithSubscribers: [
        {
          Notification: {
            NotificationType: 'ACTUAL',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: BUDGET_ACTUAL_PERCENT,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: EMAIL }],
        },
        {
          Notification: {
            NotificationType: 'FORECASTED',
            ComparisonOperator: 'GREATER_THAN',
            Threshold: BUDGET_FORECAST_PERCENT,
            ThresholdType: 'PERCENTAGE',
          },
          Subscribers: [{ SubscriptionType: 'EMAIL', Address: EMAIL }],
        },
      ],
    });
  });

  it('the operations dashboard shows alarms, API, Lambdas, Kinesis, DynamoDB and failures', () => {
    template.hasResourceProperties('AWS::CloudWatch::Dashboard', {
      DashboardName: `${STAGE}-operations`,
    });
    const dashboards = template.findResources('AWS::CloudWatch::Dashboard', {
      Properties: { DashboardName: `${STAGE}-operations` },
    });
    const body = JSON.stringify(dashboards);
    for (const title of [
      'Alarms',
      'API — requests, 4XX, 5XX',
      'Lambda — errors and throttles',
      'Stream functions — iterator age (ms)',
      'Kinesis — write throttled',
      'DynamoDB — throttle events',
      'Failures — batches to the on-failure bucket',
      'Failures — bad-row share',
    ]) {
      expect(body).toContain(`\\"title\\":\\"${title}\\"`);
    }
    expect(body).toContain('IteratorAge');
    expect(body).toContain('WriteProvisionedThroughputExceeded');
  });

  it('the business dashboard shows the consumer and reads the stage’s namespace', () => {
    const body = JSON.stringify(
      template.findResources('AWS::CloudWatch::Dashboard', {
        Properties: { DashboardName: `${STAGE}-business` },
      }),
    );
    expect(body).toContain('Consumer — iterator age (stream lag)');
    expect(body).toContain(NAMESPACE);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^LiveInsight processor'),
      Environment: { Variables: Match.objectLike({ [ENV.metricsNamespace]: NAMESPACE }) },
    });
  });

  it('outputs the operations dashboard link and the alarm topic', () => {
    const outputs = JSON.stringify(template.findOutputs('*'));
    expect(outputs).toContain(`#dashboards/dashboard/${STAGE}-operations`);
    expect(outputs).toContain('AlarmTopicArn');
  });
});
