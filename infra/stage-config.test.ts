/**
 * Stage settings come from CDK context as JSON values (cdk.json) or strings (`-c key=value`);
 * each wrong value fails with the context key, the value and the form expected.
 */
import { STAGE_DEFAULTS, StageConfigError, readStageConfig } from './stage-config';

const contextOf =
  (values: Record<string, unknown>) =>
  (key: string): unknown =>
    values[key];

describe('readStageConfig', () => {
  it('gives the documented defaults for an empty context', () => {
    expect(readStageConfig(contextOf({}))).toEqual({
      stage: STAGE_DEFAULTS.stage,
      alarmEmail: undefined,
      monthlyBudgetUsd: STAGE_DEFAULTS.monthlyBudgetUsd,
      streamMode: STAGE_DEFAULTS.streamMode,
      shardCount: STAGE_DEFAULTS.shardCount,
      activeSessionShards: STAGE_DEFAULTS.activeSessionShards,
      siteShards: {},
      apiGatewayCloudWatchRole: true,
      runbookBaseUrl: '',
      consumerReader: 'enhanced-fan-out',
      apiCache: true,
    });
  });

  it('reads command-line strings the same as cdk.json values', () => {
    const fromCli = readStageConfig(
      contextOf({
        stage: 'liveinsight-prod',
        alarmEmail: 'oncall@example.com',
        monthlyBudgetUsd: '120.5',
        streamMode: 'provisioned',
        shardCount: '4',
        apiGatewayCloudWatchRole: 'false',
        consumerReader: 'shared-throughput',
        apiCache: 'false',
      }),
    );
    const fromJson = readStageConfig(
      contextOf({
        stage: 'liveinsight-prod',
        alarmEmail: 'oncall@example.com',
        monthlyBudgetUsd: 120.5,
        streamMode: 'provisioned',
        shardCount: 4,
        apiGatewayCloudWatchRole: false,
        consumerReader: 'shared-throughput',
        apiCache: false,
      }),
    );
    expect(fromCli).toEqual(fromJson);
    expect(fromCli.apiGatewayCloudWatchRole).toBe(false);
    expect(fromCli.apiCache).toBe(false);
  });

  it('refuses a sites context, pointing at the registry (origins are data now)', () => {
    const read = (): unknown =>
      readStageConfig(
        contextOf({ sites: '[{"siteId":"shop","allowedOrigins":["https://shop.example"]}]' }),
      );
    expect(read).toThrow(StageConfigError);
    expect(read).toThrow(
      /context sites is .* \(expected no sites context: .*npm run admin -- sites add/,
    );
  });

  it.each([
    ['stage', 'LiveInsight_Prod', /context stage is "LiveInsight_Prod" \(expected 1–40 lowercase/],
    ['alarmEmail', 'oncall', /context alarmEmail is "oncall" \(expected an e-mail address\)/],
    ['monthlyBudgetUsd', '-5', /context monthlyBudgetUsd is "-5" \(expected a positive number/],
    ['monthlyBudgetUsd', 'ten', /context monthlyBudgetUsd is "ten"/],
    [
      'streamMode',
      'ondemand',
      /context streamMode is "ondemand" \(expected on-demand or provisioned\)/,
    ],
    ['shardCount', '2.5', /context shardCount is "2.5" \(expected an integer from 1 to 500\)/],
    ['shardCount', 0, /context shardCount is 0/],
    [
      'apiGatewayCloudWatchRole',
      'no',
      /context apiGatewayCloudWatchRole is "no" \(expected true or false\)/,
    ],
    ['apiCache', 'off', /context apiCache is "off" \(expected true or false\)/],
    [
      'consumerReader',
      'polling',
      /context consumerReader is "polling" \(expected enhanced-fan-out or shared-throughput\)/,
    ],
    [
      'runbookBaseUrl',
      'http://wiki.example/ops',
      /context runbookBaseUrl is "http:\/\/wiki\.example\/ops" \(expected an https URL ending in "\/"/,
    ],
  ])('refuses %s = %j naming the key and the expected form', (key, value, message) => {
    const read = (): unknown => readStageConfig(contextOf({ [key]: value }));
    expect(read).toThrow(StageConfigError);
    expect(read).toThrow(message);
  });
});
