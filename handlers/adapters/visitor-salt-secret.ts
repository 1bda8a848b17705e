/**
 * Where the consumer gets the HMAC key of the daily visitor salt (daily-salt.ts). On AWS the key
 * lives in Secrets Manager and is read at runtime — never placed in the function's environment,
 * where anyone allowed lambda:GetFunctionConfiguration could read it. Locally (no Secrets
 * Manager emulator) the key comes from the handler's configuration.
 *
 * Why the SDK client and not the Parameters and Secrets Lambda extension: one code path that
 * runs and is tested the same everywhere (an injected client here), no region-specific layer
 * ARN in the stack and no extra layer to load at cold start; the read is one GetSecretValue per
 * execution environment and cache period.
 */
import {
  GetSecretValueCommand,
  type GetSecretValueCommandOutput,
} from '@aws-sdk/client-secrets-manager';
import type { SaltProvider } from '../../pipeline/ports';
import type { VisitorSaltSource } from '../config';
import { dailySalt } from './daily-salt';

/** The port: the current value of one secret. */
export interface SecretSource {
  read(): Promise<string>;
}

/** The part of SecretsManagerClient this adapter calls (tests inject their own). */
export interface SecretsManagerReader {
  send(command: GetSecretValueCommand): Promise<GetSecretValueCommandOutput>;
}

export class SecretReadError extends Error {
  override readonly name = 'SecretReadError';
  constructor(
    message: string,
    readonly secretId: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The local stack's source: the value its configuration holds. */
export function configSecretSource(secret: string): SecretSource {
  const value = Promise.resolve(secret);
  return { read: () => value };
}

export interface SecretsManagerSourceOptions {
  /**
   * How long a read value is used before it is read again: a rotated key reaches warm
   * environments within this time.
   * @default 1 hour
   */
  readonly maxAgeMs?: number;
  /**
   * After a failed refresh, how long the last value is kept before trying again.
   * @default 30 s
   */
  readonly retryAfterMs?: number;
  /** @default Date.now */
  readonly now?: () => number;
}

const HOUR_MS = 3_600_000;

/**
 * A Secrets Manager secret, read once and cached for `maxAgeMs`; concurrent reads share one
 * request. The first read fails loudly (SecretReadError naming the secret and the cause): a
 * batch cannot be salted without the key. A failed refresh keeps serving the last value until
 * `retryAfterMs` has passed: the key changes only on a deliberate rotation, so the value in hand
 * is right, and failing every batch while Secrets Manager is unreachable would stall ingestion.
 */
export function secretsManagerSecretSource(
  client: SecretsManagerReader,
  secretId: string,
  options: SecretsManagerSourceOptions = {},
): SecretSource {
  const maxAgeMs = options.maxAgeMs ?? HOUR_MS;
  const retryAfterMs = options.retryAfterMs ?? 30_000;
  const now = options.now ?? Date.now;
  let cached: { value: string; freshUntil: number } | undefined;
  let inFlight: Promise<string> | undefined;

  async function fetchValue(): Promise<string> {
    let output: GetSecretValueCommandOutput;
    try {
      output = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
    } catch (cause) {
      throw new SecretReadError(
        `GetSecretValue of ${secretId} failed: ${String(cause)} (expected the secret's value; the function's role needs secretsmanager:GetSecretValue on it)`,
        secretId,
        { cause },
      );
    }
    const value = output.SecretString;
    if (value === undefined || value === '') {
      throw new SecretReadError(
        `Secret ${secretId} has no SecretString (expected the visitor-salt key as a string${output.SecretBinary === undefined ? '' : ', received a binary secret'})`,
        secretId,
      );
    }
    return value;
  }

  function refresh(): Promise<string> {
    inFlight ??= fetchValue()
      .then(
        (value) => {
          cached = { value, freshUntil: now() + maxAgeMs };
          return value;
        },
        (error: unknown) => {
          if (cached === undefined) throw error;
          cached = { value: cached.value, freshUntil: now() + retryAfterMs };
          return cached.value;
        },
      )
      .finally(() => {
        inFlight = undefined;
      });
    return inFlight;
  }

  return {
    read() {
      if (cached !== undefined && now() < cached.freshUntil) return Promise.resolve(cached.value);
      return refresh();
    },
  };
}

/** The source a consumer configuration names; Secrets Manager needs a client (made on demand). */
export function visitorSaltSecretSource(
  source: VisitorSaltSource,
  secretsManager: () => SecretsManagerReader,
): SecretSource {
  return source.kind === 'value'
    ? configSecretSource(source.secret)
    : secretsManagerSecretSource(secretsManager(), source.secretId);
}

/**
 * A salt provider that follows a secret source: `refresh()` (awaited before each batch) reads
 * the current key, and the provider salts with it. The pipeline's SaltProvider port stays
 * synchronous; only the key's arrival is asynchronous.
 */
export interface RefreshingSalt {
  readonly provider: SaltProvider;
  refresh(): Promise<void>;
}

export function refreshingSalt(source: SecretSource): RefreshingSalt {
  let current: { secret: string; salt: SaltProvider } | undefined;
  return {
    provider: {
      saltForDay(day) {
        if (current === undefined) {
          throw new Error(
            'visitor salt used before its key was read (expected refresh() before the batch)',
          );
        }
        return current.salt.saltForDay(day);
      },
    },
    async refresh() {
      const secret = await source.read();
      if (current?.secret !== secret) current = { secret, salt: dailySalt(secret) };
    },
  };
}
