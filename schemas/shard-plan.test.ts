/** The per-site shard plan: lookups, validation with the value received, and the shorthand. */
import {
  DEFAULT_ACTIVE_SESSION_SHARDS,
  activeSessionShardsOf,
  parseShardPlan,
  parseSiteShardsShorthand,
  rollupKeysOf,
  uniformPlan,
} from './shard-plan';

describe('shard plan', () => {
  const plan = parseShardPlan(4, { bigshop: { activeSessionShards: 64, rollupKeys: 32 } });

  it('gives a listed site its own counts and every other site the default', () => {
    expect(activeSessionShardsOf(plan, 'bigshop')).toBe(64);
    expect(rollupKeysOf(plan, 'bigshop')).toBe(32);
    expect(activeSessionShardsOf(plan, 'blog')).toBe(4);
    expect(rollupKeysOf(plan, 'blog')).toBe(1);
    // A site id that is also an Object.prototype name is not a listed site.
    expect(activeSessionShardsOf(plan, 'constructor')).toBe(4);
    expect(activeSessionShardsOf(8, 'bigshop')).toBe(8);
    expect(uniformPlan(DEFAULT_ACTIVE_SESSION_SHARDS)).toEqual({ defaultShards: 4, sites: {} });
  });

  it('refuses counts out of range and rollup keys that do not divide the shards, naming them', () => {
    expect(() => parseShardPlan(65, {})).toThrow(
      'activeSessionShards is 65 (expected an integer from 1 to 64)',
    );
    expect(() => parseShardPlan(4, { shop: { activeSessionShards: 0 } })).toThrow(
      'siteShards[shop].activeSessionShards is 0 (expected an integer from 1 to 64)',
    );
    expect(() => parseShardPlan(4, { shop: { activeSessionShards: 64, rollupKeys: 24 } })).toThrow(
      'siteShards[shop].rollupKeys is 24 (expected a divisor of its activeSessionShards 64)',
    );
    expect(() => parseShardPlan(4, [])).toThrow('siteShards is []');
    expect(() => parseShardPlan(4, { 'a b': { activeSessionShards: 8 } })).toThrow(
      'siteShards site id is "a b"',
    );
  });

  it('reads the shorthand a shell keeps intact', () => {
    expect(parseSiteShardsShorthand('bigshop=64/32; blog = 8 ;')).toEqual({
      bigshop: { activeSessionShards: 64, rollupKeys: 32 },
      blog: { activeSessionShards: 8, rollupKeys: 1 },
    });
    expect(parseSiteShardsShorthand('')).toEqual({});
    expect(() => parseSiteShardsShorthand('bigshop:64')).toThrow(
      'siteShards is "bigshop:64" (expected "<siteId>=<shards>[/<rollup keys>]"',
    );
  });
});
