import {
  PRICES,
  apiGatewayUsdPerMillionEvents,
  estimateDurationMs,
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
