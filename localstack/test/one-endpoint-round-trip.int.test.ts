/**
 * Every emulated service round-trips through the one endpoint, Kinesis on both engines, and
 * emulator errors come back unchanged (the SDK sees the service's own exception).
 */
import {
  GetItemCommand,
  PutItemCommand,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
  ResourceNotFoundException as KinesisResourceNotFoundException,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, NoSuchKey, PutObjectCommand } from '@aws-sdk/client-s3';
import { type TestStack, testKinesisEngines, useTestStack } from '../testing/use-test-stack';

describe('one endpoint: DynamoDB and S3', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await useTestStack({ name: 'round-trip' });
  });
  afterAll(() => stack.dispose());

  it('writes and reads a DynamoDB item', async () => {
    // Arrange
    const item = {
      pk: { S: 'site-1#session-1' },
      sk: { S: 'event-1' },
      expiresAt: { N: '2000000000' },
    };
    // Act
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName: stack.names.tables.events, Item: item }),
    );
    const { Item } = await stack.clients.dynamodb.send(
      new GetItemCommand({
        TableName: stack.names.tables.events,
        Key: { pk: item.pk, sk: item.sk },
        ConsistentRead: true,
      }),
    );
    // Assert
    expect(Item).toEqual(item);
  });

  it('passes DynamoDB errors through unchanged', async () => {
    await expect(
      stack.clients.dynamodb.send(
        new GetItemCommand({ TableName: `${stack.prefix}-missing`, Key: { pk: { S: 'x' } } }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
  });

  it('writes and reads an S3 object (s3rver verifies the SigV4 signature)', async () => {
    const bucket = stack.names.buckets.failures;
    await stack.clients.s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: 'a/b.json', Body: '{"ok":true}' }),
    );
    const object = await stack.clients.s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: 'a/b.json' }),
    );
    expect(await object.Body?.transformToString()).toBe('{"ok":true}');
  });

  it('passes S3 errors through unchanged', async () => {
    await expect(
      stack.clients.s3.send(
        new GetObjectCommand({ Bucket: stack.names.buckets.failures, Key: 'missing' }),
      ),
    ).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('answers a LocalStack-style health check', async () => {
    const response = await fetch(`${stack.endpoint}/_localstack/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      services: { dynamodb: 'running', kinesis: 'running', s3: 'running' },
    });
  });
});

describe.each(testKinesisEngines())('one endpoint: Kinesis on %s', (engine) => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await useTestStack({ name: `kinesis-${engine}`, kinesisEngine: engine });
  });
  afterAll(() => stack.dispose());

  it('creates the events stream with the configured shards and round-trips records', async () => {
    // Arrange
    const StreamName = stack.names.eventsStream;
    const { Shards } = await stack.clients.kinesis.send(new ListShardsCommand({ StreamName }));
    expect(Shards).toHaveLength(stack.resources.eventsStream.settings.shardCount);
    const payloads = ['one', 'two', 'three'];

    // Act
    const put = await stack.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName,
        Records: payloads.map((text) => ({ Data: Buffer.from(text), PartitionKey: 'session-1' })),
      }),
    );
    const shardId = put.Records?.[0]?.ShardId ?? '';
    const { ShardIterator } = await stack.clients.kinesis.send(
      new GetShardIteratorCommand({
        StreamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    const { Records } = await stack.clients.kinesis.send(new GetRecordsCommand({ ShardIterator }));

    // Assert: one partition key → one shard, order kept.
    expect(put.FailedRecordCount ?? 0).toBe(0);
    expect(Records?.map((record) => Buffer.from(record.Data ?? []).toString())).toEqual(payloads);
  });

  it('passes Kinesis errors through unchanged', async () => {
    await expect(
      stack.clients.kinesis.send(new ListShardsCommand({ StreamName: `${stack.prefix}-missing` })),
    ).rejects.toBeInstanceOf(KinesisResourceNotFoundException);
  });
});
