/**
 * npm start's demo seed on DynamoDB Local: the demo sites and their fixed keys land in the
 * registry once however often the product starts, the ingest authorizer's own read (EDGE's
 * reader + pure decision) allows the keys with the edge's origins, a start on another port adds
 * that origin, and an operator's disable survives the next start.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamoRegistryReader } from '../../handlers/adapters/dynamo-registry-reader';
import { dynamoRegistryWriter } from '../../handlers/adapters/dynamo-registry-writer';
import { authorizeIngestKey } from '../../pipeline/ingest-authorization';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { DEMO_SITES, demoOrigins, seedDemoSites } from './demo-sites';

let stack: TestStack;

beforeAll(async () => {
  stack = await useTestStack({ name: 'demo-sites' });
});

afterAll(async () => {
  await stack.dispose();
});

test('origins of an edge on localhost are both names of it', () => {
  expect(demoOrigins('http://localhost:3000/')).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
  ]);
  expect(demoOrigins('https://edge.example.com')).toEqual(['https://edge.example.com']);
});

test('seeds each demo site and key once; the authorizer allows them from the edge origin', async () => {
  const table = stack.names.tables.registry;

  await seedDemoSites(stack.clients.dynamodb, table, 'http://localhost:3000');
  const seeded = await seedDemoSites(stack.clients.dynamodb, table, 'http://localhost:3000');

  const items = await stack.clients.dynamodb.send(new ScanCommand({ TableName: table }));
  expect(items.Items).toHaveLength(DEMO_SITES.length * 2);
  expect(seeded.map((s) => s.siteId)).toEqual(DEMO_SITES.map((s) => s.siteId));
  expect(seeded[0]?.ingestKey).toBe('li_demo-shop_LocalDemoKeyNotASecret0000000000');
  const reader = dynamoRegistryReader(stack.clients.dynamodb, table);
  for (const site of seeded) {
    expect(await authorizeIngestKey(site.ingestKey, reader)).toMatchObject({
      kind: 'allow',
      siteId: site.siteId,
      keyId: site.keyId,
      origins: ['http://localhost:3000', 'http://127.0.0.1:3000'],
    });
  }
});

test('a start on another port adds its origin; a disabled site stays disabled', async () => {
  const table = stack.names.tables.registry;
  const writer = dynamoRegistryWriter(stack.clients.dynamodb, table);
  await seedDemoSites(stack.clients.dynamodb, table, 'http://localhost:3000');
  await writer.disableSite('demo-docs', Date.now());

  await seedDemoSites(stack.clients.dynamodb, table, 'http://localhost:3100');

  const shop = await writer.getSite('demo-shop');
  expect(shop?.site.origins).toEqual([
    'http://localhost:3000',
    'http://127.0.0.1:3000',
    'http://localhost:3100',
    'http://127.0.0.1:3100',
  ]);
  expect(shop?.keys).toHaveLength(1);
  expect((await writer.getSite('demo-docs'))?.site.status).toBe('disabled');
});
