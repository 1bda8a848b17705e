/**
 * The processor Lambda (handlers/processor) and its DynamoDB Streams event-source mappings on
 * Sessions and ActiveSessions, configured from the mapping definitions in infra/resources.ts
 * (PROCESSOR_MAPPING_SETTINGS) that the local event-source mapping runs with too. Metrics leave
 * as EMF on stdout (no cloudwatch:PutMetricData needed); failed or aged-out batches go to the
 * failures bucket with their records.
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, S3OnFailureDestination } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../handlers/env-names';
import { METRICS_NAMESPACE } from '../../schemas/business-metrics';
import {
  EVENT_SOURCE_MAPPINGS,
  type EventSourceMappingSettings,
  type MappingKey,
  validateEventSourceMappingSettings,
} from '../resources';

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
  /** @default 256 */
  readonly memorySize?: number;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
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
  readonly code?: { readonly kind: 'bundle' } | { readonly kind: 'prebuilt'; readonly dir: string };
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
  readonly eventSources: Readonly<Record<ProcessorMappingKey, DynamoEventSource>>;
  readonly metricsNamespace: string;

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);
    const memorySize = props.memorySize ?? 256;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new RangeError(
        `memorySize is ${memorySize} (expected an integer from 128 to 10240 MB)`,
      );
    }
    this.metricsNamespace = props.metricsNamespace ?? METRICS_NAMESPACE;
    if (!NAMESPACE_PATTERN.test(this.metricsNamespace)) {
      throw new RangeError(
        `metricsNamespace is ${JSON.stringify(this.metricsNamespace)} (expected 1–255 of letters, digits and ._#:/- or space, not starting with AWS/)`,
      );
    }

    const common = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(30),
      environment: {
        [ENV.sessionsTable]: props.sessionsTable.tableName,
        [ENV.activeSessionsTable]: props.activeSessionsTable.tableName,
        [ENV.badRowsTable]: props.badRowsTable.tableName,
        [ENV.failureBucket]: props.failureBucket.bucketName,
        [ENV.metricsNamespace]: this.metricsNamespace,
      },
      // EMF documents are log events: CloudWatch extracts the metrics from this group.
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
      description:
        'LiveInsight processor: Sessions / ActiveSessions streams → CloudWatch business metrics (EMF)',
    };
    const code = props.code ?? { kind: 'bundle' };
    this.function =
      code.kind === 'bundle'
        ? new nodejs.NodejsFunction(this, 'Function', {
            ...common,
            entry: PROCESSOR_ENTRY,
            handler: 'handler',
            bundling: {
              // Bundles run on nodejs22.x and on the Node 20 of the local machines.
              target: 'node20',
              minify: true,
              sourceMap: true,
              bundleAwsSDK: true,
              forceDockerBundling: false,
            },
          })
        : new lambda.Function(this, 'Function', {
            ...common,
            code: lambda.Code.fromAsset(code.dir),
            handler: 'index.handler',
          });

    props.badRowsTable.grantWriteData(this.function);
    props.failureBucket.grantPut(this.function);

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
      const source = new DynamoEventSource(tables[mapping.source.table], {
        batchSize: settings.BatchSize,
        maxBatchingWindow: Duration.seconds(settings.MaximumBatchingWindowInSeconds),
        parallelizationFactor: settings.ParallelizationFactor,
        bisectBatchOnError: settings.BisectBatchOnFunctionError,
        // CDK leaves these unset for Lambda's "-1 = infinite".
        ...(settings.MaximumRetryAttempts === -1
          ? {}
          : { retryAttempts: settings.MaximumRetryAttempts }),
        ...(settings.MaximumRecordAgeInSeconds === -1
          ? {}
          : { maxRecordAge: Duration.seconds(settings.MaximumRecordAgeInSeconds) }),
        reportBatchItemFailures: settings.FunctionResponseTypes.includes('ReportBatchItemFailures'),
        startingPosition:
          settings.StartingPosition === 'LATEST'
            ? lambda.StartingPosition.LATEST
            : lambda.StartingPosition.TRIM_HORIZON,
        onFailure: new S3OnFailureDestination(props.failureBucket),
      });
      this.function.addEventSource(source);
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
  }
}
