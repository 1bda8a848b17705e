/**
 * LiveInsight's stack. Minimal for now: the data resources from infra/resources.ts; the ingest
 * API, Lambdas, event-source mappings and dashboards add their constructs here, receiving the
 * tables, stream and buckets as objects (`this.data`).
 */
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ConsumerFunction, type ConsumerFunctionProps } from './constructs/consumer-function';
import { DataResources, type DataResourcesProps } from './constructs/data-resources';
import { BusinessDashboard } from './constructs/business-dashboard';
import { ProcessorFunction, type ProcessorFunctionProps } from './constructs/processor-function';
import { RollupFunction, type RollupFunctionProps } from './constructs/rollup-function';
import { IngestApi, type IngestSite } from './constructs/ingest-api';
import { DashboardHosting, type DashboardHostingProps } from './constructs/dashboard-hosting';
import type { FunctionCode } from './constructs/bundled-function';
import { QUERY_STAGE_OPTIONS, QueryApi } from './constructs/query-api';

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
   * Sites whose browsers may send events, with their allowed origins (the ingest API's stage
   * variables). Ingest keys are created outside CloudFormation (localstack/edge/README.md).
   * @default []
   */
  readonly ingestSites?: readonly IngestSite[];
  /**
   * The query and authorizer functions' code: bundled with esbuild at synth time, or prebuilt.
   * @default { kind: 'bundle' } for both
   */
  readonly queryCode?: FunctionCode;
  readonly authorizerCode?: FunctionCode;
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

  constructor(scope: Construct, id: string, props: LiveInsightStackProps) {
    super(scope, id, props);
    this.data = new DataResources(this, 'Data', {
      stage: props.stage,
      ...(props.streamMode === undefined ? {} : { streamMode: props.streamMode }),
      ...(props.shardCount === undefined ? {} : { shardCount: props.shardCount }),
      ...(props.activeSessionShards === undefined
        ? {}
        : { activeSessionShards: props.activeSessionShards }),
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
      streamConsumerName: this.data.definitions.names.eventsStreamConsumer,
      ...(props.consumerReservedConcurrency === undefined
        ? {}
        : { reservedConcurrentExecutions: props.consumerReservedConcurrency }),
      ...(props.consumerCode === undefined ? {} : { code: props.consumerCode }),
    });
    this.processor = new ProcessorFunction(this, 'Processor', {
      sessionsTable: this.data.tables.sessions,
      activeSessionsTable: this.data.tables.activeSessions,
      badRowsTable: this.data.tables.badRows,
      failureBucket: this.data.buckets.failures,
      ...(props.processorCode === undefined ? {} : { code: props.processorCode }),
    });
    this.rollup = new RollupFunction(this, 'Rollup', {
      activeSessionsTable: this.data.tables.activeSessions,
      realtimeRollupsTable: this.data.tables.realtimeRollups,
      failureBucket: this.data.buckets.failures,
      ...(props.rollupCode === undefined ? {} : { code: props.rollupCode }),
    });
    this.businessDashboard = new BusinessDashboard(this, 'BusinessDashboard', {
      dashboardName: props.businessDashboardName ?? `${props.stage}-business`,
      namespace: this.processor.metricsNamespace,
      processor: this.processor.function,
      rollup: this.rollup.function,
    });
    this.ingest = new IngestApi(this, 'Ingest', {
      eventsStream: this.data.eventsStream,
      restApiName: `${props.stage}-api`,
      sites: props.ingestSites ?? [],
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // The query API shares this REST API; GET /realtime is cached on its stage (issue 8).
      stageOptions: QUERY_STAGE_OPTIONS,
    });
    this.dashboard = new DashboardHosting(this, 'Dashboard', {
      bucket: this.data.buckets.dashboard,
      apiUrl: this.ingest.api.url,
      ...(props.dashboardDomain === undefined ? {} : { domain: props.dashboardDomain }),
      ...(props.dashboardWebAclArn === undefined ? {} : { webAclArn: props.dashboardWebAclArn }),
    });
    this.query = new QueryApi(this, 'Query', {
      api: this.ingest.api,
      activeSessionsTable: this.data.tables.activeSessions,
      realtimeRollupsTable: this.data.tables.realtimeRollups,
      readTokensTable: this.data.tables.readTokens,
      activeSessionShards: this.data.definitions.activeSessionShards,
      dashboardOrigin: this.dashboard.origin,
      ...(props.queryCode === undefined ? {} : { queryCode: props.queryCode }),
      ...(props.authorizerCode === undefined ? {} : { authorizerCode: props.authorizerCode }),
    });
    new CfnOutput(this, 'DashboardUrl', {
      description: 'The live dashboard; open it with ?siteId=<site>#token=<read token>',
      value: `${this.dashboard.origin}/`,
    });
    new CfnOutput(this, 'ApiUrl', {
      description: 'Ingest (POST /events) and query (GET /realtime, /sessions/active, /health) API',
      value: this.ingest.api.url,
    });
  }
}
