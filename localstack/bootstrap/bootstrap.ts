/**
 * Creates the resources of infra/resources.ts idempotently against any AWS-compatible endpoint
 * (our emulators, LocalStack, or AWS itself): what exists is checked, not recreated; what is
 * missing is created and waited for until ACTIVE. Also the reverse, for test isolation.
 */
import {
  CreateTableCommand,
  DeleteTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  type TableDescription,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import {
  CreateStreamCommand,
  DeleteStreamCommand,
  DescribeStreamSummaryCommand,
  ResourceInUseException as KinesisResourceInUseException,
  ResourceNotFoundException as KinesisResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import {
  BucketAlreadyOwnedByYou,
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectsV2Command,
  NoSuchBucket,
} from '@aws-sdk/client-s3';
import type { AwsClients } from '../../handlers/aws-clients';
import type {
  BucketDefinition,
  EventsStreamDefinition,
  ResourceDefinitions,
  TableDefinition,
} from '../../infra/resources';
import { toCreateTableInput } from './table-input';

export class BootstrapError extends Error {
  override readonly name = 'BootstrapError';
}

export interface BootstrapOptions {
  /** Deadline per resource to become ACTIVE (default 30 s). */
  readonly activeTimeoutMs?: number;
}

export interface BootstrapReport {
  readonly created: readonly string[];
  readonly existing: readonly string[];
  readonly elapsedMs: number;
}

const POLL_MS = 50;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function pollUntil<T>(
  what: string,
  timeoutMs: number,
  read: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new BootstrapError(`${what} did not become ready within ${timeoutMs} ms`);
    }
    await delay(POLL_MS);
  }
}

function keySignature(description: TableDescription): string {
  return JSON.stringify(
    (description.KeySchema ?? []).map((element) => `${element.KeyType}:${element.AttributeName}`),
  );
}

async function ensureTable(
  clients: AwsClients,
  table: TableDefinition,
  timeoutMs: number,
): Promise<boolean> {
  const input = toCreateTableInput(table);
  let created = true;
  try {
    await clients.dynamodb.send(new CreateTableCommand(input));
  } catch (error) {
    if (!(error instanceof ResourceInUseException)) {
      throw new BootstrapError(`Could not create table ${table.tableName}`, { cause: error });
    }
    created = false;
  }
  const description = await pollUntil(`Table ${table.tableName}`, timeoutMs, async () => {
    const { Table } = await clients.dynamodb.send(
      new DescribeTableCommand({ TableName: table.tableName }),
    );
    return Table?.TableStatus === 'ACTIVE' ? Table : undefined;
  });
  // A table kept from an older definition (persisted DynamoDB Local data) must not pass silently.
  const expectedKeys = JSON.stringify(
    (input.KeySchema ?? []).map((element) => `${element.KeyType}:${element.AttributeName}`),
  );
  if (keySignature(description) !== expectedKeys) {
    throw new BootstrapError(
      `Table ${table.tableName} exists with key schema ${keySignature(description)} ` +
        `(expected ${expectedKeys}); delete it or its persisted data and start again`,
    );
  }
  const streamView = description.StreamSpecification?.StreamEnabled
    ? description.StreamSpecification.StreamViewType
    : undefined;
  if (streamView !== table.stream) {
    throw new BootstrapError(
      `Table ${table.tableName} exists with stream ${String(streamView)} (expected ${String(table.stream)})`,
    );
  }
  await ensureTtl(clients, table);
  return created;
}

async function ensureTtl(clients: AwsClients, table: TableDefinition): Promise<void> {
  const ttl = table.ttl;
  // A table without TTL (the registry) keeps its items until an operator deletes them.
  if (ttl === undefined) return;
  const { TimeToLiveDescription } = await clients.dynamodb.send(
    new DescribeTimeToLiveCommand({ TableName: table.tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (
    (status === 'ENABLED' || status === 'ENABLING') &&
    TimeToLiveDescription?.AttributeName === ttl.attribute
  ) {
    return;
  }
  await clients.dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: table.tableName,
      TimeToLiveSpecification: { AttributeName: ttl.attribute, Enabled: true },
    }),
  );
}

