/**
 * The consumer Lambda (handlers/consumer) and its Kinesis event-source mapping, configured from
 * the one settings object in infra/resources.ts (CONSUMER_MAPPING_SETTINGS) that the local
 * event-source mapping runs with too. Failed or aged-out batches go to the failures bucket (an
 * S3 on-failure destination carries the records, not just their positions).
 */
import { join } from 'node:path';
import { CfnElement, Duration, SecretValue, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { KinesisEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { ENV } from '../../handlers/env-names';
import { BAD_ROW_PAYLOAD_PREFIX } from '../../handlers/adapters/bad-row-payloads';
import {
  CONSUMER_MAPPING_SETTINGS,
  DEFAULT_ACTIVE_SESSION_SHARDS,
  type EventSourceMappingSettings,
  validateEventSourceMappingSettings,
} from '../resources';
import {
  LeastPrivilegeS3OnFailureDestination,
  ON_FAILURE_KEY_PREFIX,
} from './s3-on-failure-destination';

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
    const logGroup = new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_MONTH });
    // An own role instead of AWSLambdaBasicExecutionRole: logs to this log group only.
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'LiveInsight consumer',
    });
    logGroup.grantWrite(role);
    const common = {
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.X86_64,
      memorySize,
      timeout: props.timeout ?? Duration.seconds(15),
      environment,
      role,
      ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
      logGroup,
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

    // Exactly the calls the consumer makes (least privilege; no index ARNs, no deletes).
    const allow = (actions: string[], resources: string[]) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    allow(['dynamodb:BatchWriteItem'], [props.eventsTable.tableArn, props.badRowsTable.tableArn]);
    // Conditional PutItem (ALL_OLD on a refused condition); GetItem is the store's read port.
    allow(['dynamodb:PutItem', 'dynamodb:GetItem'], [props.sessionsTable.tableArn]);
    allow(['dynamodb:PutItem'], [props.activeSessionsTable.tableArn]);
    allow(['s3:PutObject'], [props.failureBucket.arnForObjects(`${BAD_ROW_PAYLOAD_PREFIX}*`)]);
    // The salt secret reaches the function through a dynamic reference that CloudFormation
    // resolves at deploy time: the function itself never reads Secrets Manager.

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
      onFailure: new LeastPrivilegeS3OnFailureDestination(props.failureBucket),
    });
    this.function.addEventSource(this.eventSource);

    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    const policy = role.node.tryFindChild('DefaultPolicy');
    const bucketArn = nagArnOf(props.failureBucket);
    if (policy !== undefined) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn}/${BAD_ROW_PAYLOAD_PREFIX}*]`,
        reason:
          'Bad-row payload objects are keyed by day, bucket, shard and sequence number: unknown at deploy time.',
      });
      Validations.of(policy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${bucketArn}/${ON_FAILURE_KEY_PREFIX}*]`,
        reason:
          'Lambda names on-failure objects aws/lambda/<mapping UUID>/<shard>/<date>/…: unknown at deploy time (Lambda documents s3:PutObject for S3 destinations).',
      });
    }
    Validations.of(this.function).acknowledge({
      id: 'AwsSolutions::AwsSolutions-L1',
      reason:
        'nodejs22.x is the runtime the design pins (DESIGN.md section 1): the bundle targets node20 so the same code runs on the Node 20 of the local machines; move with the toolchain.',
    });
    if (props.visitorSaltSecret === undefined) {
      Validations.of(this.visitorSaltSecret).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SMG4',
        reason:
          'The secret is the HMAC key a new salt is derived from every day, so visitor ids already rotate daily; rotating the key itself is possible at any time (ids change once) and needs no rotation function.',
      });
    }
  }
}

/** How cdk-nag prints a bucket's ARN in a finding id: `<LogicalId.Arn>` for one of this app. */
function nagArnOf(bucket: s3.IBucket): string {
  const resource = bucket.node.defaultChild;
  return resource instanceof CfnElement
    ? `<${Stack.of(resource).getLogicalId(resource)}.Arn>`
    : bucket.bucketArn;
}
