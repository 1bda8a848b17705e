/**
 * The protection switches read from CDK context: defaults, a production stage's termination
 * protection, and errors naming the key, the value received and the form expected. Beside them,
 * the reserved concurrency the stream settings size.
 */
import {
  PROTECTION_DEFAULTS,
  isProductionStage,
  readProtectionSettings,
} from './protection-config';
import { samplingRuleName } from './constructs/stage-protection';
import { ON_DEMAND_KINESIS_SHARD_ESTIMATE, reservedConcurrency } from './resources';

const read = (context: Record<string, unknown>, stage = 'liveinsight-dev') =>
  readProtectionSettings((key) => context[key], stage);

describe('readProtectionSettings', () => {
  it('turns every protection on by default, termination protection only for production', () => {
    expect(read({})).toEqual({ ...PROTECTION_DEFAULTS, terminationProtection: false });
    expect(read({}, 'liveinsight-prod').terminationProtection).toBe(true);
    expect(PROTECTION_DEFAULTS).toMatchObject({
      waf: true,
      backup: true,
      backupRetentionDays: 35,
      failuresRetentionDays: 30,
      reservedConcurrency: true,
    });
  });

  it('takes the switches as the command line passes them (strings) and as cdk.json does', () => {
    expect(
      read({
        waf: 'false',
        backup: false,
        backupRetentionDays: '90',
        failuresRetentionDays: 7,
        reservedConcurrency: 'false',
        terminationProtection: 'true',
        wafRateLimit: '2000',
      }),
    ).toEqual({
      waf: false,
      wafRateLimit: 2000,
      backup: false,
      backupRetentionDays: 90,
      failuresRetentionDays: 7,
      reservedConcurrency: false,
      terminationProtection: true,
    });
  });

  it('names the key, the value and the form expected', () => {
    expect(() => read({ waf: 'yes' })).toThrow('context waf is "yes" (expected true or false)');
    expect(() => read({ backupRetentionDays: '0' })).toThrow(
      'context backupRetentionDays is "0" (expected an integer from 1 to 36500)',
    );
    expect(() => read({ wafRateLimit: 50 })).toThrow(
      'context wafRateLimit is 50 (expected an integer from 100 to 2000000000)',
    );
  });

  it('knows a production stage by its name', () => {
    expect(['prod', 'liveinsight-prod'].map(isProductionStage)).toEqual([true, true]);
    expect(['liveinsight-dev', 'production', 'prod-copy'].map(isProductionStage)).toEqual([
      false,
      false,
      false,
    ]);
  });
});

describe('reservedConcurrency', () => {
  it('reserves shards × ParallelizationFactor per stream mapping and caps the query path', () => {
    expect(reservedConcurrency({ mode: 'provisioned', shardCount: 3 }, 2)).toEqual({
      consumer: 3 * 2,
      processor: 2 + 2,
      rollup: 2,
      query: 10,
      authorizer: 5,
      ingestAuthorizer: 10,
    });
  });

  it('sizes an on-demand stream by its starting shards', () => {
    expect(reservedConcurrency({ mode: 'on-demand', shardCount: 1 }).consumer).toBe(
      ON_DEMAND_KINESIS_SHARD_ESTIMATE * 2,
    );
  });
});

describe('samplingRuleName', () => {
  it('names the X-Ray rule after the stage, within 32 characters and distinct per stage', () => {
    const long = 'a'.repeat(30) + '-stage-one';
    const other = 'a'.repeat(30) + '-stage-two';

    expect(samplingRuleName('liveinsight-prod')).toBe('liveinsight-prod');
    expect(samplingRuleName(long)).toHaveLength(32);
    expect(samplingRuleName(long)).not.toBe(samplingRuleName(other));
  });
});
