/**
 * The stage's shard settings (README "Scale"): every site's default ActiveSessions shards and the
 * sites with their own shards and rollup keys, from cdk.json values or `-c` strings, validated at
 * synth with the context key, the value and the form expected.
 */
import { StageConfigError, readStageConfig } from './stage-config';

const read = (values: Record<string, unknown>) => readStageConfig((key) => values[key]);

describe('stage shard settings', () => {
  it('defaults to 4 shards for every site and no site of its own', () => {
    expect(read({})).toMatchObject({ activeSessionShards: 4, siteShards: {} });
  });

  it('reads the hot-site setting from the shorthand a shell keeps, or from JSON', () => {
    const hot = { bigshop: { activeSessionShards: 64, rollupKeys: 32 } };
    expect(read({ activeSessionShards: '8', siteShards: 'bigshop=64/32' })).toMatchObject({
      activeSessionShards: 8,
      siteShards: hot,
    });
    expect(read({ siteShards: JSON.stringify(hot) }).siteShards).toEqual(hot);
    expect(read({ siteShards: hot }).siteShards).toEqual(hot);
    expect(read({ siteShards: 'blog=16' }).siteShards).toEqual({
      blog: { activeSessionShards: 16, rollupKeys: 1 },
    });
  });

  it.each([
    [
      { activeSessionShards: '65' },
      'context activeSessionShards is "65" (expected an integer from 1 to 64)',
    ],
    [
      { activeSessionShards: 0 },
      'context activeSessionShards is 0 (expected an integer from 1 to 64)',
    ],
    [
      { siteShards: 'bigshop=128' },
      'context siteShards: siteShards[bigshop].activeSessionShards is 128 (expected an integer from 1 to 64)',
    ],
    [
      { siteShards: 'bigshop=64/24' },
      'context siteShards: siteShards[bigshop].rollupKeys is 24 (expected a divisor of its activeSessionShards 64)',
    ],
    [{ siteShards: 'bigshop:64' }, 'context siteShards: siteShards is "bigshop:64"'],
    [{ siteShards: '{"bigshop":' }, 'context siteShards is "{\\"bigshop\\":"'],
  ])('refuses %j', (values, message) => {
    expect(() => read(values)).toThrow(StageConfigError);
    expect(() => read(values)).toThrow(message);
  });
});
