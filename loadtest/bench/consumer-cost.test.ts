import {
  PRICES,
  apiGatewayUsdPerMillionEvents,
  enhancedFanOutUsdPerMillionEvents,
  enhancedFanOutUsdPerShardMonth,
  estimateDurationMs,
  rollupUsdPerMillionEvents,
  usdPerMillionEvents,
} from './consumer-cost';

describe('usdPerMillionEvents', () => {
  test('one write unit per event is $0.625 per million in DynamoDB', () => {
    const cost = usdPerMillionEvents({
      events: 1_000,
      writeUnits: 1_000,
      invocations: 0,
      durationMs: 0,
      memoryMb: 512,
      eventBytes: 0,
    });
    expect(cost.dynamoDb).toBeCloseTo(0.625, 6);
    expect(cost.total).toBeCloseTo(0.625, 6);
  });

  test('Lambda: GB-seconds at the memory size plus requests, scaled to a million events', () => {
    // 1,000 events in 1 invocation of 1 s at 1,024 MB: 1,000 invocations and GB-s per million.
    const cost = usdPerMillionEvents({
      events: 1_000,
      writeUnits: 0,
      invocations: 1,
      durationMs: 1_000,
      memoryMb: 1_024,
      eventBytes: 0,
    });
    expect(cost.lambda).toBeCloseTo(
      1_000 * PRICES.lambdaGbSecondUsd + (1_000 * PRICES.lambdaRequestUsdPerMillion) / 1e6,
      9,
    );
  });

  test('Kinesis on-demand: a million 1 KB events are 0.954 GB in', () => {
    const cost = usdPerMillionEvents({
      events: 1,
      writeUnits: 0,
      invocations: 0,
      durationMs: 0,
      memoryMb: 512,
      eventBytes: 1_024,
    });
    expect(cost.kinesis).toBeCloseTo((1_024_000_000 / 1024 ** 3) * 0.08, 6);
  });

  test('refuses an empty count', () => {
    expect(() =>
      usdPerMillionEvents({
        events: 0,
        writeUnits: 0,
        invocations: 0,
        durationMs: 0,
        memoryMb: 512,
        eventBytes: 0,
      }),
    ).toThrow('events is 0');
  });
});

test('API Gateway per event falls with the events per request', () => {
  expect(apiGatewayUsdPerMillionEvents(1)).toBe(3.5);
  expect(apiGatewayUsdPerMillionEvents(10)).toBeCloseTo(0.35, 9);
  expect(() => apiGatewayUsdPerMillionEvents(0)).toThrow('eventsPerRequest is 0');
});

test('estimateDurationMs: CPU plus rounds of concurrent requests per phase', () => {
  expect(
    estimateDurationMs({
      cpuMs: 20,
      concurrency: 16,
      phases: [
        { requests: 40, latencyMs: 15 },
        { requests: 250, latencyMs: 8 },
      ],
    }),
  ).toBe(20 + 3 * 15 + 16 * 8);
});

describe('rollupUsdPerMillionEvents', () => {
  test('write units and Lambda per million consumer events, no Kinesis part', () => {
    // 10,000 events; 2,000 write units (0.2/event → 200,000 per million → $0.125);
    // 50 invocations of 40 ms at 256 MB: 5,000 per million → $0.001, and 5,000 × 0.04 s × 0.25 GB
    // = 50 GB-s → $0.000833335.
    const cost = rollupUsdPerMillionEvents({
      events: 10_000,
      writeUnits: 2_000,
      invocations: 50,
      durationMs: 50 * 40,
      memoryMb: 256,
    });
    expect(cost.dynamoDb).toBeCloseTo(0.125, 9);
    expect(cost.lambda).toBeCloseTo(0.001 + 50 * 0.0000166667, 9);
    expect(cost.total).toBeCloseTo(0.125 + 0.001 + 50 * 0.0000166667, 9);
  });

  test('refuses an empty count', () => {
    expect(() =>
      rollupUsdPerMillionEvents({
        events: 0,
        writeUnits: 1,
        invocations: 1,
        durationMs: 1,
        memoryMb: 256,
      }),
    ).toThrow('events is 0');
  });
});

describe('enhanced fan-out', () => {
  test('per GB retrieved: a million 1 KB events are 0.954 GB', () => {
    const gb = 1_024_000_000 / 1024 ** 3;
    expect(enhancedFanOutUsdPerMillionEvents(1_024, 'on-demand')).toBeCloseTo(gb * 0.05, 9);
    expect(enhancedFanOutUsdPerMillionEvents(1_024, 'provisioned')).toBeCloseTo(gb * 0.013, 9);
    expect(enhancedFanOutUsdPerMillionEvents(0, 'provisioned')).toBe(0);
    expect(() => enhancedFanOutUsdPerMillionEvents(-1, 'on-demand')).toThrow('eventBytes is -1');
  });

  test('consumer-shard hours: $0.015 × 730 h = $10.95 per shard-month, provisioned only', () => {
    expect(enhancedFanOutUsdPerShardMonth('provisioned')).toBeCloseTo(10.95, 9);
    expect(enhancedFanOutUsdPerShardMonth('on-demand')).toBe(0);
    expect(PRICES.kinesisProvisionedEnhancedFanOutConsumerShardHourUsd).toBe(0.015);
  });
});

test('estimateDurationMs: the rollup applies its transactions one after the other', () => {
  expect(
    estimateDurationMs({
      cpuMs: 3,
      concurrency: 1,
      phases: [{ requests: 4, latencyMs: 25 }],
    }),
  ).toBe(3 + 4 * 25);
});
