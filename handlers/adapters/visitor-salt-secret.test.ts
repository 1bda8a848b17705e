/**
 * The visitor-salt key on AWS comes from Secrets Manager at runtime, cached; locally from the
 * configuration. The AWS adapter runs against an injected client (there is no Secrets Manager
 * emulator here): it counts the calls and fails on demand.
 */
import type {
  GetSecretValueCommand,
  GetSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import { readConsumerConfig } from '../config';
import { ENV } from '../env-names';
import { dailySalt } from './daily-salt';
import {
  SecretReadError,
  type SecretsManagerReader,
  configSecretSource,
  refreshingSalt,
  secretsManagerSecretSource,
  visitorSaltSecretSource,
} from './visitor-salt-secret';

const SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:salt-AbCdEf';
const KEY_1 = 'first-visitor-salt-key-0123456789';
const KEY_2 = 'second-visitor-salt-key-012345678';

interface FakeSecretsManager extends SecretsManagerReader {
  readonly requests: string[];
  value: string | undefined;
  failWith: Error | undefined;
}

function fakeSecretsManager(value: string | null = KEY_1): FakeSecretsManager {
  const fake: FakeSecretsManager = {
    requests: [],
    value: value ?? undefined,
    failWith: undefined,
    send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput> {
      fake.requests.push(command.input.SecretId ?? '');
      if (fake.failWith !== undefined) return Promise.reject(fake.failWith);
      return Promise.resolve({
        $metadata: {},
        ...(fake.value === undefined ? {} : { SecretString: fake.value }),
      });
    },
  };
  return fake;
}

function manualClock(start = 1_000_000): { now: () => number; advance: (ms: number) => void } {
  let time = start;
  return { now: () => time, advance: (ms) => (time += ms) };
}

describe('secretsManagerSecretSource', () => {
  it('reads the secret once and serves the cached value while it is fresh', async () => {
    const client = fakeSecretsManager();
    const clock = manualClock();
    const source = secretsManagerSecretSource(client, SECRET_ARN, {
      maxAgeMs: 60_000,
      now: clock.now,
    });

    await expect(source.read()).resolves.toBe(KEY_1);
    clock.advance(59_999);
    await expect(source.read()).resolves.toBe(KEY_1);

    expect(client.requests).toEqual([SECRET_ARN]);
  });

  it('shares one request between concurrent first reads', async () => {
    const client = fakeSecretsManager();
    const source = secretsManagerSecretSource(client, SECRET_ARN);

    const values = await Promise.all([source.read(), source.read(), source.read()]);

    expect(values).toEqual([KEY_1, KEY_1, KEY_1]);
    expect(client.requests).toHaveLength(1);
  });

  it('reads again after maxAgeMs, so a rotated key reaches a warm environment', async () => {
    const client = fakeSecretsManager();
    const clock = manualClock();
    const source = secretsManagerSecretSource(client, SECRET_ARN, {
      maxAgeMs: 60_000,
      now: clock.now,
    });
    await source.read();

    client.value = KEY_2;
    clock.advance(60_000);

    await expect(source.read()).resolves.toBe(KEY_2);
    expect(client.requests).toHaveLength(2);
  });

  it('fails the first read naming the secret and the cause, and tries again on the next', async () => {
    const client = fakeSecretsManager();
    client.failWith = new Error('AccessDeniedException: not authorized');
    const source = secretsManagerSecretSource(client, SECRET_ARN);

    const failure = source.read();

    await expect(failure).rejects.toBeInstanceOf(SecretReadError);
    await expect(failure).rejects.toThrow(
      `GetSecretValue of ${SECRET_ARN} failed: Error: AccessDeniedException: not authorized`,
    );
    client.failWith = undefined;
    await expect(source.read()).resolves.toBe(KEY_1);
  });

  it('keeps the last value when a refresh fails, and retries after retryAfterMs', async () => {
    const client = fakeSecretsManager();
    const clock = manualClock();
    const source = secretsManagerSecretSource(client, SECRET_ARN, {
      maxAgeMs: 60_000,
      retryAfterMs: 5_000,
      now: clock.now,
    });
    await source.read();
    client.failWith = new Error('ServiceUnavailable');
    clock.advance(60_000);

    await expect(source.read()).resolves.toBe(KEY_1);
    clock.advance(4_999);
    await expect(source.read()).resolves.toBe(KEY_1);
    expect(client.requests).toHaveLength(2);

    client.failWith = undefined;
    client.value = KEY_2;
    clock.advance(1);
    await expect(source.read()).resolves.toBe(KEY_2);
    expect(client.requests).toHaveLength(3);
  });

  it('refuses a secret without a string value', async () => {
    const source = secretsManagerSecretSource(fakeSecretsManager(null), SECRET_ARN);

    await expect(source.read()).rejects.toThrow(
      `Secret ${SECRET_ARN} has no SecretString (expected the visitor-salt key as a string)`,
    );
  });
});

describe('visitorSaltSecretSource', () => {
  it('uses the configured key locally without creating a client', async () => {
    const makeClient = jest.fn(() => fakeSecretsManager());

    const source = visitorSaltSecretSource({ kind: 'value', secret: KEY_2 }, makeClient);

    await expect(source.read()).resolves.toBe(KEY_2);
    expect(makeClient).not.toHaveBeenCalled();
  });

  it('reads the named secret through the client on AWS', async () => {
    const client = fakeSecretsManager();

    const source = visitorSaltSecretSource(
      { kind: 'secrets-manager', secretId: SECRET_ARN },
      () => client,
    );

    await expect(source.read()).resolves.toBe(KEY_1);
    expect(client.requests).toEqual([SECRET_ARN]);
  });
});

describe('refreshingSalt', () => {
  it('salts with the key read by the last refresh', async () => {
    const client = fakeSecretsManager();
    const clock = manualClock();
    const salt = refreshingSalt(
      secretsManagerSecretSource(client, SECRET_ARN, { maxAgeMs: 1_000, now: clock.now }),
    );

    await salt.refresh();
    const before = salt.provider.saltForDay('2026-12-07');
    client.value = KEY_2;
    clock.advance(1_000);
    await salt.refresh();

    expect(before).toBe(dailySalt(KEY_1).saltForDay('2026-12-07'));
    expect(salt.provider.saltForDay('2026-12-07')).toBe(dailySalt(KEY_2).saltForDay('2026-12-07'));
  });

  it('refuses to salt before the key was read', () => {
    const salt = refreshingSalt(configSecretSource(KEY_1));

    expect(() => salt.provider.saltForDay('2026-12-07')).toThrow(
      'visitor salt used before its key was read',
    );
  });
});

describe('readConsumerConfig visitor salt', () => {
  const base = {
    [ENV.eventsTable]: 'events',
    [ENV.sessionsTable]: 'sessions',
    [ENV.activeSessionsTable]: 'active',
    [ENV.badRowsTable]: 'bad',
    [ENV.failureBucket]: 'failures',
  };

  it('takes the secret ARN on AWS', () => {
    const config = readConsumerConfig({ ...base, [ENV.visitorSaltSecretArn]: SECRET_ARN });

    expect(config.visitorSalt).toEqual({ kind: 'secrets-manager', secretId: SECRET_ARN });
  });

  it('takes the key itself locally', () => {
    const config = readConsumerConfig({ ...base, [ENV.visitorSaltSecret]: KEY_1 });

    expect(config.visitorSalt).toEqual({ kind: 'value', secret: KEY_1 });
  });

  it('names both variables when neither is set, and refuses both at once', () => {
    expect(() => readConsumerConfig(base)).toThrow(
      `${ENV.visitorSaltSecretArn} (AWS) or ${ENV.visitorSaltSecret} (local) is missing`,
    );
    expect(() =>
      readConsumerConfig({
        ...base,
        [ENV.visitorSaltSecret]: KEY_1,
        [ENV.visitorSaltSecretArn]: SECRET_ARN,
      }),
    ).toThrow('are both set');
  });
});
