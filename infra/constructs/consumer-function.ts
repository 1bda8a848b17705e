/**
 * The consumer Lambda (handlers/consumer) and its Kinesis event-source mapping, configured from
 * the one settings object in infra/resources.ts (CONSUMER_MAPPING_SETTINGS) that the local
 * event-source mapping runs with too. Failed or aged-out batches go to the failures bucket (an
 * S3 on-failure destination carries the records, not just their positions).
 *
 * The mapping reads the stream as CONSUMER_KINESIS_READER says: `enhanced-fan-out` registers a
 * stream consumer and maps the function to it (Kinesis pushes each record within ~70 ms instead
 * of Lambda polling each shard once a second, which alone would spend the 1 s freshness budget).
 * Cost: EFO is billed per consumer-shard hour plus per GB retrieved through the consumer, on top
 * of the stream (see Kinesis pricing for the Region and capacity mode); `shared-throughput`
 * costs nothing extra. Switch with CONSUMER_KINESIS_READER in infra/resources.ts.
 */
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import {
  KinesisEventSource,
  type StreamEventSourceProps,
} from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { match } from 'ts-pattern';
import { ENV } from '../../handlers/env-names';
import { BAD_ROW_PAYLOAD_PREFIX } from '../../handlers/adapters/bad-row-payloads';
import {
  CONSUMER_KINESIS_READER,
  CONSUMER_MAPPING_SETTINGS,
  CONSUMER_NODE_OPTIONS,
  DEFAULT_ACTIVE_SESSION_SHARDS,
  FUNCTION_TUNING,
  type EventSourceMappingSettings,
  type KinesisReader,
  validateEventSourceMappingSettings,
} from '../resources';
import type { SiteShards } from '../../schemas/shard-plan';
import { bundledFunction, type FunctionCode } from './bundled-function';
import type { LiveAlias } from './live-alias';
import { EnhancedFanOutEventSource } from './enhanced-fan-out-event-source';
import { nagArnOf } from './nag-arn';
import { acknowledgeOnFailureObjects } from './s3-on-failure-destination';
import { streamMappingProps } from './stream-mapping-props';

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
   * Sites with their own ActiveSessions shards and rollup keys (README "Scale"); every other
   * site has `activeSessionShards`. Writers and readers get the same JSON in their env.
   * @default {} (none)
   */
  readonly siteShards?: Readonly<Record<string, SiteShards>>;
  /**
   * Secret of the daily visitor-id salt (HMAC key). The function gets its ARN and reads the value
   * at runtime (handlers/adapters/visitor-salt-secret.ts, cached); the value never appears in the
   * template or the function's configuration.
   * @default a new generated secret
   */
  readonly visitorSaltSecret?: secretsmanager.ISecret;
  /**
   * Reserved concurrency: caps what the consumer may take from the account's pool (and protects
   * it from being starved). Kinesis needs at most shards × ParallelizationFactor.
   * @default undefined (unreserved)
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default FUNCTION_TUNING.consumer (512 MB) */
  readonly memorySize?: number;
  /** @default FUNCTION_TUNING.consumer (15 s) */
  readonly timeout?: Duration;
  /**
   * Event-source-mapping settings.
   * @default CONSUMER_MAPPING_SETTINGS (infra/resources.ts), the ones the local mapping runs
   */
  readonly mappingSettings?: EventSourceMappingSettings;
  /**
   * How the mapping reads the events stream: through an enhanced fan-out consumer registered
   * here, or by Lambda's shared-throughput polling of the stream itself.
   * @default CONSUMER_KINESIS_READER (infra/resources.ts), the reader of the consumer's mapping
   */
  readonly kinesisReader?: KinesisReader;
  /**
   * Name of the enhanced fan-out consumer (unused with `shared-throughput`); the stack passes
   * resourceNames(stage).eventsStreamConsumer.
   * @default `${eventsStream.streamName}-consumer`, the same name for a stream of ours
   */
  readonly streamConsumerName?: string;
  /**
   * Code: an esbuild bundle made at synth time from handlers/consumer/index.ts, or a directory
   * holding an already built `index.js` (CI builds once, tests synth without bundling).
   * @default { kind: 'bundle' }
   */
  readonly code?: FunctionCode;
}

export const CONSUMER_ENTRY = join(__dirname, '..', '..', 'handlers', 'consumer', 'index.ts');

export class ConsumerFunction extends Construct {
  readonly function: lambda.Function;
  /** The alias `live` the mapping invokes, with its canary deployment group. */
  readonly live: LiveAlias;
  readonly eventSource: KinesisEventSource | EnhancedFanOutEventSource;
  /** The enhanced fan-out consumer the mapping reads; undefined with `shared-throughput`. */
  readonly streamConsumer: kinesis.StreamConsumer | undefined;
  readonly visitorSaltSecret: secretsmanager.ISecret;

