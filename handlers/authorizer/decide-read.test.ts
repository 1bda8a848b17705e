import { decideRead, type ReadTokenStore } from './decide-read';
import { createReadAuthorizer } from './read-authorizer';
import { generateReadToken, hashReadToken } from './read-token';

/** Two sites, each with its own token, as a site registry would hold them. */
function twoSites() {
  const tokenA = generateReadToken();
  const tokenB = generateReadToken();
  const hashes = new Map([
    ['site-a', [hashReadToken(tokenA)]],
    ['site-b', [hashReadToken(tokenB)]],
  ]);
  const lookups: string[] = [];
  const store: ReadTokenStore = {
    readTokenHashes: (siteId) => {
      lookups.push(siteId);
      return Promise.resolve(hashes.get(siteId) ?? []);
    },
  };
  return { tokenA, tokenB, store, lookups };
}

describe('decideRead', () => {
  it('allows a site its own token', async () => {
    const { tokenA, store } = twoSites();

    const decision = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: 'site-a' },
      store,
    );

    expect(decision).toEqual({ kind: 'allow', siteId: 'site-a' });
  });

  it('forbids a token of site A from reading site B, and an unknown site alike', async () => {
    const { tokenA, store } = twoSites();

    const other = await decideRead({ authorization: `Bearer ${tokenA}`, siteId: 'site-b' }, store);
    const unknown = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: 'site-zz' },
      store,
    );

    expect(other.kind).toBe('forbidden');
    expect(unknown.kind).toBe('forbidden');
    // The same words for both: an answer must not reveal whether a site exists.
    expect(unknown.kind === 'forbidden' && unknown.reason).toMatch(/does not grant access/);
  });

  it('answers unauthorized without a lookup when credentials are missing or malformed', async () => {
    const { tokenA, store, lookups } = twoSites();

    const none = await decideRead({ authorization: undefined, siteId: 'site-a' }, store);
    const ingestKey = await decideRead(
      { authorization: 'Bearer ik_public_key', siteId: 'site-a' },
      store,
    );
    const noSite = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: undefined },
      store,
    );

    expect([none.kind, ingestKey.kind, noSite.kind]).toEqual([
      'unauthorized',
      'unauthorized',
      'unauthorized',
    ]);
    expect(lookups).toEqual([]);
  });
});

describe('createReadAuthorizer', () => {
  it('caches decisions per site and token, as API Gateway caches an authorizer result', async () => {
    const { tokenA, store, lookups } = twoSites();
    let now = 0;
    const authorize = createReadAuthorizer({ store, ttlMs: 1_000, clock: () => now });

    await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-a' });
    await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-a' });
    const otherSite = await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-b' });
    now = 1_001;
    await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-a' });

    expect(otherSite.kind).toBe('forbidden');
    expect(lookups).toEqual(['site-a', 'site-b', 'site-a']);
  });
});
