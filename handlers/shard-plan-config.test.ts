/**
 * The shard plan every writer and reader of ActiveSessions and the rollup gets from its
 * environment: the default count and the sites with their own (LIVEINSIGHT_SITE_SHARDS, JSON).
 */
import { activeSessionShardsOf, rollupKeysOf } from '../schemas/shard-plan';
import { readQueryConfig, readRollupConfig } from './config';
import { ENV } from './env-names';

const base = {
  [ENV.activeSessionsTable]: 'active',
  [ENV.realtimeRollupsTable]: 'rollups',
};

describe('shard plan from the environment', () => {
  it('gives every site the default count when no site has its own', () => {
    const { shardPlan, activeSessionShards } = readQueryConfig(base);
    expect(activeSessionShards).toBe(4);
    expect(activeSessionShardsOf(shardPlan, 'any-site')).toBe(4);
  });

  it('gives the listed sites their own ActiveSessions shards and rollup keys', () => {
    const env = {
      ...base,
      [ENV.activeSessionShards]: '2',
      [ENV.siteShards]: '{"bigshop":{"activeSessionShards":64,"rollupKeys":32}}',
    };
    const query = readQueryConfig(env).shardPlan;
    expect(activeSessionShardsOf(query, 'bigshop')).toBe(64);
    expect(activeSessionShardsOf(query, 'blog')).toBe(2);
    expect(rollupKeysOf(readRollupConfig(env).shardPlan, 'bigshop')).toBe(32);
  });

  it('refuses a plan that is not JSON or breaks a rule, naming the variable and the rule', () => {
    expect(() => readQueryConfig({ ...base, [ENV.siteShards]: 'bigshop=64' })).toThrow(
      'LIVEINSIGHT_SITE_SHARDS is "bigshop=64" (expected JSON)',
    );
    expect(() =>
      readQueryConfig({ ...base, [ENV.siteShards]: '{"bigshop":{"activeSessionShards":128}}' }),
    ).toThrow('siteShards[bigshop].activeSessionShards is 128 (expected an integer from 1 to 64)');
  });
});
