/**
 * The TTL cache stays within its entry and byte bounds while every entry is still fresh (keys
 * chosen by clients, e.g. distinct wrong tokens within the authorizer's 60 s), evicting the least
 * recently used entry first so that a key in use survives a flood of one-off keys.
 */
import fc from 'fast-check';
import { createTtlCache } from './ttl-cache';

const TTL_MS = 60_000;

describe('createTtlCache bounds', () => {
  it('holds at most maxEntries and maxBytes after any sequence of fresh keys', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.string({ unit: 'binary', maxLength: 300 }), fc.nat(400)), {
          maxLength: 400,
        }),
        async (calls) => {
          const cache = createTtlCache<string>({
            ttlMs: TTL_MS,
            clock: () => 0,
            maxEntries: 50,
            maxBytes: 4_000,
            weigh: (value) => value.length,
          });
          for (const [key, valueLength] of calls) {
            await cache.get(key, () => Promise.resolve('v'.repeat(valueLength)));
            expect(cache.size).toBeLessThanOrEqual(50);
            expect(cache.bytes).toBeLessThanOrEqual(4_000);
          }
        },
      ),
    );
  });

  it('evicts the least recently used entry first, so a key in use survives a flood', async () => {
    const cache = createTtlCache<number>({ ttlMs: TTL_MS, clock: () => 0, maxEntries: 100 });
    let computedHot = 0;
    const hot = () => Promise.resolve(++computedHot);

    await cache.get('hot', hot);
    for (let i = 0; i < 10_000; i += 1) {
      await cache.get(`one-off-${i}`, () => Promise.resolve(i));
      // Used every 50 one-off keys: never the least recently used of 100.
      if (i % 50 === 0) await cache.get('hot', hot);
    }

    expect(computedHot).toBe(1);
    expect(cache.size).toBe(100);
    let recomputed = false;
    await cache.get('one-off-0', () => {
      recomputed = true;
      return Promise.resolve(-1);
    });
    expect(recomputed).toBe(true);
  });

  it('computes but does not keep a key or an entry heavier than maxBytes', async () => {
    const cache = createTtlCache<string>({
      ttlMs: TTL_MS,
      clock: () => 0,
      maxBytes: 100,
      weigh: (value) => value.length,
    });

    expect(await cache.get('k'.repeat(101), () => Promise.resolve('small'))).toBe('small');
    expect(await cache.get('k', () => Promise.resolve('v'.repeat(100)))).toBe('v'.repeat(100));

    expect(cache.size).toBe(0);
    expect(cache.bytes).toBe(0);
  });

  it('counts keys in UTF-8 bytes, not characters', async () => {
    const cache = createTtlCache<string>({ ttlMs: TTL_MS, clock: () => 0 });

    await cache.get('€€', () => Promise.resolve('v'));

    expect(cache.bytes).toBe(6);
  });
});
