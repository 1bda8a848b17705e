/**
 * The local event-source mapping on DynamoDB Local's streams: events pass AWS's own schema,
 * changes of one item arrive in order with ParallelizationFactor > 1, TTL deletions carry the
 * service identity, a poison record is bisected out into the S3 emulator as Lambda's on-failure
 * document plus the record, and a restart resumes from the file checkpoints.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import {
  DeleteItemCommand,
  DescribeTableCommand,
  PutItemCommand,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { useTestStack, type TestStack } from '../testing/use-test-stack';
import {
  FileCheckpointStore,
  startEventSourceMapping,
  type DynamoDBMappingOptions,
  type EventSourceMappingHandle,
} from './index';
import { waitFor } from '../testing/wait-for';

const FAST = { pollIntervalMs: 20, shardDiscoveryIntervalMs: 100, retryBackoffMs: () => 10 };

function recorder(script: (records: DynamoDBRecord[]) => unknown = () => undefined) {
  const events: DynamoDBStreamEvent[] = [];
  const delivered: DynamoDBRecord[] = [];
  const handler = async (event: DynamoDBStreamEvent): Promise<unknown> => {
    events.push(event);
    const answer = script(event.Records);
    delivered.push(...event.Records);
    return answer;
  };
  return { handler, events, delivered };
}

describe('local event-source mapping on DynamoDB Streams', () => {
  let stack: TestStack;
  let stateDir: string;
  const running = new Set<EventSourceMappingHandle>();

  beforeAll(async () => {
    stack = await useTestStack({ name: 'esm-dynamodb' });
    stateDir = await mkdtemp(join(tmpdir(), 'esm-dynamodb-'));
  });
  afterEach(async () => {
    await Promise.all([...running].map((mapping) => mapping.stop()));
    running.clear();
  });
  afterAll(async () => {
    await rm(stateDir, { recursive: true, force: true });
    await stack.dispose();
  });

  const start = async (
    options: Omit<DynamoDBMappingOptions, 'clients' | 'checkpointStore' | 'timing'>,
  ) => {
    const mapping = await startEventSourceMapping({
      clients: { dynamodbStreams: stack.clients.dynamodbStreams, s3: stack.clients.s3 },
      checkpointStore: new FileCheckpointStore(stateDir),
      timing: FAST,
      ...options,
    });
    running.add(mapping);
    return mapping;
  };

  const streamArnOf = async (TableName: string) =>
    (await stack.clients.dynamodb.send(new DescribeTableCommand({ TableName }))).Table
      ?.LatestStreamArn;

  test('delivers schema-valid events, in order per item, with the TTL identity on sweeper deletes', async () => {
    // Prepare
    const TableName = stack.names.tables.activeSessions;
    const key = (sk: string): Record<string, AttributeValue> => ({
      pk: { S: 'site-1#0' },
      sk: { S: sk },
    });
    const { handler, events, delivered } = recorder();
    await start({
      source: { type: 'dynamodb', tableName: TableName },
      settings: { StartingPosition: 'TRIM_HORIZON', BatchSize: 4, ParallelizationFactor: 2 },
      handler,
      function: { name: 'processor' },
    });

    // Act: three changes per item for four items, a binary attribute, and one TTL deletion.
    const items = ['a', 'b', 'c', 'd'];
    for (const sk of items) {
      await stack.clients.dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: { ...key(sk), n: { N: '1' }, blob: { B: Buffer.from([1, 2, 3]) } },
        }),
      );
    }
    for (const sk of items) {
      await stack.clients.dynamodb.send(
        new UpdateItemCommand({
          TableName,
          Key: key(sk),
          UpdateExpression: 'SET n = :two',
          ExpressionAttributeValues: { ':two': { N: '2' } },
        }),
      );
    }
    for (const sk of items)
      await stack.clients.dynamodb.send(new DeleteItemCommand({ TableName, Key: key(sk) }));
    const expiresAt = String(Math.floor(Date.now() / 1000) - 60);
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName, Item: { ...key('expired'), expiresAt: { N: expiresAt } } }),
    );
    await stack.sweepTtl([TableName]);
    await waitFor(() => delivered.length === 14, '14 stream records', 20_000);

    // Assess
    const streamArn = await streamArnOf(TableName);
    for (const event of events) {
      expect(DynamoDBStreamSchema.safeParse(event).success).toBe(true);
      expect(event.Records.length).toBeLessThanOrEqual(4);
    }
    for (const sk of items) {
      const changes = delivered.filter((r) => r.dynamodb?.Keys?.sk?.S === sk);
      expect(changes.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
      expect(changes.map((r) => r.dynamodb?.NewImage?.n?.N)).toEqual(['1', '2', undefined]);
      expect(changes[0]?.dynamodb?.NewImage?.blob).toEqual({ B: 'AQID' });
      expect(changes.every((r) => r.userIdentity === undefined)).toBe(true);
    }
    for (const record of delivered) {
      expect(record).toMatchObject({
        eventSource: 'aws:dynamodb',
        eventSourceARN: streamArn,
        awsRegion: stack.region,
      });
      expect(Number.isInteger(record.dynamodb?.ApproximateCreationDateTime)).toBe(true);
      expect(
        Math.abs((record.dynamodb?.ApproximateCreationDateTime ?? 0) - Date.now() / 1000),
      ).toBeLessThan(600);
      expect(record.dynamodb?.StreamViewType).toBe('NEW_AND_OLD_IMAGES');
    }
    const ttlRemove = delivered.find(
      (r) => r.eventName === 'REMOVE' && r.dynamodb?.Keys?.sk?.S === 'expired',
    );
    expect(ttlRemove?.userIdentity).toEqual({
      type: 'Service',
      principalId: 'dynamodb.amazonaws.com',
    });
  });

  test('bisects a poison record out to S3 as the on-failure document with the record', async () => {
    // Prepare
    const TableName = stack.names.tables.sessions;
    const mappingId = 'dynamodb-poison';
    const { handler, delivered } = recorder((records) => {
      if (records.some((r) => r.dynamodb?.Keys?.pk?.S === 'poison'))
        throw new Error('cannot derive');
    });
    for (const pk of ['s1', 's2', 'poison', 's3']) {
      await stack.clients.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: { S: pk } } }));
    }

    // Act
    const mapping = await start({
      mappingId,
      source: { type: 'dynamodb', streamArn: (await streamArnOf(TableName)) ?? '' },
      settings: {
        StartingPosition: 'TRIM_HORIZON',
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 0,
        DestinationConfig: {
          OnFailure: { Destination: `arn:aws:s3:::${stack.names.buckets.failures}` },
        },
      },
      handler,
      function: { name: 'processor' },
    });
    await waitFor(
      () => mapping.stats().recordsToDestination === 1 && delivered.length >= 3,
      'poison out, rest in',
      20_000,
    );
    const listing = await waitFor(async () => {
      const found = await stack.clients.s3.send(
        new ListObjectsV2Command({
          Bucket: stack.names.buckets.failures,
          Prefix: `aws/lambda/${mappingId}/`,
        }),
      );
      return found.KeyCount === 1 ? found : undefined;
    }, 'one on-failure object');
    const object = await stack.clients.s3.send(
      new GetObjectCommand({
        Bucket: stack.names.buckets.failures,
        Key: listing.Contents?.[0]?.Key,
      }),
    );
    const document: unknown = JSON.parse((await object.Body?.transformToString()) ?? '');

    // Assess
    expect(delivered.map((r) => r.dynamodb?.Keys?.pk?.S).sort()).toEqual(['s1', 's2', 's3']);
    expect(document).toMatchObject({
      requestContext: {
        condition: 'RetryAttemptsExhausted',
        functionArn: expect.stringMatching(/:function:processor$/),
      },
      responseContext: { functionError: 'Unhandled' },
      version: '1.0',
      DDBStreamBatchInfo: { batchSize: 1, streamArn: await streamArnOf(TableName) },
    });
    expect(document).not.toHaveProperty('KinesisBatchInfo');
    const payload = DynamoDBStreamSchema.parse((document as { payload: unknown }).payload);
    expect(payload.Records.map((r) => r.dynamodb.Keys)).toEqual([{ pk: 'poison' }]);
  });

  test('a restart resumes after the last checkpoint; an injected TTL lookup marks its deletes', async () => {
    // Prepare
    const TableName = stack.names.tables.sessions;
    const settings = { StartingPosition: 'LATEST' } as const;
    const isTtlDeletion = (ref: { tableName: string; keys: Readonly<Record<string, unknown>> }) =>
      ref.tableName === TableName &&
      JSON.stringify(ref.keys) === JSON.stringify({ pk: { S: 'r2' } });
    const first = recorder();
    const run1 = await start({
      source: { type: 'dynamodb', tableName: TableName },
      settings,
      handler: first.handler,
      function: { name: 'resume-processor' },
      isTtlDeletion,
    });
    await stack.clients.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'r1' } } }));
    await waitFor(() => first.delivered.length === 1, 'the first record', 20_000);
    await run1.stop();
    running.delete(run1);

    // Act
    await stack.clients.dynamodb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'r2' } } }));
    await stack.clients.dynamodb.send(
      new DeleteItemCommand({ TableName, Key: { pk: { S: 'r2' } } }),
    );
    const second = recorder();
    await start({
      source: { type: 'dynamodb', tableName: TableName },
      settings,
      handler: second.handler,
      function: { name: 'resume-processor' },
      isTtlDeletion,
    });
    await waitFor(() => second.delivered.length === 2, 'the records put while stopped', 20_000);

    // Assess
    expect(first.delivered.map((r) => r.dynamodb?.Keys?.pk?.S)).toEqual(['r1']);
    expect(
      second.delivered.map((r) => [r.eventName, r.dynamodb?.Keys?.pk?.S, r.userIdentity]),
    ).toEqual([
      ['INSERT', 'r2', undefined],
      ['REMOVE', 'r2', { type: 'Service', principalId: 'dynamodb.amazonaws.com' }],
    ]);
  });
});
