/**
 * LiveInsight's stack: the data resources of infra/resources.ts (`this.data`) and the constructs
 * that use them, each receiving the tables, stream and buckets as objects — the ingest API, the
 * consumer, processor and rollup functions with their event-source mappings, the query API, the
 * dashboard hosting, the business dashboard, and the stage's operations and protection.
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConsumerFunction, type ConsumerFunctionProps } from './constructs/consumer-function';
import { DataResources, type DataResourcesProps } from './constructs/data-resources';
import { BusinessDashboard } from './constructs/business-dashboard';
import { ProcessorFunction, type ProcessorFunctionProps } from './constructs/processor-function';
import { RollupFunction, type RollupFunctionProps } from './constructs/rollup-function';
import { IngestApi } from './constructs/ingest-api';
import { DashboardHosting, type DashboardHostingProps } from './constructs/dashboard-hosting';
import type { FunctionCode } from './constructs/bundled-function';
import { QueryApi, queryStageOptions } from './constructs/query-api';
import { StageOperations } from './constructs/stage-operations';
import { ApiFirewall } from './constructs/api-firewall';
import { StageProtection } from './constructs/stage-protection';
import { PROTECTION_DEFAULTS, type ProtectionSettings } from './protection-config';
import { METRICS_NAMESPACE } from '../schemas/business-metrics';
import { STAGE_DEFAULTS, stageMetricsNamespace } from './stage-config';
import { TABLE_KEYS } from './resources';
import { ADMIN_OUTPUTS, ADMIN_TABLE_OUTPUTS, ADMIN_USAGE_PLAN_OUTPUTS } from './admin-outputs';
import { TIER_NAMES } from '../schemas/registry';
import type { KinesisReader } from './resources';

export interface LiveInsightStackProps extends StackProps, DataResourcesProps {
  /**
   * Reserved concurrency of the consumer Lambda.
   * @default undefined (unreserved)
   */
  readonly consumerReservedConcurrency?: number;
  /**
   * The consumer's code: bundled with esbuild at synth time, or a prebuilt directory.
   * @default { kind: 'bundle' }
   */
  readonly consumerCode?: ConsumerFunctionProps['code'];
  /**
   * The processor's code: bundled with esbuild at synth time, or a prebuilt directory.
   * @default { kind: 'bundle' }
   */
  readonly processorCode?: ProcessorFunctionProps['code'];
  /**
   * The realtime rollup function's code: bundled with esbuild at synth time, or prebuilt.
   * @default { kind: 'bundle' }
   */
  readonly rollupCode?: RollupFunctionProps['code'];
  /**
   * Name of the CloudWatch business dashboard.
   * @default `${stage}-business`
   */
  readonly businessDashboardName?: string;
  /**
   * The query and authorizer functions' code: bundled with esbuild at synth time, or prebuilt.
   * @default { kind: 'bundle' } for both
   */
  readonly queryCode?: FunctionCode;
  readonly authorizerCode?: FunctionCode;
  /**
   * The ingest key authorizer's code (handlers/ingest-authorizer/).
   * @default { kind: 'bundle' }
   */
  readonly ingestAuthorizerCode?: FunctionCode;
  /**
   * The live dashboard's own domain names and ACM certificate (us-east-1).
   * @default the distribution's *.cloudfront.net name
   */
  readonly dashboardDomain?: DashboardHostingProps['domain'];
  /**
   * A WAFv2 web ACL (CLOUDFRONT scope) for the dashboard's distribution.
   * @default none
   */
  readonly dashboardWebAclArn?: string;
  /**
   * Where alarm and budget notifications are e-mailed (infra/stage-config.ts).
   * @default none (the alarm topic has no subscription)
   */
  readonly alarmEmail?: string;
  /** @default STAGE_DEFAULTS.monthlyBudgetUsd */
  readonly monthlyBudgetUsd?: number;
  /** Prefix of the runbook links in alarm descriptions. @default '' (repository-relative) */
  readonly runbookBaseUrl?: string;
  /**
   * Create the account's API Gateway CloudWatch role (one per account and region: false for a
   * second stage in the same account).
   * @default true
   */
  readonly apiGatewayCloudWatchRole?: boolean;
  /**
   * How the consumer reads the events stream.
   * @default CONSUMER_KINESIS_READER (enhanced fan-out)
   */
  readonly consumerReader?: KinesisReader;
  /**
   * The API stage's cache cluster; false: the query function caches `/realtime` itself.
   * @default true
   */
  readonly apiCache?: boolean;
  /**
   * WAF, backups, reserved concurrency, retention and termination protection
   * (infra/protection-config.ts, from context in app.ts).
   * @default PROTECTION_DEFAULTS; termination protection for a stage named prod or *-prod
   */
  readonly protection?: Partial<ProtectionSettings>;
}

