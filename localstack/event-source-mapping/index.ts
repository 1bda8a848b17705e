/**
 * Local event-source mapping: polls a Kinesis stream or a DynamoDB table's stream and invokes a
 * handler in-process with Lambda's event shapes and Lambda's stream semantics (DESIGN.md
 * section 5), so the consumer and processor run locally as they run on AWS.
 *
 *   const mapping = await startEventSourceMapping({
 *     source: { type: 'kinesis', streamName: names.eventsStream },   // or { type: 'dynamodb', tableName }
 *     settings: CONSUMER_MAPPING_SETTINGS,                           // Lambda's names (infra/resources.ts)
 *     handler: (event, context) => consumer(event, context),         // (event, context) => Promise<unknown>
 *     function: { name: 'consumer', timeoutSeconds: 15, memorySizeMb: 512 },
 *     clients: { kinesis, s3 },                                      // dynamodbStreams for DynamoDB sources
 *     checkpointStore: new FileCheckpointStore('.liveinsight/esm'),  // durable: a restart resumes
 *     destination: { type: 's3', bucket: names.buckets.failures },   // or settings.DestinationConfig
 *   });
 *   mapping.stats();  mapping.lag();  await mapping.stop();
 *
 * Settings (Lambda's names, ranges and defaults): BatchSize 1–10,000 (100);
 * MaximumBatchingWindowInSeconds 0–300 (0; fractions accepted locally); ParallelizationFactor 1–10
 * (1; order kept per partition key / item key); BisectBatchOnFunctionError (false; does not
 * consume retries); MaximumRetryAttempts −1 = infinite (−1) or 0–10,000;
 * MaximumRecordAgeInSeconds −1 (−1) or 60–604,800 (older records go to the destination, fresh
 * records of the batch are still delivered); FunctionResponseTypes ["ReportBatchItemFailures"]
 * (checkpoint at the lowest failed sequence number; invalid identifiers fail the whole batch);
 * StartingPosition TRIM_HORIZON | LATEST | AT_TIMESTAMP (+ StartingPositionTimestamp, Kinesis
 * only); DestinationConfig.OnFailure.Destination: an S3 bucket ARN.
 *
 * The handler's promise must settle within the function timeout, else the invocation failed.
 * stop() awaits invocations in flight (up to their timeout), writes the checkpoints and leaves
 * no timers. stats() counts invocations, retries, bisects, destination writes, errors, and
 * shows each shard's checkpoint; lag() gives records read but not yet checkpointed.
 *
 * Not emulated: tumbling windows, filter criteria, enhanced fan-out, SQS/SNS destinations,
 * Lambda's concurrency limits; a timed-out handler cannot be killed in-process (its late
 * answer is ignored, its side effects are not).
 */
import { createHash } from 'node:crypto';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { KinesisClient } from '@aws-sdk/client-kinesis';
import type { S3Client } from '@aws-sdk/client-s3';
import type {
  DynamoDBRecord,
  DynamoDBStreamEvent,
  KinesisStreamEvent,
  KinesisStreamRecord,
} from 'aws-lambda';
import {
  dynamoDBStreamSource,
  type DynamoDBStreamRef,
  type TtlDeletionLookup,
} from './dynamodb-streams-source';
import type { KinesisReader } from '../../infra/resources';
import { EventSourceMappingConfigError } from './errors';
import { FileCheckpointStore } from './file-checkpoint-store';
import { MemoryCheckpointStore } from './memory-checkpoint-store';
import {
  runEventSourceMapping,
  type EventSourceMappingHandle,
  type Timing,
} from './event-source-mapping';
import type { FunctionIdentity, StreamHandler } from './invoke-handler';
import { kinesisStreamSource, type KinesisStreamRef } from './kinesis-source';
import type { CheckpointStore, FailureDestination, StreamSource } from './ports';
import { bucketOfS3Arn, S3FailureDestination } from './s3-failure-destination';
import {
  resolveSettings,
  type EventSourceMappingSettingsInput,
  type ResolvedSettings,
} from './settings';

export type { EventSourceMappingHandle, Timing } from './event-source-mapping';
export type { StreamHandler } from './invoke-handler';
export type { CheckpointStore } from './ports';
export type { MappingStats } from './stats';
export type { TtlDeletionLookup } from './dynamodb-streams-source';
export { FileCheckpointStore } from './file-checkpoint-store';
export { MemoryCheckpointStore } from './memory-checkpoint-store';

