import {
  CONSUMER_MAPPING_SETTINGS,
  type EventSourceMappingSettings,
  EventSourceMappingSettingsError,
  PROCESSOR_MAPPING_SETTINGS,
  ResourceDefinitionError,
  eventSourceMappings,
  resourceDefinitions,
  resourceNames,
  tableDefinition,
  validateEventSourceMappingSettings,
} from './resources';

describe('resourceNames', () => {
  it('derives every name from the prefix', () => {
    expect(resourceNames('liveinsight-dev')).toMatchObject({
      prefix: 'liveinsight-dev',
      tables: {
        events: 'liveinsight-dev-events',
        sessions: 'liveinsight-dev-sessions',
        activeSessions: 'liveinsight-dev-active-sessions',
        badRows: 'liveinsight-dev-bad-rows',
      },
      eventsStream: 'liveinsight-dev-events',
      eventsStreamConsumer: 'liveinsight-dev-events-consumer',
      buckets: { failures: 'liveinsight-dev-failures', dashboard: 'liveinsight-dev-dashboard' },
    });
  });

  it.each(['', 'Upper', 'under_score', '-lead', 'trail-', 'double--hyphen', 'x'.repeat(41)])(
    'rejects the prefix %p, naming it and the rule',
    (prefix) => {
      expect(() => resourceNames(prefix)).toThrow(ResourceDefinitionError);
      expect(() => resourceNames(prefix)).toThrow(
        `Resource prefix ${JSON.stringify(prefix)} is invalid (expected 1–40 lowercase letters`,
      );
    },
  );

  it('keeps the longest derived name a valid bucket name at the longest prefix', () => {
    const names = resourceNames('a'.repeat(40));
    for (const name of [...Object.values(names.tables), ...Object.values(names.buckets)]) {
      expect(name.length).toBeLessThanOrEqual(63);
    }
  });

  it('keeps the stream consumer name within Kinesis rules at the longest prefix', () => {
    // RegisterStreamConsumer: 1–128 of [a-zA-Z0-9_.-].
    expect(resourceNames('a'.repeat(40)).eventsStreamConsumer).toMatch(/^[a-zA-Z0-9_.-]{1,128}$/);
  });
});

describe('table definitions', () => {
  it('events: pk/sk strings, TTL expiresAt 90 days, no stream', () => {
    const events = tableDefinition('p', 'events');
    expect(events).toMatchObject({
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      ttl: { attribute: 'expiresAt', retentionSeconds: 90 * 86_400 },
      globalSecondaryIndexes: [],
      billingMode: 'PAY_PER_REQUEST',
    });
    expect(events.stream).toBeUndefined();
  });

  it('sessions: pk only, stream with both images, GSI bySiteDay (siteDay S, startedAt N, ALL)', () => {
    const sessions = tableDefinition('p', 'sessions');
    expect(sessions.sortKey).toBeUndefined();
    expect(sessions.stream).toBe('NEW_AND_OLD_IMAGES');
    expect(sessions.ttl?.attribute).toBe('expiresAt');
    expect(sessions.globalSecondaryIndexes).toEqual([
      {
        indexName: 'bySiteDay',
        partitionKey: { name: 'siteDay', type: 'S' },
        sortKey: { name: 'startedAt', type: 'N' },
        projection: 'KEYS_ONLY',
      },
    ]);
  });

  it('activeSessions: pk/sk, stream with both images, TTL expiresAt', () => {
    expect(tableDefinition('p', 'activeSessions')).toMatchObject({
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
      stream: 'NEW_AND_OLD_IMAGES',
      ttl: { attribute: 'expiresAt', retentionSeconds: 30 * 60 },
    });
  });

  it('registry: pk/sk, no TTL (sites and keys end by an operator), no stream', () => {
    const registry = tableDefinition('p', 'registry');
    expect(registry).toMatchObject({
      logicalId: 'RegistryTable',
      tableName: 'p-registry',
      partitionKey: { name: 'pk', type: 'S' },
      sortKey: { name: 'sk', type: 'S' },
    });
    expect(registry.ttl).toBeUndefined();
    expect(registry.stream).toBeUndefined();
  });

  it('badRows: pk/sk, TTL 30 days, no stream', () => {
    const badRows = tableDefinition('p', 'badRows');
    expect(badRows.ttl?.retentionSeconds).toBe(30 * 86_400);
    expect(badRows.stream).toBeUndefined();
  });

  it('defaults: 4 active-session shards, 2 local stream shards, 24 h retention', () => {
    const resources = resourceDefinitions('p');
    expect(resources.activeSessionShards).toBe(4);
    expect(resources.eventsStream.settings).toEqual({
      shardCount: 2,
      mode: 'provisioned',
      retentionHours: 24,
    });
  });

  it('rejects an activeSessionShards outside 1–64 with the value received', () => {
    expect(() => resourceDefinitions('p', { activeSessionShards: 0 })).toThrow(
      'activeSessionShards is 0 (expected an integer from 1 to 64)',
    );
  });
});

