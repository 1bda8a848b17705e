/**
 * The registry reader against DynamoDB Local, through the ingest authorizer's decision: items as
 * the registry table holds them (schemas/registry.ts) → allow / deny; a malformed item is an
 * error naming the table and the item; a key never resolves outside its site's partition.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { authorizeIngestKey, registryItemsOf } from '../../pipeline/ingest-authorization';
import { formatIngestKey } from '../../pipeline/ingest-key';
import { authorizeIngest } from '../ingest-authorizer';
import { RegistryReadError, dynamoRegistryReader } from './dynamo-registry-reader';

const SHOP = formatIngestKey('shop', 'ReaderTestShopKey000000000000000');
const REVOKED = formatIngestKey('shop', 'ReaderTestRevokedKey000000000000');
const BLOG = formatIngestKey('blog', 'ReaderTestBlogKey000000000000000');

let stack: TestStack;
beforeAll(async () => {
  stack = await useTestStack({ name: 'registry-reader' });
  const items = [
    registryItemsOf({
      siteId: 'shop',
      origins: ['https://shop.example'],
      tier: 'starter',
      keys: [SHOP],
      revokedKeys: [REVOKED],
    }),
    registryItemsOf({ siteId: 'blog', status: 'disabled', keys: [BLOG] }),
  ].flatMap(({ site, keys }) => [site, ...keys]);
  for (const item of items) {
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName: stack.names.tables.registry, Item: marshall(item) }),
    );
  }
});
afterAll(() => stack?.dispose());

const reader = () => dynamoRegistryReader(stack.clients.dynamodb, stack.names.tables.registry);

it('answers API Gateway with an Allow, the site context and the key as usage identifier', async () => {
  const methodArn = 'arn:aws:execute-api:eu-west-1:123456789012:abc123/prod/POST/events';

  const answer = await authorizeIngest(
    { queryStringParameters: { key: SHOP }, methodArn } as never,
    reader(),
  );

  expect(answer).toEqual({
    principalId: expect.stringMatching(/^k_[0-9a-f]{8}$/) as unknown,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: methodArn }],
    },
    context: {
      siteId: 'shop',
      keyId: answer.principalId,
      tier: 'starter',
      origins: 'https://shop.example',
    },
    usageIdentifierKey: SHOP,
  });
});

it('denies a revoked key, a disabled site and a missing key, with no context', async () => {
  for (const key of [REVOKED, BLOG, undefined]) {
    const answer = await authorizeIngest(
      { queryStringParameters: key === undefined ? null : { key }, methodArn: 'arn:x' } as never,
      reader(),
    );

    expect(answer.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(answer.context).toBeUndefined();
    expect(answer.usageIdentifierKey).toBeUndefined();
  }
});

it("never reads another site's partition for a key naming this site", async () => {
  // The shop's secret under the blog's name: a different hash, in the blog's partition only.
  const forged = formatIngestKey('blog', 'ReaderTestShopKey000000000000000');

  expect(await authorizeIngestKey(forged, reader())).toMatchObject({ reason: 'unknown-key' });
});

it('names the table and the item when an item is malformed', async () => {
  await stack.clients.dynamodb.send(
    new PutItemCommand({
      TableName: stack.names.tables.registry,
      Item: marshall({ pk: 'broken', sk: 'site', siteId: 'broken', origins: 'not-a-list' }),
    }),
  );
  const key = formatIngestKey('broken', 'ReaderTestBrokenKey0000000000000');

  const read = authorizeIngestKey(key, reader());

  await expect(read).rejects.toThrow(RegistryReadError);
  await expect(read).rejects.toThrow(/registry.*pk="broken" sk="site"/);
});