/**
 * Checkpoints kept in `directory` (a restart resumes where the last run stopped), or in memory
 * when there is none (a restart reads from the mapping's starting position again).
 */
export function checkpointStoreIn(directory: string | undefined): CheckpointStore {
  return directory === undefined ? new MemoryCheckpointStore() : new FileCheckpointStore(directory);
}

export interface FunctionOptions {
  readonly name: string;
  /** Lambda's default is 3 s. Fractions are accepted (tests). */
  readonly timeoutSeconds?: number;
  /** @default 128 */
  readonly memorySizeMb?: number;
  /** Reported as invokeIdentityArn in Kinesis records. @default arn:aws:iam::<account>:role/<name>-role */
  readonly executionRoleArn?: string;
}

interface CommonOptions {
  readonly settings: EventSourceMappingSettingsInput;
  readonly function: FunctionOptions;
  readonly clients: {
    readonly kinesis?: KinesisClient;
    readonly dynamodbStreams?: DynamoDBStreamsClient;
    readonly s3?: S3Client;
  };
  /** Durable checkpoints (FileCheckpointStore), or MemoryCheckpointStore for throwaway runs. */
  readonly checkpointStore: CheckpointStore;
  /**
   * On-failure destination. @default the S3 bucket of settings.DestinationConfig.OnFailure, if
   * any; without a destination, records that run out of retries or age are discarded (and counted).
   */
  readonly destination?: { readonly type: 's3'; readonly bucket: string } | FailureDestination;
  /** Checkpoint key and <ESM-UUID> of S3 keys. @default a UUID derived from function and stream */
  readonly mappingId?: string;
  /** @default the region of the source's client */
  readonly region?: string;
  /** @default 000000000000 (LocalStack's account) */
  readonly accountId?: string;
  /** @default Lambda's pace: Kinesis per KINESIS_POLL_INTERVAL_MS, DynamoDB Streams every 250 ms */
  readonly timing?: Partial<Timing>;
  /** Clock for record age and on-failure timestamps. @default Date.now */
  readonly clock?: () => number;
  /** Read, write and checkpoint faults (each retried). @default printed to stderr */
  readonly onError?: (error: Error) => void;
}

/**
 * Lambda's pace per reader when a shard is caught up: standard iterators poll about once a
 * second; an enhanced fan-out consumer is pushed records about 70 ms after they are put on
 * average (Kinesis documentation), which polling every 140 ms reproduces on average.
 */
export const KINESIS_POLL_INTERVAL_MS: Readonly<Record<KinesisReader, number>> = {
  'shared-throughput': 1000,
  'enhanced-fan-out': 140,
};

export interface KinesisMappingOptions extends CommonOptions {
  readonly source: {
    readonly type: 'kinesis';
    /** @default 'shared-throughput' */
    readonly reader?: KinesisReader;
  } & KinesisStreamRef;
  readonly handler: StreamHandler<KinesisStreamEvent>;
}

export interface DynamoDBMappingOptions extends CommonOptions {
  readonly source: { readonly type: 'dynamodb' } & DynamoDBStreamRef;
  readonly handler: StreamHandler<DynamoDBStreamEvent>;
  /** Tells REMOVE records of the local TTL sweeper apart (userIdentity of the service). */
  readonly isTtlDeletion?: TtlDeletionLookup;
}

export type StartEventSourceMappingOptions = KinesisMappingOptions | DynamoDBMappingOptions;

export async function startEventSourceMapping(
  options: StartEventSourceMappingOptions,
): Promise<EventSourceMappingHandle> {
  if (isKinesis(options)) {
    const kinesisOptions = options;
    const settings = resolveSettings(options.settings, 'kinesis');
    const client = requireClient(options.clients.kinesis, 'kinesis', 'a Kinesis source');
    const region = options.region ?? (await client.config.region());
    const source = await kinesisStreamSource({
      client,
      stream: kinesisOptions.source,
      region,
      invokeIdentityArn: executionRoleArn(options),
    });
    return start<KinesisStreamRecord>(
      kinesisOptions,
      settings,
      source,
      region,
      kinesisOptions.handler,
      KINESIS_POLL_INTERVAL_MS[kinesisOptions.source.reader ?? 'shared-throughput'],
    );
  }
  const dynamoOptions = options;
  const settings = resolveSettings(options.settings, 'dynamodb');
  const client = requireClient(
    options.clients.dynamodbStreams,
    'dynamodbStreams',
    'a DynamoDB source',
  );
  const region = options.region ?? (await client.config.region());
  const source = await dynamoDBStreamSource({
    client,
    stream: dynamoOptions.source,
    region,
    isTtlDeletion: dynamoOptions.isTtlDeletion,
  });
  return start<DynamoDBRecord>(dynamoOptions, settings, source, region, dynamoOptions.handler, 250);
}

