import {
  authorizeIngestKey,
  authorizerContext,
  memoryRegistryReader,
} from './ingest-authorization';
import { formatIngestKey, hashIngestKey, keyIdOfHash } from './ingest-key';

const SHOP_KEY = formatIngestKey('shop', 'A'.repeat(32));
const OTHER_KEY = formatIngestKey('other-shop', 'B'.repeat(32));

function registry() {
  const r = memoryRegistryReader();
  r.putSite({ siteId: 'shop', origins: ['https://shop.example'], tier: 'scale', keys: [SHOP_KEY] });
  r.putSite({ siteId: 'other-shop', origins: ['*'], keys: [OTHER_KEY] });
  return r;
}

describe('authorizeIngestKey', () => {
  it("allows an active key of an active site with the site's origins and the key's tier", async () => {
    const answer = await authorizeIngestKey(SHOP_KEY, registry());

    expect(answer).toEqual({
      kind: 'allow',
      siteId: 'shop',
      keyId: keyIdOfHash(hashIngestKey(SHOP_KEY)),
      tier: 'scale',
      origins: ['https://shop.example'],
    });
    expect(answer.kind === 'allow' && authorizerContext(answer).origins).toBe(
      'https://shop.example',
    );
  });

  it('reads only the partition the key names: a key claiming another site is unknown there', async () => {
    // The same secret under another site's name hashes differently and lives nowhere.
    const forged = formatIngestKey('other-shop', 'A'.repeat(32));
    const r = registry();

    expect(await authorizeIngestKey(forged, r)).toMatchObject({
      kind: 'deny',
      reason: 'unknown-key',
    });
  });

  it.each([
    ['no li_ prefix', 'shop_AAAA'],
    ['a short secret', 'li_shop_short'],
    ['nothing', ''],
  ])('refuses a malformed key (%s) without reading the registry', async (_name, key) => {
    const r = registry();

    expect(await authorizeIngestKey(key, r)).toEqual({ kind: 'deny', reason: 'malformed-key' });
    expect(r.reads()).toBe(0);
  });

  it('refuses a revoked key and a disabled site', async () => {
    const r = registry();
    r.putSite({ siteId: 'shop', revokedKeys: [SHOP_KEY] });
    r.putSite({ siteId: 'other-shop', status: 'disabled', keys: [OTHER_KEY] });

    expect(await authorizeIngestKey(SHOP_KEY, r)).toMatchObject({ reason: 'revoked-key' });
    expect(await authorizeIngestKey(OTHER_KEY, r)).toMatchObject({ reason: 'disabled-site' });
  });

  it('refuses a key whose site item is missing', async () => {
    const r = memoryRegistryReader();
    r.putSite({ siteId: 'shop', keys: [SHOP_KEY] });
    const keyOnly = memoryRegistryReader();
    const { key } = await r.readSiteKey('shop', hashIngestKey(SHOP_KEY));
    if (key !== undefined) keyOnly.putItem(key);

    expect(await authorizeIngestKey(SHOP_KEY, keyOnly)).toMatchObject({ reason: 'unknown-site' });
  });
});
