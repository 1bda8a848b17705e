/**
 * With a data directory, DynamoDB Local (-dbPath), kinesalite (--path) and s3rver keep their
 * data across a restart of the local stack, and the bootstrap finds the resources instead of
 * recreating them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  PutRecordsCommand,
} from '@aws-sdk/client-kinesis';
import { GetObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { createAwsClients } from '../../handlers/aws-clients';
import { resourceDefinitions } from '../../infra/resources';
import { bootstrapResources } from '../bootstrap/bootstrap';
import { startLocalStack } from '../local-stack';
import { describeWithEmulators } from '../testing/use-test-stack';

describeWithEmulators()('persistence with a data directory', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'liveinsight-persist-'));
  });
  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it('keeps DynamoDB items and S3 objects across a restart', async () => {
    // Arrange: first run writes.
    const resources = resourceDefinitions('persist');
    const Key = { pk: { S: 'site-1#session-1' }, sk: { S: 'event-1' } };
    const first = await startLocalStack({ port: 0, dataDir });
    const firstClients = createAwsClients({ endpoint: first.endpoint, region: first.region });
    try {
      const report = await bootstrapResources(firstClients, resources);
      expect(report.existing).toEqual([]);
      await firstClients.dynamodb.send(
        new PutItemCommand({
          TableName: resources.names.tables.events,
          Item: { ...Key, n: { N: '7' } },
        }),
      );
      await firstClients.s3.send(
        new PutObjectCommand({
          Bucket: resources.names.buckets.failures,
          Key: 'kept.json',
          Body: '{}',
        }),
      );
    } finally {
      firstClients.destroy();
      await first.stop();
    }

    // Act: second run on the same directory.
    const second = await startLocalStack({ port: 0, dataDir });
    const clients = createAwsClients({ endpoint: second.endpoint, region: second.region });
    try {
      const report = await bootstrapResources(clients, resources);
      const { Item } = await clients.dynamodb.send(
        new GetItemCommand({ TableName: resources.names.tables.events, Key, ConsistentRead: true }),
      );
      const object = await clients.s3.send(
        new GetObjectCommand({ Bucket: resources.names.buckets.failures, Key: 'kept.json' }),
      );

      // Assert
      expect(Item?.n).toEqual({ N: '7' });
      expect(await object.Body?.transformToString()).toBe('{}');
      expect(report.created.filter((name) => name.startsWith('table'))).toEqual([]);
    } finally {
      clients.destroy();
      await second.stop();
    }
  });

  it('keeps the stream and its unprocessed records across a restart (kinesalite)', async () => {
    // Arrange: first run puts records that nobody reads.
    const resources = resourceDefinitions('persist-stream');
    const streamName = resources.names.eventsStream;
    const data = Array.from({ length: 30 }, (_, i) => `event-${i}`);
    const first = await startLocalStack({ port: 0, dataDir });
    const firstClients = createAwsClients({ endpoint: first.endpoint, region: first.region });
    try {
      await bootstrapResources(firstClients, resources);
      const put = await firstClients.kinesis.send(
        new PutRecordsCommand({
          StreamName: streamName,
          Records: data.map((text, i) => ({
            Data: Buffer.from(text),
            PartitionKey: `session-${i % 5}`,
          })),
        }),
      );
      expect(put.FailedRecordCount).toBe(0);
    } finally {
      firstClients.destroy();
      await first.stop();
    }

    // Act: second run on the same directory reads every shard from the start.
    const second = await startLocalStack({ port: 0, dataDir });
    const clients = createAwsClients({ endpoint: second.endpoint, region: second.region });
    try {
      const report = await bootstrapResources(clients, resources);
      const read: string[] = [];
      const { Shards } = await clients.kinesis.send(
        new ListShardsCommand({ StreamName: streamName }),
      );
      for (const shard of Shards ?? []) {
        const { ShardIterator } = await clients.kinesis.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
            ShardId: shard.ShardId,
            ShardIteratorType: 'TRIM_HORIZON',
          }),
        );
        const page = await clients.kinesis.send(
          new GetRecordsCommand({ ShardIterator, Limit: 1000 }),
        );
        for (const record of page.Records ?? []) {
          read.push(Buffer.from(record.Data ?? new Uint8Array()).toString());
        }
      }

      // Assert: the same stream (not created again) with every record.
      expect(report.existing).toContain(`stream ${streamName}`);
      expect(read.sort()).toEqual([...data].sort());
    } finally {
      clients.destroy();
      await second.stop();
    }
  });
});
