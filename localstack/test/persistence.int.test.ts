/**
 * With a data directory, DynamoDB Local (-dbPath) and s3rver keep their data across a restart
 * of the local stack, and the bootstrap finds the resources instead of recreating them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
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
});