export class LiveInsightStack extends Stack {
  readonly data: DataResources;
  readonly consumer: ConsumerFunction;
  readonly processor: ProcessorFunction;
  readonly rollup: RollupFunction;
  readonly businessDashboard: BusinessDashboard;
  readonly ingest: IngestApi;
  readonly dashboard: DashboardHosting;
  readonly query: QueryApi;
  readonly operations: StageOperations;
  /** WAF on the API; undefined when `protection.waf` is false. */
  readonly apiFirewall: ApiFirewall | undefined;
  /** Aliases and canaries (`protection.live`), reserved concurrency, backups, tracing rule. */
  readonly protection: StageProtection;

  constructor(scope: Construct, id: string, props: LiveInsightStackProps) {
    super(scope, id, props);
    // Stages share an account without adding up each other's numbers (issue 12).
    const metricsNamespace = stageMetricsNamespace(METRICS_NAMESPACE, props.stage);
    this.data = new DataResources(this, 'Data', {
      stage: props.stage,
      ...(props.streamMode === undefined ? {} : { streamMode: props.streamMode }),
      ...(props.shardCount === undefined ? {} : { shardCount: props.shardCount }),
      ...(props.activeSessionShards === undefined
        ? {}
        : { activeSessionShards: props.activeSessionShards }),
      ...(props.siteShards === undefined ? {} : { siteShards: props.siteShards }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    this.consumer = new ConsumerFunction(this, 'Consumer', {
      eventsStream: this.data.eventsStream,
      eventsTable: this.data.tables.events,
      sessionsTable: this.data.tables.sessions,
      activeSessionsTable: this.data.tables.activeSessions,
      badRowsTable: this.data.tables.badRows,
      failureBucket: this.data.buckets.failures,
      activeSessionShards: this.data.definitions.activeSessionShards,
      siteShards: this.data.definitions.shardPlan.sites,
      streamConsumerName: this.data.definitions.names.eventsStreamConsumer,
      ...(props.consumerReservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.consumerReservedConcurrency }),
      ...(props.consumerCode === undefined ? {} : { code: props.consumerCode }),
      ...(props.consumerReader === undefined ? {} : { kinesisReader: props.consumerReader }),
    });
    this.processor = new ProcessorFunction(this, 'Processor', {
      sessionsTable: this.data.tables.sessions,
      activeSessionsTable: this.data.tables.activeSessions,
      badRowsTable: this.data.tables.badRows,
      failureBucket: this.data.buckets.failures,
      metricsNamespace,
      ...(props.processorCode === undefined ? {} : { code: props.processorCode }),
    });
    this.rollup = new RollupFunction(this, 'Rollup', {
      activeSessionsTable: this.data.tables.activeSessions,
      realtimeRollupsTable: this.data.tables.realtimeRollups,
      failureBucket: this.data.buckets.failures,
      siteShards: this.data.definitions.shardPlan.sites,
      ...(props.rollupCode === undefined ? {} : { code: props.rollupCode }),
    });
    this.businessDashboard = new BusinessDashboard(this, 'BusinessDashboard', {
      dashboardName: props.businessDashboardName ?? `${props.stage}-business`,
      namespace: this.processor.metricsNamespace,
      processor: this.processor.function,
      rollup: this.rollup.function,
      consumer: this.consumer.function,
    });
    this.apiFirewall =
      (props.protection?.waf ?? PROTECTION_DEFAULTS.waf)
        ? new ApiFirewall(this, 'ApiFirewall', {
            name: props.stage,
            rateLimitPer5Minutes:
              props.protection?.wafRateLimit ?? PROTECTION_DEFAULTS.wafRateLimit,
          })
        : undefined;
    this.ingest = new IngestApi(this, 'Ingest', {
      ...(this.apiFirewall === undefined ? {} : { webAclArn: this.apiFirewall.webAclArn }),
      eventsStream: this.data.eventsStream,
      restApiName: `${props.stage}-api`,
      stageName: props.stage,
      manageCloudWatchRole: props.apiGatewayCloudWatchRole ?? true,
      registryTable: this.data.tables.registry,
      ...(props.ingestAuthorizerCode === undefined
        ? {}
        : { authorizerCode: props.ingestAuthorizerCode }),
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // The query API shares this REST API; its stage settings (cache cluster or none) go here.
      stageOptions: queryStageOptions(props.apiCache ?? true),
    });
    this.dashboard = new DashboardHosting(this, 'Dashboard', {
      bucket: this.data.buckets.dashboard,
      api: this.ingest.api,
      ...(props.dashboardDomain === undefined ? {} : { domain: props.dashboardDomain }),
      ...(props.dashboardWebAclArn === undefined ? {} : { webAclArn: props.dashboardWebAclArn }),
    });
    this.query = new QueryApi(this, 'Query', {
      api: this.ingest.api,
      activeSessionsTable: this.data.tables.activeSessions,
      realtimeRollupsTable: this.data.tables.realtimeRollups,
      readTokensTable: this.data.tables.readTokens,
      activeSessionShards: this.data.definitions.activeSessionShards,
      siteShards: this.data.definitions.shardPlan.sites,
      dashboardOrigin: this.dashboard.origin,
      stageCache: props.apiCache ?? true,
      ...(props.queryCode === undefined ? {} : { queryCode: props.queryCode }),
      ...(props.authorizerCode === undefined ? {} : { authorizerCode: props.authorizerCode }),
    });
    this.protection = new StageProtection(this, 'Protection', {
      stage: props.stage,
      functions: {
        consumer: this.consumer,
        processor: this.processor,
        rollup: this.rollup,
        query: { function: this.query.queryFunction, live: this.query.queryLive },
        authorizer: { function: this.query.authorizerFunction, live: this.query.authorizerLive },
        ingestAuthorizer: this.ingest.authorizerFunction,
      },
      api: this.ingest.api,
      accessLogs: this.ingest.accessLogs,
      tables: this.data.tables,
      failureBucket: this.data.buckets.failures,
      stream: this.data.definitions.eventsStream.settings,
      ...(props.protection === undefined ? {} : { settings: props.protection }),
    });
    this.operations = new StageOperations(this, 'Operations', {
      stage: props.stage,
      metricsNamespace,
      api: this.ingest.api,
      accessLogs: this.ingest.accessLogs,
      functions: {
        consumer: this.consumer.function,
        processor: this.processor.function,
        rollup: this.rollup.function,
        query: this.query.queryFunction,
        authorizer: this.query.authorizerFunction,
        ingestAuthorizer: this.ingest.authorizerFunction.function,
      },
      consumerLogs: this.consumer.function.logGroup,
      eventsStream: this.data.eventsStream,
      tables: this.data.tables,
      failureBucket: this.data.buckets.failures,
      monthlyBudgetUsd: props.monthlyBudgetUsd ?? STAGE_DEFAULTS.monthlyBudgetUsd,
      ...(props.alarmEmail === undefined ? {} : { alarmEmail: props.alarmEmail }),
      ...(props.runbookBaseUrl === undefined ? {} : { runbookBaseUrl: props.runbookBaseUrl }),
    });
    // A canary also rolls back while the stage's own alarm on its function (or, for the query
    // path, the API's 5XX rate) fires, not only on the live alias's errors.
    const ops = this.operations.alarms;
    this.protection.live.addRollbackAlarm(ops.alarmOf('consumer-errors').alarm, ['consumer']);
    this.protection.live.addRollbackAlarm(ops.alarmOf('processor-errors').alarm, ['processor']);
    this.protection.live.addRollbackAlarm(ops.alarmOf('rollup-errors').alarm, ['rollup']);
    // An ingest authorizer that fails answers 500 to POST /events (AUTHORIZER_FAILURE): the same
    // 5XX rate alarm rolls it back.
    this.protection.live.addRollbackAlarm(ops.alarmOf('api-5xx-rate').alarm, [
      'query',
      'authorizer',
      'ingestAuthorizer',
    ]);
    new CfnOutput(this, ADMIN_OUTPUTS.dashboardUrl, {
      description: 'The live dashboard; open it with ?siteId=<site>#token=<read token>',
      value: `${this.dashboard.origin}/`,
    });
    new CfnOutput(this, ADMIN_OUTPUTS.apiUrl, {
      description: 'Ingest (POST /events) and query (GET /realtime, /sessions/active, /health) API',
      value: this.ingest.api.url,
    });
    // What the admin CLI (cli/target.ts) reads to find this stage's resources.
    for (const key of TABLE_KEYS) {
      new CfnOutput(this, ADMIN_TABLE_OUTPUTS[key], { value: this.data.tables[key].tableName });
    }
    new CfnOutput(this, ADMIN_OUTPUTS.failureBucket, {
      value: this.data.buckets.failures.bucketName,
    });
    new CfnOutput(this, ADMIN_OUTPUTS.visitorSaltSecretArn, {
      value: this.consumer.visitorSaltSecret.secretArn,
    });
    new CfnOutput(this, ADMIN_OUTPUTS.activeSessionShards, {
      value: String(this.data.definitions.activeSessionShards),
    });
    new CfnOutput(this, ADMIN_OUTPUTS.siteShards, {
      value: JSON.stringify(this.data.definitions.shardPlan.sites),
    });
    new CfnOutput(this, ADMIN_OUTPUTS.apiId, { value: this.ingest.api.restApiId });
    for (const tier of TIER_NAMES) {
      new CfnOutput(this, ADMIN_USAGE_PLAN_OUTPUTS[tier], {
        value: this.ingest.usagePlans[tier].usagePlanId,
      });
    }
  }
}