async function ensureStream(
  clients: AwsClients,
  stream: EventsStreamDefinition,
  timeoutMs: number,
): Promise<boolean> {
  let created = true;
  try {
    // Locally always provisioned: the emulators model shards, and tests need a known count.
    await clients.kinesis.send(
      new CreateStreamCommand({
        StreamName: stream.streamName,
        ShardCount: stream.settings.shardCount,
      }),
    );
  } catch (error) {
    if (!(error instanceof KinesisResourceInUseException)) {
      throw new BootstrapError(`Could not create Kinesis stream ${stream.streamName}`, {
        cause: error,
      });
    }
    created = false;
  }
  await pollUntil(`Kinesis stream ${stream.streamName}`, timeoutMs, async () => {
    const { StreamDescriptionSummary } = await clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: stream.streamName }),
    );
    return StreamDescriptionSummary?.StreamStatus === 'ACTIVE' ? true : undefined;
  });
  return created;
}

async function ensureBucket(clients: AwsClients, bucket: BucketDefinition): Promise<boolean> {
  try {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket.bucketName }));
    return true;
  } catch (error) {
    if (error instanceof BucketAlreadyOwnedByYou) return false;
    // s3rver answers BucketAlreadyExists for a bucket it already holds (it has one owner).
    if (error instanceof Error && error.name === 'BucketAlreadyExists') return false;
    throw new BootstrapError(`Could not create bucket ${bucket.bucketName}`, { cause: error });
  }
}

export async function bootstrapResources(
  clients: AwsClients,
  resources: ResourceDefinitions,
  options: BootstrapOptions = {},
): Promise<BootstrapReport> {
  const started = Date.now();
  const timeoutMs = options.activeTimeoutMs ?? 30_000;
  const results = await Promise.all([
    ...resources.tables.map(async (table) => ({
      name: `table ${table.tableName}`,
      created: await ensureTable(clients, table, timeoutMs),
    })),
    (async () => ({
      name: `stream ${resources.eventsStream.streamName}`,
      created: await ensureStream(clients, resources.eventsStream, timeoutMs),
    }))(),
    ...resources.buckets.map(async (bucket) => ({
      name: `bucket ${bucket.bucketName}`,
      created: await ensureBucket(clients, bucket),
    })),
  ]);
  return {
    created: results.filter((result) => result.created).map((result) => result.name),
    existing: results.filter((result) => !result.created).map((result) => result.name),
    elapsedMs: Date.now() - started,
  };
}

async function emptyAndDeleteBucket(clients: AwsClients, bucketName: string): Promise<void> {
  try {
    for (;;) {
      const listing = await clients.s3.send(new ListObjectsV2Command({ Bucket: bucketName }));
      const keys = (listing.Contents ?? []).flatMap((object) =>
        object.Key === undefined ? [] : [{ Key: object.Key }],
      );
      if (keys.length === 0) break;
      await clients.s3.send(
        new DeleteObjectsCommand({ Bucket: bucketName, Delete: { Objects: keys, Quiet: true } }),
      );
    }
    await clients.s3.send(new DeleteBucketCommand({ Bucket: bucketName }));
  } catch (error) {
    if (
      error instanceof NoSuchBucket ||
      (error instanceof Error && error.name === 'NoSuchBucket')
    ) {
      return;
    }
    throw error;
  }
}

/** Deletes what bootstrapResources created (missing resources are fine): test isolation. */
export async function deleteResources(
  clients: AwsClients,
  resources: ResourceDefinitions,
): Promise<void> {
  await Promise.all([
    ...resources.tables.map(async (table) => {
      try {
        await clients.dynamodb.send(new DeleteTableCommand({ TableName: table.tableName }));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
      }
    }),
    (async () => {
      try {
        await clients.kinesis.send(
          new DeleteStreamCommand({
            StreamName: resources.eventsStream.streamName,
            EnforceConsumerDeletion: true,
          }),
        );
      } catch (error) {
        if (!(error instanceof KinesisResourceNotFoundException)) throw error;
      }
    })(),
    ...resources.buckets.map((bucket) => emptyAndDeleteBucket(clients, bucket.bucketName)),
  ]);
}
