/**
 * The processor Lambda (handlers/processor) and its DynamoDB Streams event-source mappings on
 * Sessions and ActiveSessions, configured from the mapping definitions in infra/resources.ts
 * (PROCESSOR_MAPPING_SETTINGS) that the local event-source mapping runs with too. Metrics leave
 * as EMF on stdout (no cloudwatch:PutMetricData needed); failed or aged-out batches go to the
 * failures bucket with their records.
 */
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { BAD_ROW_PAYLOAD_PREFIX } from '../../handlers/adapters/bad-row-payloads';
import { ENV } from '../../handlers/env-names';
import { METRICS_NAMESPACE } from '../../schemas/business-metrics';
import {
  EVENT_SOURCE_MAPPINGS,
  FUNCTION_TUNING,
  type EventSourceMappingSettings,
  type MappingKey,
  validateEventSourceMappingSettings,
} from '../resources';
import { bundledFunction, type FunctionCode, validateMemorySize } from './bundled-function';
import type { LiveAlias } from './live-alias';
import { nagArnOf } from './nag-arn';
import { acknowledgeOnFailureObjects } from './s3-on-failure-destination';
import { acknowledgeListStreams, streamMappingProps } from './stream-mapping-props';

export interface ProcessorFunctionProps {
  /** Streamed with NEW_AND_OLD_IMAGES (infra/resources.ts). */
  readonly sessionsTable: dynamodb.ITable;
  /** Streamed with NEW_AND_OLD_IMAGES; its TTL deletions are the session expiries. */
  readonly activeSessionsTable: dynamodb.ITable;
  readonly badRowsTable: dynamodb.ITable;
  /** On-failure destination; also holds bad-row payloads too large for an item. */
  readonly failureBucket: s3.IBucket;
  /**
   * CloudWatch namespace of the business metrics.
   * @default 'LiveInsight'
   */
  readonly metricsNamespace?: string;
  /** @default FUNCTION_TUNING.processor (256 MB) */
  readonly memorySize?: number;
  /** @default FUNCTION_TUNING.processor (30 s) */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency: Σ shards × ParallelizationFactor of its mappings (reservedConcurrency
   * in infra/resources.ts), so a read flood cannot starve it.
   * @default undefined (unreserved)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Event-source-mapping settings per source.
   * @default the `processorFromSessions` / `processorFromActiveSessions` settings of
   * infra/resources.ts, the ones the local mapping runs
   */
  readonly mappingSettings?: Partial<Record<ProcessorMappingKey, EventSourceMappingSettings>>;
  /**
   * Code: an esbuild bundle made at synth time from handlers/processor/index.ts, or a directory
   * holding an already built `index.js`.
   * @default { kind: 'bundle' }
   */
  readonly code?: FunctionCode;
}

export type ProcessorMappingKey = Extract<
  MappingKey,
  'processorFromSessions' | 'processorFromActiveSessions'
>;

export const PROCESSOR_ENTRY = join(__dirname, '..', '..', 'handlers', 'processor', 'index.ts');

/** CloudWatch namespaces: 1–255 characters of this set, not starting with `AWS/`. */
const NAMESPACE_PATTERN = /^(?!AWS\/)[a-zA-Z0-9 ._#:/-]{1,255}$/;

export class ProcessorFunction extends Construct {
  readonly function: lambda.Function;
  /** The alias `live` the mappings invoke, with its canary deployment group. */
  readonly live: LiveAlias;
  readonly eventSources: Readonly<Record<ProcessorMappingKey, DynamoEventSource>>;
  readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);
    // Its error comes before the namespace's (bundledFunction checks it again).
    const memorySize = validateMemorySize(props.memorySize ?? FUNCTION_TUNING.processor.memoryMb);
    this.metricsNamespace = props.metricsNamespace ?? METRICS_NAMESPACE;
    if (!NAMESPACE_PATTERN.test(this.metricsNamespace)) {
      throw new RangeError(
        `metricsNamespace is ${JSON.stringify(this.metricsNamespace)} (expected 1–255 of letters, digits and ._#:/- or space, not starting with AWS/)`,
      );
    }

    const {
      function: fn,
      role,
      live,
    } = bundledFunction(this, 'Function', {
      entry: PROCESSOR_ENTRY,
      code: props.code ?? { kind: 'bundle' },
      description:
        'LiveInsight processor: Sessions / ActiveSessions streams → CloudWatch business metrics (EMF)',
      roleDescription: 'LiveInsight processor',
      environment: {
        [ENV.sessionsTable]: props.sessionsTable.tableName,
        [ENV.activeSessionsTable]: props.activeSessionsTable.tableName,
        [ENV.badRowsTable]: props.badRowsTable.tableName,
        [ENV.failureBucket]: props.failureBucket.bucketName,
        [ENV.metricsNamespace]: this.metricsNamespace,
      },
      memorySize,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_TUNING.processor.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // EMF documents are log events: CloudWatch extracts the metrics from its log group.
      // Ids of the first deployment (logical ids).
      logGroupId: 'Logs',
      roleId: 'Role',
    });
    this.function = fn;
    this.live = live;

    // Exactly the calls the processor makes (least privilege): it never reads a table.
    const allow = (actions: string[], resources: string[]) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    allow(['dynamodb:BatchWriteItem'], [props.badRowsTable.tableArn]);
    allow(['s3:PutObject'], [props.failureBucket.arnForObjects(`${BAD_ROW_PAYLOAD_PREFIX}*`)]);

    const tables = {
      sessions: props.sessionsTable,
      activeSessions: props.activeSessionsTable,
    } as const;
    const sources: Partial<Record<ProcessorMappingKey, DynamoEventSource>> = {};
    for (const mapping of EVENT_SOURCE_MAPPINGS) {
      if (mapping.functionKey !== 'processor' || mapping.source.kind !== 'dynamodb-stream')
        continue;
      const key = mapping.key as ProcessorMappingKey;
      const settings = validateEventSourceMappingSettings(
        props.mappingSettings?.[key] ?? mapping.settings,
        `processor event source mapping ${key}`,
      );
      // DynamoEventSource grants the stream reads (DescribeStream, GetRecords, GetShardIterator).
      const source = new DynamoEventSource(
        tables[mapping.source.table],
        streamMappingProps(settings, props.failureBucket),
      );
      this.live.addEventSource(source);
      sources[key] = source;
    }
    const fromSessions = sources.processorFromSessions;
    const fromActiveSessions = sources.processorFromActiveSessions;
    if (fromSessions === undefined || fromActiveSessions === undefined) {
      throw new Error(
        `infra/resources.ts defines processor mappings ${JSON.stringify(Object.keys(sources))} (expected processorFromSessions and processorFromActiveSessions)`,
      );
    }
    this.eventSources = {
      processorFromSessions: fromSessions,
      processorFromActiveSessions: fromActiveSessions,
    };

    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy !== undefined) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArnOf(props.failureBucket)}/${BAD_ROW_PAYLOAD_PREFIX}*]`,
        reason:
          'Bad-row payload objects are keyed by day, bucket and stream position: unknown at deploy time.',
      });
      acknowledgeOnFailureObjects(policy, props.failureBucket);
      acknowledgeListStreams(policy, 'the two stream ARNs');
    }
  }
}
