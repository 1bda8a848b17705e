/**
 * The on-call alarms of one stage, every one notifying an SNS topic (e-mail subscription from the
 * stage's `alarmEmail`) and describing itself with a link to its section of
 * docs/operations/troubleshooting.md. Built on aws-cdk-lib's metric helpers rather than
 * cdk-monitoring-constructs (README, "Operations on AWS": why).
 *
 * Metric choices rest on AWS documentation, not on a deployment (no account is reachable here):
 * - consumer lag: with enhanced fan-out the stream's GetRecords.IteratorAgeMilliseconds does not
 *   see the consumer; the function's `IteratorAge` does (Lambda developer guide, "Types of metrics
 *   for Lambda functions": IteratorAge for stream event sources).
 * - records sent to the on-failure destination: Lambda writes one S3 object per failed batch
 *   under `aws/lambda/<mapping UUID>/…` (Lambda guide, "Retain discarded records …"); the failures
 *   bucket sends its Object Created events to EventBridge and a rule matching that prefix counts
 *   them (`AWS/Events` MatchedEvents, dimension RuleName: EventBridge user guide, "Monitoring").
 *   `DestinationDeliveryFailures` counts the batches Lambda could not deliver there at all.
 * - API 5XX rate and 429 rate: API Gateway's `5XXError` averaged is the share of requests
 *   (API Gateway developer guide, "Amazon API Gateway dimensions and metrics"); 429 has no metric
 *   of its own, so a metric filter counts `status` 429 in the stage's JSON access log.
 * - bad-row rate: the consumer logs one JSON report per batch (`stats.records`, `stats.bad`,
 *   handlers/consumer/handler.ts); metric filters turn them into two metrics of the stage's
 *   namespace, so the consumer itself stays free of metric code.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { PROCESSOR_METRICS } from '../../schemas/business-metrics';
import { TABLE_KEYS, type TableKey } from '../resources';
import { ON_FAILURE_KEY_PREFIX } from './s3-on-failure-destination';

/** Where every alarm's runbook section lives, relative to the repository root. */
export const TROUBLESHOOTING_RUNBOOK = 'docs/operations/troubleshooting.md';

/**
 * An alarm description that links its runbook section: `<title>. Runbook: <base>docs/…md#<anchor>`.
 * Every alarm of the stack uses it (a test checks that each link's anchor exists).
 */
export function alarmDescription(title: string, anchor: string, runbookBaseUrl = ''): string {
  return `${title}. Runbook: ${runbookBaseUrl}${TROUBLESHOOTING_RUNBOOK}#${anchor}`;
}

/** The stream-triggered functions, each alarmed on errors, throttles and lag. */
export const STREAM_FUNCTION_KEYS = ['consumer', 'processor', 'rollup'] as const;
export type StreamFunctionKey = (typeof STREAM_FUNCTION_KEYS)[number];

/**
 * Lag alarm threshold: 5 minutes of IteratorAge. Every mapping's MaximumRecordAgeInSeconds is 6 h
 * (infra/resources.ts), so the alarm fires hours before Lambda would move records to S3; the
 * stack test checks it stays under a tenth of each mapping's maximum age.
 */
export const LAG_ALARM_MS = 5 * 60 * 1000;

/** API p99 latency threshold (ms): ingest is VTL → Kinesis, queries a cached Lambda. */
export const API_P99_LATENCY_MS = 1500;

/** Share of requests answered 5XX, and 429, that page (over 3 of 5 minutes). */
export const API_5XX_RATE = 0.01;
export const API_429_RATE = 0.05;

/** Share of consumer records that became bad rows (over 15 minutes, at least 100 records). */
export const BAD_ROW_RATE = 0.05;
export const BAD_ROW_MIN_RECORDS = 100;

/**
 * The DynamoDB operations our code calls on each table (handlers/adapters, handlers/query,
 * handlers/authorizer): `SystemErrors` exists per operation, and every metric in an alarm bills.
 */
