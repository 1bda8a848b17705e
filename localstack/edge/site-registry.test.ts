import { formatIngestKey } from '../../infra/api/ingest-api-spec';
import {
  DEMO_SITE,
  SiteRegistry,
  hashKey,
  memoryRegistryStore,
  newKeySecret,
  type RegistryData,
} from './site-registry';

function registry(initial?: RegistryData) {
  const store = memoryRegistryStore(initial);
  return { store, registry: new SiteRegistry(store, () => Date.UTC(2026, 0, 1)) };
}

describe('SiteRegistry', () => {
  it('issues a key once and stores only its hash', () => {
    const { store, registry: sites } = registry();
    sites.addSite({ siteId: 'shop-a', origins: ['https://a.example'] });

    const issued = sites.addKey('shop-a');

    expect(issued.ingestKey).toMatch(/^li_shop-a_[A-Za-z0-9]{32}$/);
    const saved = JSON.stringify(store.load());
    expect(saved).not.toContain(issued.ingestKey);
    expect(saved).toContain(hashKey(issued.ingestKey));
    expect(sites.findKey(issued.ingestKey)?.site.siteId).toBe('shop-a');
  });

  it('forgets a revoked key', () => {
    const { registry: sites } = registry();
    sites.addSite({ siteId: 'shop-a' });
    const issued = sites.addKey('shop-a');

    sites.revokeKey('shop-a', issued.keyId);

    expect(sites.findKey(issued.ingestKey)).toBeUndefined();
  });

  it('does not find a key of the right shape that was never issued', () => {
    const { registry: sites } = registry();
    sites.addSite({ siteId: 'shop-a' });

    expect(sites.findKey(formatIngestKey('shop-a', newKeySecret()))).toBeUndefined();
  });

  it('seeds the demo site once and finds its fixed key on every start', () => {
    const { store, registry: first } = registry();
    const seeded = first.ensureSite(
      { siteId: DEMO_SITE.siteId, origins: ['http://localhost:3000'] },
      DEMO_SITE.secret,
    );

    const again = new SiteRegistry(store).ensureSite(
      { siteId: DEMO_SITE.siteId },
      DEMO_SITE.secret,
    );

    expect(again).toEqual(seeded);
    expect(new SiteRegistry(store).site(DEMO_SITE.siteId)?.keys).toHaveLength(1);
  });

  it('adds the origins a later start asks for to what an earlier one stored', () => {
    const { store, registry: first } = registry();
    first.ensureSite(
      { siteId: 'demo-blog', origins: ['http://127.0.0.1:3111'] },
      'LocalDemoBlogKeyNotASecret000000',
    );

    new SiteRegistry(store).ensureSite(
      { siteId: 'demo-blog', origins: ['http://127.0.0.1:3310'] },
      'LocalDemoBlogKeyNotASecret000000',
    );

    expect(new SiteRegistry(store).site('demo-blog')?.origins).toEqual([
      'http://127.0.0.1:3111',
      'http://127.0.0.1:3310',
    ]);
  });

  it('renders the stage variables API Gateway holds', () => {
    const { registry: sites } = registry();
    sites.addSite({ siteId: 'shop-a', origins: ['https://a.example', 'http://localhost:3000'] });
    sites.addSite({ siteId: 'shop-b' });

    expect(sites.stageVariables('events')).toEqual({
      eventsStream: 'events',
      origins_shop_a: 'https://a.example,http://localhost:3000',
    });
  });

  it.each([
    [{ siteId: 'Bad Site' }, /Site id "Bad Site" is invalid/],
    [{ siteId: 'shop-a', origins: ['https://a.example/path'] }, /scheme:\/\/host\[:port\]/],
  ])('refuses an invalid site %j', (spec, message) => {
    const { registry: sites } = registry();

    expect(() => sites.addSite(spec)).toThrow(message);
  });

  it('names the sites it has when asked for one it has not', () => {
    const { registry: sites } = registry();
    sites.addSite({ siteId: 'shop-a' });

    expect(() => sites.addKey('shop-z')).toThrow(/No site shop-z .*sites: shop-a/);
  });

  it('makes uniform base62 secrets', () => {
    const secrets = Array.from({ length: 200 }, newKeySecret);

    expect(secrets.every((s) => /^[A-Za-z0-9]{32}$/.test(s))).toBe(true);
    expect(new Set(secrets).size).toBe(200);
  });
});