  constructor(scope: Construct, id: string, props: ConsumerFunctionProps) {
    super(scope, id);
    const settings = validateEventSourceMappingSettings(
      props.mappingSettings ?? CONSUMER_MAPPING_SETTINGS,
      'consumer event source mapping',
    );
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
      [ENV.siteShards]: JSON.stringify(props.siteShards ?? {}),
      NODE_OPTIONS: CONSUMER_NODE_OPTIONS,
      [ENV.visitorSaltSecretArn]: this.visitorSaltSecret.secretArn,
    };
    const {
      function: fn,
      role,
      live,
    } = bundledFunction(this, 'Function', {
      entry: CONSUMER_ENTRY,
      code: props.code ?? { kind: 'bundle' },
      description:
        'LiveInsight consumer: Kinesis events → Events, Sessions, ActiveSessions, bad rows',
      roleDescription: 'LiveInsight consumer',
      environment,
      memorySize: props.memorySize ?? FUNCTION_TUNING.consumer.memoryMb,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_TUNING.consumer.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      // Ids of the first deployment (logical ids).
      logGroupId: 'Logs',
      roleId: 'Role',
    });
    this.function = fn;
    this.live = live;

    // Exactly the calls the consumer makes (least privilege; no index ARNs, no deletes).
    const allow = (actions: string[], resources: string[]) =>
      role.addToPrincipalPolicy(new iam.PolicyStatement({ actions, resources }));
    allow(['dynamodb:BatchWriteItem'], [props.eventsTable.tableArn, props.badRowsTable.tableArn]);
    // Conditional PutItem; a refused condition returns the stored item (ALL_OLD), so the
    // consumer never reads Sessions.
    allow(['dynamodb:PutItem'], [props.sessionsTable.tableArn]);
    allow(['dynamodb:PutItem'], [props.activeSessionsTable.tableArn]);
    allow(['s3:PutObject'], [props.failureBucket.arnForObjects(`${BAD_ROW_PAYLOAD_PREFIX}*`)]);
    // The salt key is read at runtime: GetSecretValue on this one secret, nothing else (an
    // AWS-managed key encrypts it, so no kms:Decrypt grant is needed).
    allow(['secretsmanager:GetSecretValue'], [this.visitorSaltSecret.secretArn]);

    const mappingProps = streamMappingProps(settings, props.failureBucket);
    const reader = props.kinesisReader ?? CONSUMER_KINESIS_READER;
    const source = match(reader)
      .with('enhanced-fan-out', () => this.enhancedFanOut(props, mappingProps))
      .with('shared-throughput', () => ({
        // aws-cdk-lib's stream read grant, as before enhanced fan-out.
        eventSource: new KinesisEventSource(props.eventsStream, mappingProps),
        streamConsumer: undefined,
      }))
      .exhaustive();
    this.eventSource = source.eventSource;
    this.streamConsumer = source.streamConsumer;
    // On the alias: a deploy reaches the stream only through CodeDeploy's canary.
    this.live.addEventSource(this.eventSource);

    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy !== undefined) {
      Validations.of(policy).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::${nagArnOf(props.failureBucket)}/${BAD_ROW_PAYLOAD_PREFIX}*]`,
        reason:
          'Bad-row payload objects are keyed by day, bucket, shard and sequence number: unknown at deploy time.',
      });
      acknowledgeOnFailureObjects(policy, props.failureBucket);
    }
    if (props.visitorSaltSecret === undefined) {
      Validations.of(this.visitorSaltSecret).acknowledge({
        id: 'AwsSolutions::AwsSolutions-SMG4',
        reason:
          'The secret is the HMAC key a new salt is derived from every day, so visitor ids already rotate daily; rotating the key itself is possible at any time (ids change once) and needs no rotation function.',
      });
    }
  }

  private enhancedFanOut(
    props: ConsumerFunctionProps,
    mappingProps: StreamEventSourceProps,
  ): { eventSource: EnhancedFanOutEventSource; streamConsumer: kinesis.StreamConsumer } {
    const streamConsumer = new kinesis.StreamConsumer(this, 'EventsStreamConsumer', {
      stream: props.eventsStream,
      streamConsumerName: props.streamConsumerName ?? `${props.eventsStream.streamName}-consumer`,
    });
    return {
      eventSource: new EnhancedFanOutEventSource(streamConsumer, mappingProps),
      streamConsumer,
    };
  }
}