export const TABLE_OPERATIONS: Readonly<Record<TableKey, readonly dynamodb.Operation[]>> = {
  events: [dynamodb.Operation.BATCH_WRITE_ITEM],
  sessions: [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.GET_ITEM],
  activeSessions: [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.QUERY],
  badRows: [dynamodb.Operation.BATCH_WRITE_ITEM],
  readTokens: [
    dynamodb.Operation.GET_ITEM,
    dynamodb.Operation.PUT_ITEM,
    dynamodb.Operation.DELETE_ITEM,
  ],
  realtimeRollups: [
    dynamodb.Operation.TRANSACT_WRITE_ITEMS,
    dynamodb.Operation.QUERY,
    dynamodb.Operation.GET_ITEM,
  ],
  // The ingest authorizer's read of a key and its site (one BatchGetItem in the site's
  // partition). The writes are the admin CLI's, which reports its own failures to the operator.
  registry: [dynamodb.Operation.BATCH_GET_ITEM],
};

/** Metric names the metric filters publish in the stage's namespace. */
export const LOG_METRICS = {
  consumerRecords: 'ConsumerRecords',
  consumerBadRecords: 'ConsumerBadRecords',
  apiThrottled: 'ApiThrottledRequests',
} as const;

export interface OpsAlarmsProps {
  /** Stage name: prefixes every alarm, the topic and the rule. */
  readonly stage: string;
  /** The stage's CloudWatch namespace (business metrics and the metric filters here). */
  readonly metricsNamespace: string;
  /** The REST API (ingest and query) whose deployment stage is watched. */
  readonly api: apigateway.RestApi;
  /** The API's access log group (JSON lines with `status`). */
  readonly accessLogs: logs.ILogGroup;
  readonly functions: Readonly<Record<StreamFunctionKey, lambda.IFunction>>;
  /** The consumer's log group, where its per-batch JSON reports go. */
  readonly consumerLogs: logs.ILogGroup;
  readonly eventsStream: kinesis.IStream;
  readonly tables: Readonly<Record<TableKey, dynamodb.ITable>>;
  /** The on-failure destination bucket of every stream mapping. */
  readonly failureBucket: s3.IBucket;
  /**
   * Where alarm notifications are e-mailed (confirm the subscription mail once).
   * @default no subscription (the topic exists; subscribe later)
   */
  readonly alarmEmail?: string;
  /**
   * Prefix of runbook links, e.g. `https://github.com/acme/liveinsight/blob/main/`.
   * @default '' (links relative to the repository root)
   */
  readonly runbookBaseUrl?: string;
}

/** One alarm with the runbook section that explains it. */
export interface OpsAlarm {
  readonly alarm: cloudwatch.Alarm;
  /** Heading anchor in TROUBLESHOOTING_RUNBOOK. */
  readonly runbookAnchor: string;
}

export class OpsAlarms extends Construct {
  readonly topic: sns.Topic;
  /** Every metric alarm by key (`consumer-lag`, `dynamodb-throttles-events`, …). */
  readonly alarms: Readonly<Record<string, OpsAlarm>>;
  /** Any sign that events are not getting from the API into the tables. */
  readonly ingestUnhealthy: cloudwatch.CompositeAlarm;
  /** The rule counting objects Lambda writes to the on-failure destination. */
  readonly onFailureRule: events.Rule;

  private readonly props: OpsAlarmsProps;
  private readonly action: actions.SnsAction;
  private readonly built: Record<string, OpsAlarm> = {};

