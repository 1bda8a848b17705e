/**
 * The data resources of infra/resources.ts as CDK constructs: every table, the events stream
 * and the buckets. Everything is read from the one definition; this construct only maps
 * it onto CloudFormation, so a table here cannot differ from the table the local bootstrap makes.
 */
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kinesis from 'aws-cdk-lib/aws-kinesis';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  type BucketKey,
  type KeyAttribute,
  type ResourceDefinitions,
  type StreamViewType,
  type TableKey,
  resourceDefinitions,
} from '../resources';
import type { SiteShards } from '../../schemas/shard-plan';

export interface DataResourcesProps {
  /** Resource name prefix, e.g. `liveinsight-prod`. */
  readonly stage: string;
  /**
   * Kinesis capacity mode. On-demand suits spiky or unknown traffic; provisioned is cheaper at a
   * steady rate ($0.015 per shard-hour vs $0.04 per stream-hour + $0.08/GB).
   * @default 'on-demand'
   */
  readonly streamMode?: 'on-demand' | 'provisioned';
  /**
   * Shards when `streamMode` is `provisioned` (ignored on-demand).
   * @default 2
   */
  readonly shardCount?: number;
  /**
   * Partition shards of ActiveSessions (handlers read the same number from their env).
   * @default 4
   */
  readonly activeSessionShards?: number;
  /**
   * Sites with their own ActiveSessions shards and rollup keys (README "Scale"); every other
   * site has `activeSessionShards`. Writers and readers get the same JSON in their env.
   * @default {} (none)
   */
  readonly siteShards?: Readonly<Record<string, SiteShards>>;
  /**
   * What happens to tables and buckets when the stack is deleted.
   * @default RemovalPolicy.RETAIN (analytics data outlives a stack)
   */
  readonly removalPolicy?: RemovalPolicy;
}

const ATTRIBUTE_TYPES: Readonly<Record<KeyAttribute['type'], dynamodb.AttributeType>> = {
  S: dynamodb.AttributeType.STRING,
  N: dynamodb.AttributeType.NUMBER,
};

const STREAM_VIEW_TYPES: Readonly<Record<StreamViewType, dynamodb.StreamViewType>> = {
  NEW_IMAGE: dynamodb.StreamViewType.NEW_IMAGE,
  OLD_IMAGE: dynamodb.StreamViewType.OLD_IMAGE,
  NEW_AND_OLD_IMAGES: dynamodb.StreamViewType.NEW_AND_OLD_IMAGES,
  KEYS_ONLY: dynamodb.StreamViewType.KEYS_ONLY,
};

function attribute(key: KeyAttribute): dynamodb.Attribute {
  return { name: key.name, type: ATTRIBUTE_TYPES[key.type] };
}

export class DataResources extends Construct {
  readonly definitions: ResourceDefinitions;
  readonly tables: Readonly<Record<TableKey, dynamodb.Table>>;
  readonly eventsStream: kinesis.Stream;
  readonly buckets: Readonly<Record<BucketKey, s3.Bucket>>;

  constructor(scope: Construct, id: string, props: DataResourcesProps) {
    super(scope, id);
    const streamMode = props.streamMode ?? 'on-demand';
    this.definitions = resourceDefinitions(props.stage, {
      stream: {
        mode: streamMode,
        ...(props.shardCount === undefined ? {} : { shardCount: props.shardCount }),
      },
      ...(props.activeSessionShards === undefined
        ? {}
        : { activeSessionShards: props.activeSessionShards }),
      ...(props.siteShards === undefined ? {} : { siteShards: props.siteShards }),
    });
    const removalPolicy = props.removalPolicy ?? RemovalPolicy.RETAIN;

    const tables: Partial<Record<TableKey, dynamodb.Table>> = {};
    for (const definition of this.definitions.tables) {
      const table = new dynamodb.Table(this, definition.logicalId, {
        tableName: definition.tableName,
        partitionKey: attribute(definition.partitionKey),
        ...(definition.sortKey === undefined ? {} : { sortKey: attribute(definition.sortKey) }),
        billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
        ...(definition.ttl === undefined ? {} : { timeToLiveAttribute: definition.ttl.attribute }),
        ...(definition.stream === undefined
          ? {}
          : { stream: STREAM_VIEW_TYPES[definition.stream] }),
        removalPolicy,
        // Every table: restorable to any second of the last 35 days, and not deletable by a
        // stray DeleteTable or stack change (turn off deliberately before removing a stage).
        pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
        deletionProtection: true,
      });
      for (const index of definition.globalSecondaryIndexes) {
        table.addGlobalSecondaryIndex({
          indexName: index.indexName,
          partitionKey: attribute(index.partitionKey),
          ...(index.sortKey === undefined ? {} : { sortKey: attribute(index.sortKey) }),
          projectionType:
            index.projection === 'ALL'
              ? dynamodb.ProjectionType.ALL
              : dynamodb.ProjectionType.KEYS_ONLY,
        });
      }
      tables[definition.key] = table;
    }
    this.tables = tables as Record<TableKey, dynamodb.Table>;

    const stream = this.definitions.eventsStream;
    this.eventsStream = new kinesis.Stream(this, stream.logicalId, {
      streamName: stream.streamName,
      retentionPeriod: Duration.hours(stream.settings.retentionHours),
      encryption: kinesis.StreamEncryption.MANAGED,
      ...(stream.settings.mode === 'on-demand'
        ? { streamMode: kinesis.StreamMode.ON_DEMAND }
        : { streamMode: kinesis.StreamMode.PROVISIONED, shardCount: stream.settings.shardCount }),
    });

    const buckets: Partial<Record<BucketKey, s3.Bucket>> = {};
    for (const definition of this.definitions.buckets) {
      // Bucket names are global across AWS accounts: CloudFormation generates unique ones and the
      // handlers get them through their env; `definition.bucketName` is the local name.
      buckets[definition.key] = new s3.Bucket(this, definition.logicalId, {
        blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
        encryption: s3.BucketEncryption.S3_MANAGED,
        enforceSSL: true,
        removalPolicy,
      });
    }
    this.buckets = buckets as Record<BucketKey, s3.Bucket>;
    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    const accessLogReasons: Readonly<Record<BucketKey, string>> = {
      failures:
        'Only this stack’s Lambda functions write here (on-failure records, oversized bad-row payloads) and only the operator’s redrive reads; server access logs would need a log bucket of their own with no reader.',
      dashboard:
        'Private; only the dashboard’s CloudFront distribution reads it (origin access control) and only the deploy writes it; server access logs would need a log bucket of their own with no reader.',
    };
    for (const key of Object.keys(this.buckets) as BucketKey[]) {
      Validations.of(this.buckets[key]).acknowledge({
        id: 'AwsSolutions::AwsSolutions-S1',
        reason: accessLogReasons[key],
      });
    }
  }
}
