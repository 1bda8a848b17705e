import { LocalConfigError } from './errors';
import { readLocalConfig, readTestStackDescriptor } from './local-config';

describe('readLocalConfig', () => {
  it('defaults to the emulators, kinesalite, port 4566, sweeps every 10 s', () => {
    expect(readLocalConfig({})).toEqual({
      mode: 'emulators',
      kinesisEngine: 'kinesalite',
      awsPort: 4566,
      dataDir: undefined,
      javaCommand: undefined,
      ttl: { intervalMs: 10_000, lagSeconds: 0 },
      stage: 'liveinsight-dev',
      kinesisShards: 2,
      edgePort: 3000,
      demoTraffic: true,
      stateDir: '.liveinsight',
      drainSeconds: 15,
    });
  });

  it('reads every variable', () => {
    expect(
      readLocalConfig({
        LIVEINSIGHT_LOCAL: 'localstack',
        LIVEINSIGHT_KINESIS: 'kinesis-mock',
        LIVEINSIGHT_AWS_PORT: '4600',
        LIVEINSIGHT_DATA_DIR: '.liveinsight/data',
        LIVEINSIGHT_JAVA: '/opt/jdk/bin/java',
        LIVEINSIGHT_TTL_SWEEP_MS: 'manual',
        LIVEINSIGHT_TTL_LAG_SECONDS: '3600',
        LIVEINSIGHT_STAGE: 'demo',
        LIVEINSIGHT_KINESIS_SHARDS: '4',
        LIVEINSIGHT_EDGE_PORT: '3100',
        LIVEINSIGHT_DEMO: 'off',
        LIVEINSIGHT_STATE_DIR: '/tmp/li',
        LIVEINSIGHT_DRAIN_SECONDS: '0',
      }),
    ).toEqual({
      mode: 'localstack',
      kinesisEngine: 'kinesis-mock',
      awsPort: 4600,
      dataDir: '.liveinsight/data',
      javaCommand: '/opt/jdk/bin/java',
      ttl: { intervalMs: 'manual', lagSeconds: 3600 },
      stage: 'demo',
      kinesisShards: 4,
      edgePort: 3100,
      demoTraffic: false,
      stateDir: '/tmp/li',
      drainSeconds: 0,
    });
  });

  it('names every bad variable with the value received and what was expected', () => {
    expect(() =>
      readLocalConfig({
        LIVEINSIGHT_KINESIS: 'kinesis',
        LIVEINSIGHT_AWS_PORT: '70000',
        LIVEINSIGHT_DEMO: 'maybe',
      }),
    ).toThrow(
      new LocalConfigError(
        'Invalid local stack configuration: LIVEINSIGHT_KINESIS is "kinesis" (expected one of ' +
          'kinesalite, kinesis-mock); LIVEINSIGHT_AWS_PORT is "70000" (expected an integer from 0 to 65535); ' +
          'LIVEINSIGHT_DEMO is "maybe" (expected one of on, off)',
      ),
    );
  });
});

describe('readTestStackDescriptor', () => {
  it('is undefined outside a jest integration run', () => {
    expect(readTestStackDescriptor({})).toBeUndefined();
  });

  it('parses what globalSetup wrote', () => {
    const descriptor = {
      mode: 'emulators',
      region: 'us-east-1',
      endpoints: { kinesalite: 'http://localhost:1', 'kinesis-mock': 'http://localhost:2' },
      defaultEngine: 'kinesalite',
    };
    expect(readTestStackDescriptor({ LIVEINSIGHT_TEST_STACK: JSON.stringify(descriptor) })).toEqual(
      descriptor,
    );
  });

  it('rejects a malformed descriptor naming the problem', () => {
    expect(() =>
      readTestStackDescriptor({
        LIVEINSIGHT_TEST_STACK: JSON.stringify({
          mode: 'emulators',
          region: 'us-east-1',
          endpoints: { kinesis: 'http://x' },
          defaultEngine: 'kinesalite',
        }),
      }),
    ).toThrow('LIVEINSIGHT_TEST_STACK is malformed: endpoint kinesis');
  });
});
