/**
 * The consumer Lambda (handlers/consumer) and its Kinesis event-source mapping, configured from
 * the one settings object in infra/resources.ts (CONSUMER_MAPPING_SETTINGS) that the local
 * event-source mapping runs with too. Failed or aged-out batches go to the failures bucket (an
 * S3 on-failure destination carries the records, not just their positions).
 */
import { join } from 'node:path';
import { Duration, SecretValue } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource, S3OnFailureDestination } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../handlers/env-names';
import {
  CONSUMER_MAPPING_SETTINGS,
  DEFAULT_ACTIVE_SESSION_SHARDS,
  type EventSourceMappingSettings,
  validateEventSourceMappingSettings,
} from '../resources';

export interface ConsumerFunctionProps {
  readonly eventsStream: kinesis.IStream;
  readonly eventsTable: dynamodb.ITable;
  readonly sessionsTable: dynamodb.ITable;
  readonly activeSessionsTable: dynamodb.ITable;
  readonly badRowsTable: dynamodb.ITable;
  /** On-failure destination; also holds bad-row payloads too large for an item. */
  readonly failureBucket: s3.IBucket;
  /**
   * Partition shards of ActiveSessions; must match what the query function reads.
   * @default 4 (DEFAULT_ACTIVE_SESSION_SHARDS)
   */
  readonly activeSessionShards?: number;
  /**
   * Secret of the daily visitor-id salt (HMAC key). Its value reaches the function as an
   * environment variable through a CloudFormation dynamic reference, resolved at deploy time.
   * @default a new generated secret
   */
  readonly visitorSaltSecret?: secretsmanager.ISecret;
  /**
   * Reserved concurrency: caps what the consumer may take from the account's pool (and protects
   * it from being starved). Kinesis needs at most shards × ParallelizationFactor.
   * @default undefined (unreserved)
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default 512 */
  readonly memorySize?: number;
  /** @default Duration.seconds(15) */
  readonly timeout?: Duration;
  /**
   * Event-source-mapping settings.
   * @default CONSUMER_MAPPING_SETTINGS (infra/resources.ts), the ones the local mapping runs
   */
  readonly mappingSettings?: EventSourceMappingSettings;
  /**
   * Code: an esbuild bundle made at synth time from handlers/consumer/index.ts, or a directory
   * holding an already built `index.js` (CI builds once, tests synth without bundling).
   * @default { kind: 'bundle' }
   */
  readonly code?: { readonly kind: 'bundle' } | { readonly kind: 'prebuilt'; readonly dir: string };
}

export const CONSUMER_ENTRY = join(__dirname, '..', '..', 'handlers', 'consumer', 'index.ts');

export class ConsumerFunction extends Construct {
  readonly function: lambda.Function;
  readonly eventSource: KinesisEventSource;
  readonly visitorSaltSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: ConsumerFunctionProps) {
    super(scope, id);
    const settings = validateEventSourceMappingSettings(
      props.mappingSettings ?? CONSUMER_MAPPING_SETTINGS,
      'consumer event source mapping',
    );
    const memorySize = props.memorySize ?? 512;
    if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
      throw new RangeError(
        `memorySize is ${memorySize} (expected an integer from 128 to 10240 MB)`,
      );
    }
    const reserved = props.reservedConcurrentExecutions;
    if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) {
      throw new RangeError(
        `reservedConcurrentExecutions is ${reserved} (expected a positive integer or undefined)`,
      );
    }
    this.visitorSaltSecret =
      props.visitorSaltSecret ??
      new secretsmanager.Secret(this, 'VisitorSaltSecret', {
        description: 'LiveInsight: HMAC key of the daily visitor-id salt',
        generateSecretString: { passwordLength: 48, excludePunctuation: true },
      });

    const environment: Record<string, string> = {
      [ENV.eventsTable]: props.eventsTable.tableName,
      [ENV.sessionsTable]: props.sessionsTable.tableName,
      [ENV.activeSessionsTable]: props.activeSessionsTable.tableName,
      [ENV.badRowsTable]: props.badRowsTable.tableName,
      [ENV.failureBucket]: props.failureBucket.bucketName,
      [ENV.activeSessionShards]: String(props.activeSessionShards ?? DEFAULT_ACTIVE_SESSION_SHARDS),
      [ENV.visitorSaltSecret]: SecretValue.secretsManager(
        this.visitorSaltSecret.secretArn,
      ).unsafeUnwrap(),
    };
    const common = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(15),
      environment,
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      logGroup: new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH }),
      description:
        'LiveInsight consumer: Kinesis events → Events, Sessions, ActiveSessions, bad rows',
    };
    const code = props.code ?? { kind: 'bundle' };
    this.function =
      code.kind === 'bundle'
        ? new nodejs.NodejsFunction(this, 'Function', {
            ...common,
            entry: CONSUMER_ENTRY,
            handler: 'handler',
            bundling: {
              // Bundles run on nodejs22.x and on the Node 20 of the local machines.
              target: 'node20',
              minify: true,
              sourceMap: true,
              // The runtime's SDK may differ from the pinned one; ship the pinned one.
              bundleAwsSDK: true,
              forceDockerBundling: false,
            },
          })
        : new lambda.Function(this, 'Function', {
            ...common,
            code: lambda.Code.fromAsset(code.dir),
            handler: 'index.handler',
          });

    props.eventsTable.grantWriteData(this.function);
    props.badRowsTable.grantWriteData(this.function);
    // Sessions: conditional PutItem with ALL_OLD on failure, GetItem on the rare fallback path.
    props.sessionsTable.grantReadWriteData(this.function);
    props.activeSessionsTable.grantWriteData(this.function);
    props.failureBucket.grantPut(this.function);
    this.visitorSaltSecret.grantRead(this.function);

    this.eventSource = new KinesisEventSource(props.eventsStream, {
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
    this.function.addEventSource(this.eventSource);
  }
}
