import { rollupKeyOf, rollupKeysOfSite } from './rollup-keys';

describe('rollup keys', () => {
  it('keeps the unsplit key, the site id, for a site with one key', () => {
    expect(rollupKeyOf('shop', 'shop#3', 1)).toBe('shop');
    expect(rollupKeysOfSite('shop', 1)).toEqual(['shop']);
  });

  it("splits by the item's ActiveSessions shard mod the site's keys, so each key has shards / R writers", () => {
    const keys = Array.from({ length: 8 }, (_, shard) => rollupKeyOf('big', `big#${shard}`, 4));

    expect(keys).toEqual([
      'big#r0',
      'big#r1',
      'big#r2',
      'big#r3',
      'big#r0',
      'big#r1',
      'big#r2',
      'big#r3',
    ]);
    expect(rollupKeysOfSite('big', 4)).toEqual(['big#r0', 'big#r1', 'big#r2', 'big#r3']);
  });

  it('puts an item whose key is not `${siteId}#${shard}` on key 0, one fixed key per item', () => {
    expect(rollupKeyOf('big', 'other#1', 4)).toBe('big#r0');
    expect(rollupKeyOf('big', 'big#x', 4)).toBe('big#r0');
    expect(rollupKeyOf('big', undefined, 4)).toBe('big#r0');
  });
});
