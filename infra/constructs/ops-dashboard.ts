/**
 * The operations dashboard of one stage, beside the business one: the alarms' states on top,
 * then one row per hop of the data path — API, Lambdas, Kinesis, DynamoDB — and the failure
 * signals (on-failure objects, bad rows). Every graph is a metric the alarms also read, so what
 * pages the on-call engineer is on the screen they open.
 */
import { Duration } from 'aws-cdk-lib';
import * as cw from 'aws-cdk-lib/aws-cloudwatch';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { Construct } from 'constructs';
import { FUNCTION_KEYS, TABLE_KEYS, type TableKey } from '../resources';
import { LOG_METRICS, TROUBLESHOOTING_RUNBOOK, type OpsAlarms } from './ops-alarms';

/** The functions shown, by the name their widgets carry. */
export const OPS_FUNCTION_KEYS = FUNCTION_KEYS;
export type OpsFunctionKey = (typeof OPS_FUNCTION_KEYS)[number];

export interface OpsDashboardProps {
  readonly dashboardName: string;
  readonly api: apigateway.RestApi;
  readonly functions: Readonly<Record<OpsFunctionKey, lambda.IFunction>>;
  readonly eventsStream: kinesis.IStream;
  readonly tables: Readonly<Record<TableKey, dynamodb.ITable>>;
  /** The stage's alarms: their states head the dashboard, their failure metrics close it. */
  readonly alarms: OpsAlarms;
  /** The stage's namespace, where the metric filters publish. */
  readonly metricsNamespace: string;
  /** @default Duration.hours(3) */
  readonly defaultInterval?: Duration;
}

export class OpsDashboard extends Construct {
  readonly dashboard: cw.Dashboard;

  constructor(scope: Construct, id: string, props: OpsDashboardProps) {
    super(scope, id);
    const minute = Duration.minutes(1);
    const sum = { statistic: cw.Stats.SUM, period: minute };
    const graph = (title: string, left: cw.IMetric[], width = 8, right: cw.IMetric[] = []) =>
      new cw.GraphWidget({
        title,
        width,
        height: 6,
        left,
        right,
        leftYAxis: { min: 0 },
        period: minute,
      });

    this.dashboard = new cw.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      defaultInterval: props.defaultInterval ?? Duration.hours(3),
    });
    this.dashboard.addWidgets(
      new cw.TextWidget({
        width: 24,
        height: 2,
        markdown: `# LiveInsight — operations\nEvery alarm's description links its section of \`${TROUBLESHOOTING_RUNBOOK}\`.`,
      }),
    );
    this.dashboard.addWidgets(
      new cw.AlarmStatusWidget({
        title: 'Alarms',
        width: 24,
        height: 4,
        alarms: [
          props.alarms.ingestUnhealthy,
          ...Object.values(props.alarms.alarms).map((entry) => entry.alarm),
        ],
      }),
    );

    const stage = props.api.deploymentStage;
    this.dashboard.addWidgets(
      graph('API — requests, 4XX, 5XX', [
        stage.metricCount(sum),
        stage.metricClientError(sum),
        stage.metricServerError(sum),
      ]),
      graph('API — latency (ms)', [
        stage.metricLatency({ statistic: cw.Stats.p(50), period: minute }),
        stage.metricLatency({ statistic: cw.Stats.p(99), period: minute }),
        stage.metricIntegrationLatency({ statistic: cw.Stats.p(99), period: minute }),
      ]),
      graph('API — throttled (429)', [
        new cw.Metric({
          namespace: props.metricsNamespace,
          metricName: LOG_METRICS.apiThrottled,
          ...sum,
        }),
      ]),
    );

    const fns = OPS_FUNCTION_KEYS.map((key) => [key, props.functions[key]] as const);
    this.dashboard.addWidgets(
      graph(
        'Lambda — invocations',
        fns.map(([key, fn]) => fn.metricInvocations({ ...sum, label: key })),
      ),
      graph(
        'Lambda — errors and throttles',
        fns.flatMap(([key, fn]) => [
          fn.metricErrors({ ...sum, label: `${key} errors` }),
          fn.metricThrottles({ ...sum, label: `${key} throttles` }),
        ]),
      ),
      graph(
        'Lambda — p99 duration (ms)',
        fns.map(([key, fn]) =>
          fn.metricDuration({ statistic: cw.Stats.p(99), period: minute, label: key }),
        ),
      ),
    );
    this.dashboard.addWidgets(
      graph(
        'Stream functions — iterator age (ms)',
        (['consumer', 'processor', 'rollup'] as const).map((key) =>
          props.functions[key].metric('IteratorAge', {
            statistic: cw.Stats.MAXIMUM,
            period: minute,
            label: key,
          }),
        ),
        12,
      ),
      graph(
        'Lambda — concurrent executions',
        fns.map(([key, fn]) =>
          fn.metric('ConcurrentExecutions', {
            statistic: cw.Stats.MAXIMUM,
            period: minute,
            label: key,
          }),
        ),
        12,
      ),
    );

    const stream = props.eventsStream;
    this.dashboard.addWidgets(
      graph('Kinesis — records in', [stream.metricIncomingRecords(sum)]),
      graph('Kinesis — write throttled', [
        stream.metricWriteProvisionedThroughputExceeded(sum),
        stream.metricPutRecordsThrottledRecords(sum),
      ]),
      graph('Kinesis — PutRecords latency (ms)', [
        stream.metricPutRecordsLatency({ statistic: cw.Stats.p(99), period: minute }),
      ]),
    );

    const tables = TABLE_KEYS.map((key) => [key, props.tables[key]] as const);
    this.dashboard.addWidgets(
      graph(
        'DynamoDB — consumed write units',
        tables.map(([key, table]) =>
          table.metricConsumedWriteCapacityUnits({ ...sum, label: key }),
        ),
      ),
      graph(
        'DynamoDB — consumed read units',
        tables.map(([key, table]) => table.metricConsumedReadCapacityUnits({ ...sum, label: key })),
      ),
      graph(
        'DynamoDB — throttle events',
        tables.flatMap(([key, table]) => [
          table.metric('ReadThrottleEvents', { ...sum, label: `${key} read` }),
          table.metric('WriteThrottleEvents', { ...sum, label: `${key} write` }),
        ]),
      ),
    );

    this.dashboard.addWidgets(
      graph(
        'Failures — batches to the on-failure bucket',
        [props.alarms.alarmOf('on-failure-records').alarm.metric],
        8,
      ),
      graph('Failures — consumer records and bad rows', [
        new cw.Metric({
          namespace: props.metricsNamespace,
          metricName: LOG_METRICS.consumerRecords,
          ...sum,
        }),
        new cw.Metric({
          namespace: props.metricsNamespace,
          metricName: LOG_METRICS.consumerBadRecords,
          ...sum,
        }),
      ]),
      graph('Failures — bad-row share', [props.alarms.alarmOf('bad-row-rate').alarm.metric]),
    );
  }
}
