import { IngestKeyItemSchema, SiteItemSchema, ingestKeyItemSk } from './registry';
import { parseWith } from './validator';

const now = '2026-12-08T00:40:00.000Z';
const site = {
  pk: 'shop',
  sk: 'site',
  siteId: 'shop',
  name: 'Shop',
  origins: ['https://shop.example.com', 'http://localhost:3000'],
  tier: 'standard',
  status: 'active',
  createdAt: now,
  updatedAt: now,
};
const key = {
  pk: 'shop',
  sk: ingestKeyItemSk('a'.repeat(64)),
  siteId: 'shop',
  keyId: 'k_aaaaaaaa',
  tier: 'standard',
  status: 'active',
  createdAt: now,
};

describe('registry item shapes', () => {
  it.each([[['*']], [[]], [site.origins]])('accepts a site with origins %j', (origins) => {
    expect(parseWith(SiteItemSchema, { ...site, origins }).ok).toBe(true);
  });

  it.each([
    [['*', 'https://a.example.com']],
    [['https://a.example.com/']],
    [['https://a.example.com/path']],
    [['HTTPS://A.EXAMPLE.COM']],
    [['a.example.com']],
    [['https://a.example.com', 'https://a.example.com']],
  ])('refuses a site with origins %j', (origins) => {
    expect(parseWith(SiteItemSchema, { ...site, origins }).ok).toBe(false);
  });

  it.each([
    ['an unknown tier', { tier: 'gold' }],
    ['an unknown status', { status: 'paused' }],
    ['another sort key', { sk: 'ingestKey#x' }],
    ['a time that is not ISO UTC', { createdAt: '8 Dec 2026' }],
    ['an unknown field', { owner: 'x' }],
  ])('refuses a site item with %s', (_what, change) => {
    expect(parseWith(SiteItemSchema, { ...site, ...change }).ok).toBe(false);
  });

  it('accepts an active key and a revoked one with its API Gateway key id', () => {
    expect(parseWith(IngestKeyItemSchema, key).ok).toBe(true);
    expect(
      parseWith(IngestKeyItemSchema, {
        ...key,
        status: 'revoked',
        revokedAt: now,
        apiGatewayKeyId: 'abc123',
      }).ok,
    ).toBe(true);
  });

  it.each([
    ['a sort key without the hash', { sk: 'ingestKey#' }],
    ['a key id of another form', { keyId: 'key-1' }],
    ['an unknown status', { status: 'disabled' }],
  ])('refuses a key item with %s', (_what, change) => {
    expect(parseWith(IngestKeyItemSchema, { ...key, ...change }).ok).toBe(false);
  });
});
