/**
 * Ingest keys: `li_<siteId>_<secret>`, the secret 32 characters of [A-Za-z0-9] (about 190 bits;
 * no `_`, so the last `_` ends the site id). The site is part of the value: the ingest authorizer
 * and the request template read it from there, so a key can only ever name its own site's
 * registry partition. Stored only as SHA-256 (a fast hash is enough for 190 random bits); the
 * keyId shown to operators is `k_` + its first 8 hex digits.
 *
 * Pure: the CSPRNG is node:crypto's, and no AWS SDK.
 */
import { createHash, randomBytes } from 'node:crypto';

export const INGEST_KEY_PREFIX = 'li_';
export const INGEST_KEY_SECRET_LENGTH = 32;
/** 32 characters of [A-Za-z0-9]. */
export const INGEST_KEY_SECRET_PATTERN = /^[A-Za-z0-9]{32}$/;

export class IngestKeyError extends Error {
  override readonly name = 'IngestKeyError';
}

export function formatIngestKey(siteId: string, secret: string): string {
  if (!INGEST_KEY_SECRET_PATTERN.test(secret)) {
    throw new IngestKeyError(
      `Ingest key secret of ${secret.length} characters is invalid (expected ` +
        `${INGEST_KEY_SECRET_LENGTH} letters or digits)`,
    );
  }
  return `${INGEST_KEY_PREFIX}${siteId}_${secret}`;
}

/** The site a key names, read the way the request template reads it; undefined if malformed. */
export function siteOfIngestKey(key: string): string | undefined {
  const end = key.lastIndexOf('_');
  if (!key.startsWith(INGEST_KEY_PREFIX) || end <= INGEST_KEY_PREFIX.length) return undefined;
  return key.substring(INGEST_KEY_PREFIX.length, end);
}

/** Whether `key` has the full shape `li_<site>_<32 [A-Za-z0-9]>` (site id rules aside). */
export function isWellFormedIngestKey(key: string): boolean {
  const site = siteOfIngestKey(key);
  return (
    site !== undefined &&
    INGEST_KEY_SECRET_PATTERN.test(key.substring(INGEST_KEY_PREFIX.length + site.length + 1))
  );
}

/** SHA-256 of the whole key value, lower-case hex: what the registry stores. */
export function hashIngestKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

/** `k_` + the first 8 hex digits of the key's SHA-256: names a key without revealing it. */
export function ingestKeyId(key: string): string {
  return keyIdOfHash(hashIngestKey(key));
}

export function keyIdOfHash(sha256Hex: string): string {
  return `k_${sha256Hex.slice(0, 8)}`;
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** 248 = 4 × 62: bytes at or above it are dropped so every character is equally likely. */
const UNBIASED_LIMIT = 248;

/** A fresh secret from the CSPRNG (rejection sampling keeps the characters uniform). */
export function newIngestKeySecret(random: (size: number) => Uint8Array = randomBytes): string {
  let out = '';
  while (out.length < INGEST_KEY_SECRET_LENGTH) {
    for (const byte of random(48)) {
      if (byte < UNBIASED_LIMIT && out.length < INGEST_KEY_SECRET_LENGTH) out += BASE62[byte % 62];
    }
  }
  return out;
}

/** A new key of `siteId`, with its hash and keyId. Show `key` once; store only `sha256`. */
export function newIngestKey(
  siteId: string,
  random?: (size: number) => Uint8Array,
): { readonly key: string; readonly sha256: string; readonly keyId: string } {
  const key = formatIngestKey(siteId, newIngestKeySecret(random));
  const sha256 = hashIngestKey(key);
  return { key, sha256, keyId: keyIdOfHash(sha256) };
}