function isKinesis(options: StartEventSourceMappingOptions): options is KinesisMappingOptions {
  return options.source.type === 'kinesis';
}

async function start<E>(
  options: CommonOptions,
  settings: ResolvedSettings,
  source: StreamSource<E>,
  region: string,
  handler: StreamHandler<{ Records: E[] }>,
  defaultPollIntervalMs: number,
): Promise<EventSourceMappingHandle> {
  const accountId = options.accountId ?? '000000000000';
  const fn: FunctionIdentity = {
    functionName: options.function.name,
    functionArn: `arn:aws:lambda:${region}:${accountId}:function:${options.function.name}`,
    memoryLimitInMB: options.function.memorySizeMb ?? 128,
    timeoutMs: Math.round((options.function.timeoutSeconds ?? 3) * 1000),
    region,
  };
  const mappingId = options.mappingId ?? derivedMappingId(fn.functionName, source.incarnation);
  return runEventSourceMapping<E>({
    mappingId,
    source,
    settings,
    handler,
    fn,
    checkpointStore: options.checkpointStore,
    destination: failureDestination(options, settings, mappingId),
    timing: {
      pollIntervalMs: options.timing?.pollIntervalMs ?? defaultPollIntervalMs,
      shardDiscoveryIntervalMs: options.timing?.shardDiscoveryIntervalMs ?? 10_000,
      retryBackoffMs:
        options.timing?.retryBackoffMs ?? ((attempt) => Math.min(250 * 2 ** attempt, 10_000)),
    },
    clock: options.clock ?? Date.now,
    onError:
      options.onError ??
      ((error) => {
        const cause =
          error.cause instanceof Error
            ? ` (cause: ${error.cause.name}: ${error.cause.message})`
            : '';
        console.error(
          `[event-source-mapping ${mappingId}] ${error.name}: ${error.message}${cause}`,
        );
      }),
  });
}

function failureDestination(
  options: CommonOptions,
  settings: ResolvedSettings,
  mappingId: string,
): FailureDestination | undefined {
  const explicit = options.destination;
  if (explicit !== undefined && !('type' in explicit)) return explicit;
  let bucket = explicit?.bucket;
  if (bucket === undefined && settings.onFailureDestinationArn !== undefined) {
    bucket = bucketOfS3Arn(settings.onFailureDestinationArn);
    if (bucket === undefined) {
      throw new EventSourceMappingConfigError(
        `DestinationConfig.OnFailure.Destination ${settings.onFailureDestinationArn} is not supported locally (expected an S3 bucket ARN, arn:aws:s3:::<bucket>; SQS and SNS destinations are not emulated)`,
        'DestinationConfig.OnFailure.Destination',
        settings.onFailureDestinationArn,
      );
    }
  }
  if (bucket === undefined) return undefined;
  return new S3FailureDestination(
    requireClient(options.clients.s3, 's3', 'an S3 on-failure destination'),
    bucket,
    mappingId,
  );
}

function requireClient<C>(client: C | undefined, name: string, purpose: string): C {
  if (client === undefined) {
    throw new EventSourceMappingConfigError(
      `clients.${name} is missing; ${purpose} needs it`,
      `clients.${name}`,
      client,
    );
  }
  return client;
}

function executionRoleArn(options: CommonOptions): string {
  return (
    options.function.executionRoleArn ??
    `arn:aws:iam::${options.accountId ?? '000000000000'}:role/${options.function.name}-role`
  );
}

/** A UUID-shaped id that stays the same for one function on one incarnation of one stream. */
function derivedMappingId(functionName: string, incarnation: string): string {
  const hex = createHash('sha1').update(`${functionName}\n${incarnation}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 17), 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}
