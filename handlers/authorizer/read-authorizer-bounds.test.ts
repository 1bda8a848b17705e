/**
 * The local authorizer's decision cache under a flood of distinct wrong tokens (free for any
 * client to make, each a fresh 403 for the whole TTL): it never holds more than its bounds, long
 * or odd Authorization headers do not make entries large, and a token in use keeps its cached
 * decision (no new lookup) while the flood goes on.
 */
import { randomBytes } from 'node:crypto';
import type { ReadTokenStore } from './decide-read';
import { READ_AUTHORIZER_CACHE_BOUNDS, createReadAuthorizer } from './read-authorizer';
import { generateReadToken, hashReadToken } from './read-token';

const NOW = 1_800_000_000_000;
const TTL_MS = 60_000;

function storeWith(siteId: string, token: string) {
  const lookups: string[] = [];
  const store: ReadTokenStore = {
    findReadToken: (site, tokenHash) => {
      lookups.push(tokenHash);
      return Promise.resolve(
        site === siteId && tokenHash === hashReadToken(token)
          ? { expiresAt: NOW / 1000 + 3_600 }
          : undefined,
      );
    },
  };
  return { store, lookups };
}

/** A well-formed read token that no site holds: each one costs the store a lookup. */
function wrongToken(): string {
  return `lirt_${randomBytes(32).toString('base64url')}`;
}

describe('the local read authorizer’s decision cache', () => {
  it('stays within its bounds under distinct wrong tokens, and keeps the token in use', async () => {
    const good = generateReadToken();
    const { store, lookups } = storeWith('site-a', good);
    const bounds = { maxEntries: 500, maxBytes: 64 * 1024 };
    const authorize = createReadAuthorizer({ store, ttlMs: TTL_MS, clock: () => NOW, bounds });
    const goodRequest = { authorization: `Bearer ${good}`, siteId: 'site-a' };

    expect(await authorize(goodRequest)).toEqual({ kind: 'allow', siteId: 'site-a' });
    const first = wrongToken();
    await authorize({ authorization: `Bearer ${first}`, siteId: 'site-a' });
    let peakEntries = 0;
    let peakBytes = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const decision = await authorize({
        authorization: `Bearer ${wrongToken()}`,
        siteId: 'site-a',
      });
      expect(decision.kind).toBe('forbidden');
      // A dashboard refreshing meanwhile: its decision is read far more often than evicted.
      if (i % 100 === 0) expect((await authorize(goodRequest)).kind).toBe('allow');
      peakEntries = Math.max(peakEntries, authorize.cached().entries);
      peakBytes = Math.max(peakBytes, authorize.cached().bytes);
    }

    expect(peakEntries).toBeLessThanOrEqual(bounds.maxEntries);
    expect(peakBytes).toBeLessThanOrEqual(bounds.maxBytes);
    // The good token was looked up once: its Allow stayed cached through the flood.
    expect(lookups.filter((hash) => hash === hashReadToken(good))).toHaveLength(1);
    // The first wrong token's 403 was evicted (still within its TTL): asking again looks it up.
    const before = lookups.length;
    await authorize({ authorization: `Bearer ${first}`, siteId: 'site-a' });
    expect(lookups.length).toBe(before + 1);
  });

  it('caches nothing for headers that are not read tokens, however long or many', async () => {
    const { store, lookups } = storeWith('site-a', generateReadToken());
    const authorize = createReadAuthorizer({ store, ttlMs: TTL_MS, clock: () => NOW });

    for (let i = 0; i < 2_000; i += 1) {
      const decision = await authorize({
        authorization: `Bearer ${'x'.repeat(8_000)}${i}`,
        siteId: 'site-a',
      });
      expect(decision.kind).toBe('unauthorized');
    }
    await authorize({
      authorization: `Bearer ${wrongToken()}`,
      siteId: `bad site ${'y'.repeat(9_000)}`,
    });

    expect(authorize.cached()).toEqual({ entries: 0, bytes: 0 });
    expect(lookups).toEqual([]);
  });

  it('keys a decision by site and token, so header spacing cannot multiply entries', async () => {
    const good = generateReadToken();
    const { store, lookups } = storeWith('site-a', good);
    const authorize = createReadAuthorizer({ store, ttlMs: TTL_MS, clock: () => NOW });

    for (let spaces = 1; spaces <= 100; spaces += 1) {
      await authorize({ authorization: `Bearer${' '.repeat(spaces)}${good}`, siteId: 'site-a' });
    }

    expect(lookups).toHaveLength(1);
    expect(authorize.cached().entries).toBe(1);
  });

  it('applies its default bounds when none are given', async () => {
    const { store } = storeWith('site-a', generateReadToken());
    const authorize = createReadAuthorizer({ store, ttlMs: TTL_MS, clock: () => NOW });

    for (let i = 0; i < READ_AUTHORIZER_CACHE_BOUNDS.maxEntries + 2_000; i += 1) {
      await authorize({ authorization: `Bearer ${wrongToken()}`, siteId: 'site-a' });
    }

    expect(authorize.cached().entries).toBe(READ_AUTHORIZER_CACHE_BOUNDS.maxEntries);
    expect(authorize.cached().bytes).toBeLessThanOrEqual(READ_AUTHORIZER_CACHE_BOUNDS.maxBytes);
  });
});
