import { decideRead, type ReadTokenStore } from './decide-read';
import { createReadAuthorizer } from './read-authorizer';
import { generateReadToken, hashReadToken } from './read-token';

const NOW = 1_800_000_000_000;
const NOW_S = NOW / 1000;

/** Two sites, each with its own token, keyed as the ReadTokens table keys them. */
function twoSites() {
  const tokenA = generateReadToken();
  const tokenB = generateReadToken();
  const expired = generateReadToken();
  const rows = new Map([
    [`site-a/${hashReadToken(tokenA)}`, { expiresAt: NOW_S + 60 }],
    [`site-b/${hashReadToken(tokenB)}`, { expiresAt: NOW_S + 60 }],
    [`site-a/${hashReadToken(expired)}`, { expiresAt: NOW_S }],
  ]);
  const lookups: string[] = [];
  const store: ReadTokenStore = {
    findReadToken: (siteId, tokenHash) => {
      lookups.push(siteId);
      return Promise.resolve(rows.get(`${siteId}/${tokenHash}`));
    },
  };
  return { tokenA, tokenB, expired, store, lookups };
}

describe('decideRead', () => {
  it('allows a site its own token', async () => {
    const { tokenA, store } = twoSites();

    const decision = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: 'site-a' },
      store,
      NOW,
    );

    expect(decision).toEqual({ kind: 'allow', siteId: 'site-a' });
  });

  it('forbids a token of site A from reading site B, and an unknown site alike', async () => {
    const { tokenA, store } = twoSites();

    const other = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: 'site-b' },
      store,
      NOW,
    );
    const unknown = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: 'site-zz' },
      store,
      NOW,
    );

    expect(other.kind).toBe('forbidden');
    // The same words for both: an answer must not reveal whether a site exists.
    expect(unknown.kind === 'forbidden' && unknown.reason).toMatch(/does not grant access/);
  });

  it('forbids an expired token that the table still returns', async () => {
    const { expired, store } = twoSites();

    const decision = await decideRead(
      { authorization: `Bearer ${expired}`, siteId: 'site-a' },
      store,
      NOW,
    );

    expect(decision.kind).toBe('forbidden');
  });

  it('answers unauthorized without a lookup when credentials are missing or malformed', async () => {
    const { tokenA, store, lookups } = twoSites();

    const none = await decideRead({ authorization: undefined, siteId: 'site-a' }, store, NOW);
    const ingestKey = await decideRead(
      { authorization: 'Bearer li_site-a_0123456789abcdef0123456789abcdef', siteId: 'site-a' },
      store,
      NOW,
    );
    const noSite = await decideRead(
      { authorization: `Bearer ${tokenA}`, siteId: undefined },
      store,
      NOW,
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
    let now = NOW;
    const authorize = createReadAuthorizer({ store, ttlMs: 1_000, clock: () => now });

    await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-a' });
    await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-a' });
    const otherSite = await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-b' });
    now += 1_001;
    await authorize({ authorization: `Bearer ${tokenA}`, siteId: 'site-a' });

    expect(otherSite.kind).toBe('forbidden');
    expect(lookups).toEqual(['site-a', 'site-b', 'site-a']);
  });
});