  constructor(scope: Construct, id: string, props: OpsAlarmsProps) {
    super(scope, id);
    this.props = props;
    this.topic = new sns.Topic(this, 'Topic', {
      topicName: `${props.stage}-alarms`,
      displayName: `LiveInsight ${props.stage} alarms`,
      enforceSSL: true,
    });
    if (props.alarmEmail !== undefined) {
      this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    }
    Validations.of(this.topic).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SNS2',
      reason:
        'Alarm notifications carry alarm names and metric values, no event data. CloudWatch can publish to an encrypted topic only with a customer managed KMS key whose policy admits it ($1/month per key): not worth it for this content.',
    });
    this.action = new actions.SnsAction(this.topic);

    this.apiAlarms();
    for (const key of STREAM_FUNCTION_KEYS) this.functionAlarms(key);
    this.onFailureRule = this.onFailureAlarms();
    this.add('kinesis-write-throttled', 'kinesis-write-throttled', {
      title: 'Kinesis refused writes to the events stream (throughput exceeded)',
      metric: props.eventsStream.metricWriteProvisionedThroughputExceeded({
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(1),
      }),
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    for (const table of TABLE_KEYS) this.tableAlarms(table);
    this.badRowAlarms();
    this.alarms = this.built;

    const ingestKeys = [
      'api-5xx-rate',
      'kinesis-write-throttled',
      'consumer-errors',
      'consumer-throttles',
      'consumer-lag',
      'on-failure-records',
      'dynamodb-throttles-events',
      'dynamodb-throttles-sessions',
      'dynamodb-throttles-activeSessions',
      'dynamodb-throttles-badRows',
    ];
    this.ingestUnhealthy = new cloudwatch.CompositeAlarm(this, 'IngestUnhealthy', {
      compositeAlarmName: `${props.stage}-ingest-unhealthy`,
      alarmDescription: this.describe(
        'Ingest unhealthy: any alarm on the path API → Kinesis → consumer → tables is in ALARM',
        'ingest-unhealthy',
      ),
      alarmRule: cloudwatch.AlarmRule.anyOf(...ingestKeys.map((key) => this.alarmOf(key).alarm)),
    });
    this.ingestUnhealthy.addAlarmAction(this.action);
    this.ingestUnhealthy.addOkAction(this.action);
  }

  /** The alarm of `key`; throws naming the key when there is none. */
  alarmOf(key: string): OpsAlarm {
    const found = this.built[key];
    if (found === undefined) {
      throw new Error(
        `No ops alarm ${JSON.stringify(key)} (expected one of ${Object.keys(this.built).join(', ')})`,
      );
    }
    return found;
  }

  private describe(title: string, anchor: string): string {
    return alarmDescription(title, anchor, this.props.runbookBaseUrl);
  }

  private add(
    key: string,
    anchor: string,
    spec: {
      readonly title: string;
      readonly metric: cloudwatch.IMetric;
      readonly threshold: number;
      readonly evaluationPeriods: number;
      readonly datapointsToAlarm: number;
    },
  ): OpsAlarm {
    const alarm = new cloudwatch.Alarm(this, `Alarm-${key}`, {
      alarmName: `${this.props.stage}-${key}`,
      alarmDescription: this.describe(spec.title, anchor),
      metric: spec.metric,
      threshold: spec.threshold,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: spec.evaluationPeriods,
      datapointsToAlarm: spec.datapointsToAlarm,
      // No traffic is not a failure: idle stages stay OK.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
    alarm.addAlarmAction(this.action);
    alarm.addOkAction(this.action);
    const entry = { alarm, runbookAnchor: anchor };
    this.built[key] = entry;
    return entry;
  }

  private apiAlarms(): void {
    const stage = this.props.api.deploymentStage;
    const minute = Duration.minutes(1);
    this.add('api-5xx-rate', 'api-5xx-rate', {
      title: `API: more than ${API_5XX_RATE * 100} % of requests answered 5XX`,
      metric: stage.metricServerError({ statistic: cloudwatch.Stats.AVERAGE, period: minute }),
      threshold: API_5XX_RATE,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.add('api-p99-latency', 'api-p99-latency', {
      title: `API: p99 latency above ${API_P99_LATENCY_MS} ms`,
      metric: stage.metricLatency({
        statistic: cloudwatch.Stats.p(99),
        period: Duration.minutes(5),
      }),
      threshold: API_P99_LATENCY_MS,
      evaluationPeriods: 3,
      datapointsToAlarm: 3,
    });
    new logs.MetricFilter(this, 'ApiThrottledFilter', {
      logGroup: this.props.accessLogs,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
      metricNamespace: this.props.metricsNamespace,
      metricName: LOG_METRICS.apiThrottled,
      metricValue: '1',
      unit: cloudwatch.Unit.COUNT,
    });
    const throttled = new cloudwatch.Metric({
      namespace: this.props.metricsNamespace,
      metricName: LOG_METRICS.apiThrottled,
      statistic: cloudwatch.Stats.SUM,
      period: minute,
    });
    this.add('api-429-rate', 'api-429-rate', {
      title: `API: more than ${API_429_RATE * 100} % of requests throttled (429)`,
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests > 0, FILL(throttled, 0) / requests, 0)',
        usingMetrics: {
          throttled,
          requests: stage.metricCount({ statistic: cloudwatch.Stats.SUM, period: minute }),
        },
        period: minute,
        label: 'share of requests answered 429',
      }),
      threshold: API_429_RATE,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
  }

  private functionAlarms(key: StreamFunctionKey): void {
    const fn = this.props.functions[key];
    const minute = Duration.minutes(1);
    this.add(`${key}-errors`, 'function-errors', {
      title: `${key} Lambda: invocations failed (thrown errors, timeouts)`,
      metric: fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: minute }),
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.add(`${key}-throttles`, 'function-throttles', {
      title: `${key} Lambda: invocations throttled`,
      metric: fn.metricThrottles({ statistic: cloudwatch.Stats.SUM, period: minute }),
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.add(`${key}-lag`, `${key === 'consumer' ? 'consumer' : 'stream'}-lag`, {
      title: `${key} Lambda: IteratorAge above ${LAG_ALARM_MS / 60_000} min (records wait before the function sees them)`,
      metric: fn.metric('IteratorAge', { statistic: cloudwatch.Stats.MAXIMUM, period: minute }),
      threshold: LAG_ALARM_MS,
      evaluationPeriods: 5,
      datapointsToAlarm: 5,
    });
  }

  private onFailureAlarms(): events.Rule {
    // Object Created events of the failures bucket go to EventBridge (a bucket setting, no
    // custom resource); the rule matches only what Lambda writes, not the bad-row payloads.
    const bucket = this.props.failureBucket.node.defaultChild;
    if (!(bucket instanceof s3.CfnBucket)) {
      throw new Error(
        `failureBucket ${this.props.failureBucket.node.path} is not a bucket of this app (expected an s3.Bucket whose EventBridge notifications can be turned on)`,
      );
    }
    bucket.addPropertyOverride('NotificationConfiguration.EventBridgeConfiguration', {
      EventBridgeEnabled: true,
    });
    const rule = new events.Rule(this, 'OnFailureObjects', {
      ruleName: `${this.props.stage}-on-failure-objects`,
      description: 'Lambda wrote a failed stream batch to the failures bucket',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [this.props.failureBucket.bucketName] },
          object: { key: [{ prefix: ON_FAILURE_KEY_PREFIX }] },
        },
      },
    });
    Validations.of(rule).acknowledge({
      id: 'Serverless::Serverless-EventBusDLQ',
      reason:
        'The rule has no target: it exists for its MatchedEvents metric, which the on-failure-records alarm reads. Nothing is delivered, so nothing can be dead-lettered.',
    });
    const period = Duration.minutes(5);
    this.add('on-failure-records', 'on-failure-records', {
      title:
        'Stream batches moved to the on-failure destination (S3): retries exhausted or records too old',
      metric: new cloudwatch.Metric({
        namespace: 'AWS/Events',
        metricName: 'MatchedEvents',
        dimensionsMap: { RuleName: rule.ruleName },
        statistic: cloudwatch.Stats.SUM,
        period,
      }),
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    const usingMetrics = Object.fromEntries(
      STREAM_FUNCTION_KEYS.map((key) => [
        key,
        this.props.functions[key].metric('DestinationDeliveryFailures', {
          statistic: cloudwatch.Stats.SUM,
          period,
        }),
      ]),
    );
    this.add('on-failure-delivery-failures', 'on-failure-delivery-failures', {
      title: 'Lambda could not write a failed stream batch to the on-failure destination',
      metric: new cloudwatch.MathExpression({
        expression: STREAM_FUNCTION_KEYS.map((key) => `FILL(${key}, 0)`).join(' + '),
        usingMetrics,
        period,
        label: 'destination delivery failures',
      }),
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    return rule;
  }

  private tableAlarms(key: TableKey): void {
    const table = this.props.tables[key];
    const minute = Duration.minutes(1);
    const events = (name: string): cloudwatch.Metric =>
      table.metric(name, { statistic: cloudwatch.Stats.SUM, period: minute });
    this.add(`dynamodb-throttles-${key}`, 'dynamodb-throttles', {
      title: `DynamoDB ${key}: requests throttled`,
      metric: new cloudwatch.MathExpression({
        expression: 'FILL(reads, 0) + FILL(writes, 0)',
        usingMetrics: {
          reads: events('ReadThrottleEvents'),
          writes: events('WriteThrottleEvents'),
        },
        period: minute,
        label: 'throttle events',
      }),
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 3,
    });
    this.add(`dynamodb-system-errors-${key}`, 'dynamodb-system-errors', {
      title: `DynamoDB ${key}: requests failed with a service error (HTTP 500)`,
      metric: table.metricSystemErrorsForOperations({
        operations: [...TABLE_OPERATIONS[key]],
        period: minute,
      }),
      threshold: 0,
      evaluationPeriods: 5,
      datapointsToAlarm: 2,
    });
  }

  private badRowAlarms(): void {
    const report = logs.FilterPattern.stringValue('$.message', '=', 'consumer batch');
    const filter = (id: string, metricName: string, value: string): void => {
      new logs.MetricFilter(this, id, {
        logGroup: this.props.consumerLogs,
        filterPattern: report,
        metricNamespace: this.props.metricsNamespace,
        metricName,
        metricValue: value,
        unit: cloudwatch.Unit.COUNT,
      });
    };
    filter('ConsumerRecordsFilter', LOG_METRICS.consumerRecords, '$.stats.records');
    filter('ConsumerBadRecordsFilter', LOG_METRICS.consumerBadRecords, '$.stats.bad');
    const period = Duration.minutes(15);
    const metric = (metricName: string): cloudwatch.Metric =>
      new cloudwatch.Metric({
        namespace: this.props.metricsNamespace,
        metricName,
        statistic: cloudwatch.Stats.SUM,
        period,
      });
    this.add('bad-row-rate', 'bad-row-rate', {
      title: `Consumer: more than ${BAD_ROW_RATE * 100} % of records became bad rows`,
      metric: new cloudwatch.MathExpression({
        expression: `IF(records >= ${BAD_ROW_MIN_RECORDS}, FILL(bad, 0) / records, 0)`,
        usingMetrics: {
          records: metric(LOG_METRICS.consumerRecords),
          bad: metric(LOG_METRICS.consumerBadRecords),
        },
        period,
        label: 'bad-row share of consumer records',
      }),
      threshold: BAD_ROW_RATE,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
    const malformed: keyof typeof PROCESSOR_METRICS = 'MalformedStreamRecords';
    this.add('processor-malformed-records', 'processor-malformed-records', {
      title: 'Processor: stream records it could not interpret (kept as bad rows)',
      metric: new cloudwatch.Metric({
        namespace: this.props.metricsNamespace,
        metricName: malformed,
        statistic: cloudwatch.Stats.SUM,
        period: Duration.minutes(5),
      }),
      threshold: 0,
      evaluationPeriods: 1,
      datapointsToAlarm: 1,
    });
  }
}
