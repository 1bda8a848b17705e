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
      sites: [],
      streamMode: STAGE_DEFAULTS.streamMode,
      shardCount: STAGE_DEFAULTS.shardCount,
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
        sites: 'shop=https://shop.example|https://www.shop.example:8443;blog=any',
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
        sites: [
          {
            siteId: 'shop',
            allowedOrigins: ['https://shop.example', 'https://www.shop.example:8443'],
          },
          { siteId: 'blog', allowedOrigins: ['any'] },
        ],
      }),
    );
    expect(fromCli).toEqual(fromJson);
    expect(fromCli.sites).toHaveLength(2);
    expect(fromCli.apiGatewayCloudWatchRole).toBe(false);
    expect(fromCli.apiCache).toBe(false);
  });

  it('reads sites given as a JSON string', () => {
    const config = readStageConfig(
      contextOf({ sites: '[{"siteId":"shop","allowedOrigins":["https://shop.example"]}]' }),
    );
    expect(config.sites).toEqual([{ siteId: 'shop', allowedOrigins: ['https://shop.example'] }]);
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
    ['sites', '{"siteId":"shop"}', /context sites is .* \(expected a JSON array/],
    ['sites', '[not json', /context sites is "\[not json" \(expected a JSON array/],
    ['sites', 'shop', /context sites is "shop" \(expected a JSON array/],
    [
      'sites',
      'shop=https://shop.example/',
      /context sites\[shop\]\.allowedOrigins is "https:\/\/shop\.example\/" \(expected an origin/,
    ],
    ['sites', 'sh op=any', /context sites\[\]\.siteId is "sh op"/],
    ['sites', 'shop=any;shop=any', /context sites is .* \(expected each siteId once\)/],
    [
      'sites',
      [{ siteId: 'shop', allowedOrigins: [] }],
      /context sites\[shop\]\.allowedOrigins is \[\]/,
    ],
  ])('refuses %s = %j naming the key and the expected form', (key, value, message) => {
    const read = (): unknown => readStageConfig(contextOf({ [key]: value }));
    expect(read).toThrow(StageConfigError);
    expect(read).toThrow(message);
  });
});