describe('event-source mappings', () => {
  it('resolves sources and the S3 on-failure bucket for a prefix', () => {
    const mappings = eventSourceMappings('p');
    expect(
      mappings.map((m) => [m.key, m.functionKey, m.sourceName, m.onFailureBucketName]),
    ).toEqual([
      ['consumerFromEvents', 'consumer', 'p-events', 'p-failures'],
      ['processorFromSessions', 'processor', 'p-sessions', 'p-failures'],
      ['processorFromActiveSessions', 'processor', 'p-active-sessions', 'p-failures'],
      ['rollupFromActiveSessions', 'rollup', 'p-active-sessions', 'p-failures'],
    ]);
  });

  it('uses the settings of the design for the consumer', () => {
    expect(CONSUMER_MAPPING_SETTINGS).toEqual({
      BatchSize: 1000,
      MaximumBatchingWindowInSeconds: 0,
      ParallelizationFactor: 2,
      BisectBatchOnFunctionError: true,
      MaximumRetryAttempts: 10,
      MaximumRecordAgeInSeconds: 21_600,
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
  });

  it('accepts the shipped settings and Lambda’s extremes', () => {
    expect(validateEventSourceMappingSettings(PROCESSOR_MAPPING_SETTINGS)).toBe(
      PROCESSOR_MAPPING_SETTINGS,
    );
    const extremes: EventSourceMappingSettings = {
      ...CONSUMER_MAPPING_SETTINGS,
      BatchSize: 10_000,
      MaximumBatchingWindowInSeconds: 300,
      ParallelizationFactor: 10,
      MaximumRetryAttempts: -1,
      MaximumRecordAgeInSeconds: -1,
      FunctionResponseTypes: [],
    };
    expect(() => validateEventSourceMappingSettings(extremes)).not.toThrow();
  });

  it.each<[keyof EventSourceMappingSettings, unknown, string]>([
    ['BatchSize', 0, 'BatchSize is 0 (expected an integer 1–10000)'],
    ['BatchSize', 10_001, 'BatchSize is 10001 (expected an integer 1–10000)'],
    ['BatchSize', 1.5, 'BatchSize is 1.5 (expected an integer 1–10000)'],
    [
      'MaximumBatchingWindowInSeconds',
      301,
      'MaximumBatchingWindowInSeconds is 301 (expected an integer 0–300)',
    ],
    ['ParallelizationFactor', 11, 'ParallelizationFactor is 11 (expected an integer 1–10)'],
    ['MaximumRetryAttempts', -2, 'MaximumRetryAttempts is -2 (expected an integer -1 or 0–10000)'],
    [
      'MaximumRecordAgeInSeconds',
      59,
      'MaximumRecordAgeInSeconds is 59 (expected an integer -1 or 60–604800)',
    ],
    [
      'MaximumRecordAgeInSeconds',
      604_801,
      'MaximumRecordAgeInSeconds is 604801 (expected an integer -1 or 60–604800)',
    ],
    [
      'BisectBatchOnFunctionError',
      'yes',
      'BisectBatchOnFunctionError is "yes" (expected true or false)',
    ],
    [
      'FunctionResponseTypes',
      ['Other'],
      'FunctionResponseTypes is ["Other"] (expected [] or ["ReportBatchItemFailures"])',
    ],
    [
      'StartingPosition',
      'AT_START',
      'StartingPosition is "AT_START" (expected "TRIM_HORIZON" or "LATEST")',
    ],
  ])('rejects %s = %p naming the value and the range', (setting, value, message) => {
    const settings = {
      ...CONSUMER_MAPPING_SETTINGS,
      [setting]: value,
    } as EventSourceMappingSettings;
    let thrown: unknown;
    try {
      validateEventSourceMappingSettings(settings, 'consumer');
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(EventSourceMappingSettingsError);
    expect((thrown as EventSourceMappingSettingsError).message).toBe(`consumer: ${message}`);
    expect((thrown as EventSourceMappingSettingsError).setting).toBe(setting);
    expect((thrown as EventSourceMappingSettingsError).received).toEqual(value);
  });
});
