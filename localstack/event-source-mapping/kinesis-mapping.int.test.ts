/**
 * The local event-source mapping on real Kinesis emulators (kinesalite and kinesis-mock): events
 * pass AWS's own schema, order per partition key holds with ParallelizationFactor > 1, a restart
 * resumes from the file checkpoints, exhausted and aged-out records land in the S3 emulator as
 * Lambda's on-failure document plus the records, and children of a split shard follow their parent.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KinesisDataStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordCommand,
  SplitShardCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { KinesisStreamEvent } from 'aws-lambda';
import { testKinesisEngines, useTestStack, type TestStack } from '../testing/use-test-stack';
import {
  FileCheckpointStore,
  startEventSourceMapping,
  type EventSourceMappingHandle,
  type KinesisMappingOptions,
} from './index';
import { waitFor } from '../testing/wait-for';

const FAST = { pollIntervalMs: 20, shardDiscoveryIntervalMs: 100, retryBackoffMs: () => 10 };

interface Delivery {
  readonly key: string;
  readonly data: string;
  readonly sequenceNumber: string;
}

function recorder(script: (deliveries: Delivery[]) => unknown = () => undefined) {
  const events: KinesisStreamEvent[] = [];
  const delivered: Delivery[] = [];
  const handler = async (event: KinesisStreamEvent): Promise<unknown> => {
    events.push(event);
    const batch = event.Records.map((r) => ({
      key: r.kinesis.partitionKey,
      data: Buffer.from(r.kinesis.data, 'base64').toString(),
      sequenceNumber: r.kinesis.sequenceNumber,
    }));
    const answer = script(batch);
    delivered.push(...batch);
    return answer;
  };
  return { handler, events, delivered };
}

describe.each(testKinesisEngines())('local event-source mapping on Kinesis (%s)', (engine) => {
  let stack: TestStack;
  let stateDir: string;
  let streamArn: string;
  const running = new Set<EventSourceMappingHandle>();

  beforeAll(async () => {
    stack = await useTestStack({ kinesisEngine: engine, name: `esm-${engine}` });
    stateDir = await mkdtemp(join(tmpdir(), 'esm-kinesis-'));
    const summary = await stack.clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: stack.names.eventsStream }),
    );
    streamArn = summary.StreamDescriptionSummary?.StreamARN ?? '';
  });
  afterEach(async () => {
    await Promise.all([...running].map((mapping) => mapping.stop()));
    running.clear();
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
    await stack.dispose();
  });

  const put = async (key: string, data: string) =>
    stack.clients.kinesis.send(
      new PutRecordCommand({
        StreamName: stack.names.eventsStream,
        PartitionKey: key,
        Data: Buffer.from(data),
      }),
    );

  const start = async (
    options: Omit<KinesisMappingOptions, 'source' | 'clients' | 'checkpointStore' | 'timing'> &
      Partial<Pick<KinesisMappingOptions, 'checkpointStore'>>,
  ) => {
    const mapping = await startEventSourceMapping({
      source: { type: 'kinesis', streamName: stack.names.eventsStream },
      clients: { kinesis: stack.clients.kinesis, s3: stack.clients.s3 },
      checkpointStore: new FileCheckpointStore(stateDir),
      timing: FAST,
      ...options,
    });
    running.add(mapping);
    return mapping;
  };

  const failureDocuments = async (mappingId: string) => {
    const listing = await stack.clients.s3.send(
      new ListObjectsV2Command({
        Bucket: stack.names.buckets.failures,
        Prefix: `aws/lambda/${mappingId}/`,
      }),
    );
    return Promise.all(
      (listing.Contents ?? []).map(async ({ Key }) => {
        const object = await stack.clients.s3.send(
          new GetObjectCommand({ Bucket: stack.names.buckets.failures, Key }),
        );
        return {
          key: Key ?? '',
          document: JSON.parse((await object.Body?.transformToString()) ?? '') as unknown,
        };
      }),
    );
  };

  test('delivers Lambda-shaped events in order per key over concurrent batches, and resumes after a restart', async () => {
    // Prepare: 48 records over 8 keys (both shards), each carrying its per-key counter.
    const keys = Array.from({ length: 8 }, (_, i) => `session-${i}`);
    for (let n = 0; n < 6; n += 1) for (const key of keys) await put(key, `${key}:${n}`);
    const first = recorder();
    const settings = {
      StartingPosition: 'TRIM_HORIZON',
      BatchSize: 5,
      ParallelizationFactor: 3,
    } as const;

    // Act
    const run1 = await start({
      settings,
      handler: first.handler,
      function: { name: 'order-consumer' },
    });
    await waitFor(() => first.delivered.length === 48, 'all 48 records delivered', 20_000);
    await run1.stop();
    running.delete(run1);
    await put('session-0', 'session-0:6');
    const second = recorder();
    const run2 = await start({
      settings,
      handler: second.handler,
      function: { name: 'order-consumer' },
    });
    await waitFor(() => second.delivered.length === 1, 'the record put while stopped', 20_000);

    // Assess
    for (const event of first.events) {
      expect(KinesisDataStreamSchema.safeParse(event).success).toBe(true);
      for (const record of event.Records) {
        expect(record.eventSourceARN).toBe(streamArn);
        expect(record.eventID).toBe(
          `${record.eventID.split(':')[0]}:${record.kinesis.sequenceNumber}`,
        );
        expect(record.eventID.startsWith('shardId-')).toBe(true);
        expect(record.awsRegion).toBe(stack.region);
        // Epoch seconds (with a fraction), not milliseconds.
        expect(
          Math.abs(record.kinesis.approximateArrivalTimestamp - Date.now() / 1000),
        ).toBeLessThan(600);
      }
    }
    for (const key of keys) {
      const counters = first.delivered.filter((d) => d.key === key).map((d) => d.data);
      expect(counters).toEqual(Array.from({ length: 6 }, (_, n) => `${key}:${n}`));
    }
    expect(first.events.every((event) => event.Records.length <= 5)).toBe(true);
    expect(second.delivered.map((d) => d.data)).toEqual(['session-0:6']);
    expect(run2.stats().recordsRead).toBe(1);
  });

  test('a batch that exhausts its retries lands in S3 as the on-failure document with its records', async () => {
    // Prepare
    const mappingId = `exhausted-${engine}`;
    const { handler, delivered } = recorder((batch) => {
      if (batch.some((d) => d.data === 'poison')) throw new Error('cannot process');
    });
    const mapping = await start({
      mappingId,
      // BatchSize 1: "poison" fails alone; the record after it is a batch of its own.
      settings: { StartingPosition: 'LATEST', MaximumRetryAttempts: 1, BatchSize: 1 },
      handler,
      function: { name: 'exhausted-consumer' },
      destination: { type: 's3', bucket: stack.names.buckets.failures },
    });

    // Act
    const poison = await put('k-poison', 'poison');
    await put('k-poison', 'after');
    await waitFor(
      () => delivered.some((d) => d.data === 'after'),
      'the record after the poison',
      20_000,
    );
    const objects = await waitFor(async () => {
      const found = await failureDocuments(mappingId);
      return found.length === 1 ? found : undefined;
    }, 'one on-failure object');

    // Assess
    const [{ key, document }] = objects as [{ key: string; document: unknown }];
    expect(key).toMatch(
      new RegExp(
        `^aws/lambda/${mappingId}/${poison.ShardId}/\\d{4}/\\d{2}/\\d{2}/\\d{4}-\\d{2}-\\d{2}T\\d{2}\\.\\d{2}\\.\\d{2}-[0-9a-f-]{36}$`,
      ),
    );
    expect(document).toMatchObject({
      requestContext: {
        functionArn: `arn:aws:lambda:${stack.region}:000000000000:function:exhausted-consumer`,
        condition: 'RetryAttemptsExhausted',
        approximateInvokeCount: 2,
      },
      responseContext: { statusCode: 200, executedVersion: '$LATEST', functionError: 'Unhandled' },
      version: '1.0',
      KinesisBatchInfo: {
        shardId: poison.ShardId,
        startSequenceNumber: poison.SequenceNumber,
        endSequenceNumber: poison.SequenceNumber,
        batchSize: 1,
        streamArn,
      },
    });
    const payload = (document as { payload: unknown }).payload;
    const parsed = KinesisDataStreamSchema.parse(payload);
    expect(Buffer.from(JSON.stringify(parsed.Records[0]?.kinesis.data))).toBeDefined();
    expect(
      (payload as KinesisStreamEvent).Records.map((r) =>
        Buffer.from(r.kinesis.data, 'base64').toString(),
      ),
    ).toEqual(['poison']);
    expect(mapping.stats()).toMatchObject({ recordsToDestination: 1, retries: 1 });
  });

  test('records older than the maximum age go to S3 while the fresh record of the batch is delivered', async () => {
    // Prepare: two records a few ms apart, read back for their arrival times.
    const old = await put('k-age', 'old');
    const notBefore = Date.now() + 5;
    await waitFor(() => Date.now() > notBefore, 'the clock to move on');
    const fresh = await put('k-age', 'fresh');
    const { ShardIterator } = await stack.clients.kinesis.send(
      new GetShardIteratorCommand({
        StreamName: stack.names.eventsStream,
        ShardId: old.ShardId,
        ShardIteratorType: 'AT_SEQUENCE_NUMBER',
        StartingSequenceNumber: old.SequenceNumber,
      }),
    );
    const page = await stack.clients.kinesis.send(new GetRecordsCommand({ ShardIterator }));
    const arrival = (seq: string | undefined) =>
      page.Records?.find((r) => r.SequenceNumber === seq)?.ApproximateArrivalTimestamp?.getTime() ??
      NaN;
    const [oldMs, freshMs] = [arrival(old.SequenceNumber), arrival(fresh.SequenceNumber)];
    expect(freshMs).toBeGreaterThan(oldMs);
    // A clock at which "old" is just over 60 s old and "fresh" exactly 60 s (not older).
    const clock = () => freshMs + 60_000;
    const mappingId = `age-${engine}`;
    const { handler, delivered } = recorder();

    // Act
    await start({
      mappingId,
      clock,
      settings: {
        StartingPosition: 'AT_TIMESTAMP',
        StartingPositionTimestamp: oldMs / 1000,
        MaximumRecordAgeInSeconds: 60,
      },
      handler,
      function: { name: 'age-consumer' },
      destination: { type: 's3', bucket: stack.names.buckets.failures },
    });
    await waitFor(() => delivered.some((d) => d.data === 'fresh'), 'the fresh record', 20_000);
    const objects = await waitFor(async () => {
      const found = await failureDocuments(mappingId);
      return found.length === 1 ? found : undefined;
    }, 'one on-failure object');

    // Assess
    expect(delivered.map((d) => d.data)).toEqual(['fresh']);
    const document = objects[0]?.document;
    expect(document).toMatchObject({
      requestContext: { condition: 'RecordAgeExceeded', approximateInvokeCount: 0 },
      KinesisBatchInfo: { startSequenceNumber: old.SequenceNumber, batchSize: 1 },
    });
    expect(document).not.toHaveProperty('responseContext');
  });

  test('after a shard split, the children are read only once the parent is done', async () => {
    // Prepare: records of one key in a shard, then the shard split in two.
    const key = 'k-split';
    const before = await Promise.all([0, 1, 2].map(async (n) => put(key, `before-${n}`)));
    const parentId = before[0]?.ShardId ?? '';
    const { handler, delivered } = recorder();
    const mapping = await start({
      settings: {
        StartingPosition: 'AT_TIMESTAMP',
        StartingPositionTimestamp: Date.now() / 1000 - 60,
      },
      handler,
      function: { name: 'split-consumer' },
    });
    const shards = await stack.clients.kinesis.send(
      new ListShardsCommand({ StreamName: stack.names.eventsStream }),
    );
    const parent = shards.Shards?.find((shard) => shard.ShardId === parentId);
    const low = BigInt(parent?.HashKeyRange?.StartingHashKey ?? '0');
    const high = BigInt(parent?.HashKeyRange?.EndingHashKey ?? '0');

    // Act
    await stack.clients.kinesis.send(
      new SplitShardCommand({
        StreamName: stack.names.eventsStream,
        ShardToSplit: parentId,
        NewStartingHashKey: ((low + high) / 2n).toString(),
      }),
    );
    await waitFor(
      async () => {
        const summary = await stack.clients.kinesis.send(
          new DescribeStreamSummaryCommand({ StreamName: stack.names.eventsStream }),
        );
        return summary.StreamDescriptionSummary?.StreamStatus === 'ACTIVE';
      },
      'the stream to be ACTIVE again',
      20_000,
    );
    const after = await put(key, 'after-split');
    await waitFor(
      () => delivered.some((d) => d.data === 'after-split'),
      'the record in the child shard',
      20_000,
    );

    // Assess
    expect(after.ShardId).not.toBe(parentId);
    expect(delivered.filter((d) => d.key === key).map((d) => d.data)).toEqual([
      'before-0',
      'before-1',
      'before-2',
      'after-split',
    ]);
    await waitFor(
      () => mapping.stats().shards[parentId]?.ended === true,
      'the parent marked ended',
    );
  });
});
