/**
 * The registry's write side on DynamoDB Local: conditional writes (a duplicate site or key and an
 * unknown site are refused, also when two writers race), origins validated before any write,
 * keys stored only as their hash, revocation kept, and npm start's seed idempotent.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { formatIngestKey, hashIngestKey, newIngestKey } from '../../pipeline/ingest-key';
import { IngestKeyItemSchema, SiteItemSchema } from '../../schemas/registry';
import { isValid } from '../../schemas/validator';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import {
  type RegistryWriter,
  RegistryError,
  dynamoRegistryWriter,
  ensureSiteWithKey,
} from './dynamo-registry-writer';

let stack: TestStack;
let registry: RegistryWriter;
const T0 = Date.parse('2026-12-08T01:00:00.000Z');

beforeAll(async () => {
  stack = await useTestStack({ name: 'registry-writer' });
  registry = dynamoRegistryWriter(stack.clients.dynamodb, stack.names.tables.registry);
});

afterAll(async () => {
  await stack.dispose();
});

async function allItems(): Promise<Record<string, unknown>[]> {
  const answer = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: stack.names.tables.registry, ConsistentRead: true }),
  );
  return (answer.Items ?? []).map((item) => unmarshall(item));
}

async function refusal(attempt: Promise<unknown>): Promise<RegistryError> {
  const error = await attempt.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof RegistryError)) {
    throw new Error(`expected a RegistryError, received ${String(error)}`);
  }
  return error;
}

test('adds a site once: a second add of the same id is refused, also when two race', async () => {
  const site = await registry.addSite(
    { siteId: 'shop-a', origins: ['https://shop-a.example.com'], tier: 'starter' },
    T0,
  );

  expect(isValid(SiteItemSchema, site)).toBe(true);
  expect(site).toMatchObject({ pk: 'shop-a', sk: 'site', status: 'active', tier: 'starter' });
  const duplicate = await refusal(registry.addSite({ siteId: 'shop-a' }, T0 + 1));
  expect(duplicate.code).toBe('duplicate_site');
  expect(duplicate.message).toContain('site "shop-a" already exists');
  expect((await registry.getSite('shop-a'))?.site.tier).toBe('starter');

  const race = await Promise.allSettled([
    registry.addSite({ siteId: 'shop-race', name: 'first' }, T0),
    registry.addSite({ siteId: 'shop-race', name: 'second' }, T0),
  ]);
  expect(race.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
  const lost = race.find((r) => r.status === 'rejected');
  expect((lost as PromiseRejectedResult).reason).toMatchObject({ code: 'duplicate_site' });
});

test('stores a key as its hash under its site, with the site tier; never the value', async () => {
  await registry.addSite({ siteId: 'shop-k', tier: 'scale' }, T0);
  const { key, sha256, keyId } = newIngestKey('shop-k');

  const item = await registry.addKey(key, T0, { apiGatewayKeyId: 'agk123' });

  expect(isValid(IngestKeyItemSchema, item)).toBe(true);
  expect(item).toMatchObject({
    pk: 'shop-k',
    sk: `ingestKey#${sha256}`,
    keyId,
    tier: 'scale',
    status: 'active',
    apiGatewayKeyId: 'agk123',
  });
  expect(JSON.stringify(await allItems())).not.toContain(key);
  const again = await refusal(registry.addKey(key, T0 + 1));
  expect(again.code).toBe('duplicate_key');
  expect(again.message).toContain(keyId);
});

test('refuses a key of an unknown site and a malformed key, writing nothing', async () => {
  const before = (await allItems()).length;

  const unknown = await refusal(registry.addKey(newIngestKey('no-such-site').key, T0));
  const malformed = await refusal(registry.addKey('li_shop-a_short', T0));

  expect(unknown.code).toBe('unknown_site');
  expect(unknown.message).toContain('no site "no-such-site"');
  expect(malformed.code).toBe('invalid');
  expect((await allItems()).length).toBe(before);
});

test.each([
  [['https://Shop.example.com'], /did you mean "https:\/\/shop.example.com"/],
  [['https://shop.example.com/'], /did you mean "https:\/\/shop.example.com"/],
  [['https://shop.example.com:443'], /did you mean "https:\/\/shop.example.com"/],
  [['https://shop.example.com/path'], /expected an exact origin/],
  [['ftp://shop.example.com'], /expected an exact origin/],
  [['shop.example.com'], /expected an exact origin/],
  [['*', 'https://shop.example.com'], /mix "\*" with others/],
  [['https://a.example.com', 'https://a.example.com'], /listed twice/],
])('set-origins refuses %j before any write', async (origins, message) => {
  const before = await registry.getSite('shop-a');

  const error = await refusal(registry.setOrigins('shop-a', origins, T0 + 5));

  expect(error.code).toBe('invalid');
  expect(error.message).toMatch(message);
  expect(await registry.getSite('shop-a')).toEqual(before);
});

test('set-origins replaces the list (exact origins, or * alone), and refuses an unknown site', async () => {
  const exact = await registry.setOrigins(
    'shop-a',
    ['https://shop-a.example.com', 'http://localhost:3000'],
    T0 + 10,
  );
  const any = await registry.setOrigins('shop-a', ['*'], T0 + 20);
  const unknown = await refusal(registry.setOrigins('no-such-site', ['*'], T0));

  expect(exact.origins).toEqual(['https://shop-a.example.com', 'http://localhost:3000']);
  expect(any.origins).toEqual(['*']);
  expect(any.updatedAt).toBe(new Date(T0 + 20).toISOString());
  expect(any.createdAt).toBe(new Date(T0).toISOString());
  expect(unknown.code).toBe('unknown_site');
  expect((await allItems()).some((item) => item['pk'] === 'no-such-site')).toBe(false);
});

test('disables a site (its keys stay, marked by the site) and refuses an unknown one', async () => {
  await registry.addSite({ siteId: 'shop-d' }, T0);
  await registry.addKey(newIngestKey('shop-d').key, T0);

  const disabled = await registry.disableSite('shop-d', T0 + 30);

  expect(disabled.status).toBe('disabled');
  expect((await registry.getSite('shop-d'))?.keys).toHaveLength(1);
  expect((await refusal(registry.disableSite('no-such-site', T0))).code).toBe('unknown_site');
});

test('revokes a key by id or by value, once: a second revoke keeps the first time', async () => {
  await registry.addSite({ siteId: 'shop-r' }, T0);
  const first = newIngestKey('shop-r');
  const second = newIngestKey('shop-r');
  await registry.addKey(first.key, T0);
  await registry.addKey(second.key, T0);

  const byId = await registry.revokeKey('shop-r', first.keyId, T0 + 40);
  const again = await registry.revokeKey('shop-r', first.keyId, T0 + 50);
  const byValue = await registry.revokeKey('shop-r', second.key, T0 + 60);

  expect(byId).toMatchObject({ status: 'revoked', revokedAt: new Date(T0 + 40).toISOString() });
  expect(again.revokedAt).toBe(byId.revokedAt);
  expect(byValue).toMatchObject({ keyId: second.keyId, status: 'revoked' });
  const unknownKey = await refusal(registry.revokeKey('shop-r', 'k_00000000', T0));
  expect(unknownKey.code).toBe('unknown_key');
  expect(unknownKey.message).toContain(`${first.keyId} revoked`);
  expect((await refusal(registry.revokeKey('no-such-site', first.keyId, T0))).code).toBe(
    'unknown_site',
  );
  // A revoked value stays taken.
  expect((await refusal(registry.addKey(first.key, T0 + 70))).code).toBe('duplicate_key');
});

test('lists every site with its keys, by id', async () => {
  const sites = await registry.listSites();

  const ids = sites.map((s) => s.site.siteId);
  expect(ids).toEqual([...ids].sort());
  expect(ids).toEqual(expect.arrayContaining(['shop-a', 'shop-d', 'shop-k', 'shop-r']));
  expect(sites.find((s) => s.site.siteId === 'shop-r')?.keys).toHaveLength(2);
});

test('the seed is idempotent: one site, one key, origins merged across starts', async () => {
  const key = formatIngestKey('demo-seed', 'LocalDemoKeyNotASecret0000000000');
  const spec = { siteId: 'demo-seed', name: 'Demo', origins: ['http://localhost:3000'] };

  await ensureSiteWithKey(registry, spec, key, T0);
  await ensureSiteWithKey(registry, spec, key, T0 + 1);
  const moved = await ensureSiteWithKey(
    registry,
    { ...spec, origins: ['http://localhost:3100'] },
    key,
    T0 + 2,
  );

  expect(moved.site.origins).toEqual(['http://localhost:3000', 'http://localhost:3100']);
  expect(moved.keys).toHaveLength(1);
  expect(moved.keys[0]?.sk).toBe(`ingestKey#${hashIngestKey(key)}`);
  expect(moved.keys[0]?.status).toBe('active');
  expect((await allItems()).filter((item) => item['pk'] === 'demo-seed')).toHaveLength(2);
});
