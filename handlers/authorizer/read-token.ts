/**
 * Read tokens: a per-site secret for the query API, distinct from the ingest key (which ships in
 * web pages and is public, DESIGN.md section 5). Only a SHA-256 of each token is stored.
 *
 * Why SHA-256 and not a slow password hash: a token is 256 random bits, so nobody can guess a
 * preimage of its hash however fast the hash is; a slow hash would only add latency to every
 * uncached authorization. The hash is the item's sort key, so a lookup is one GetItem and no
 * stored secret is ever compared in application code.
 */
import { createHash, randomBytes } from 'node:crypto';

/** Prefix so a leaked token is recognisable (secret scanners, logs) and never taken for an ingest key. */
export const READ_TOKEN_PREFIX = 'lirt_';

const TOKEN_PATTERN = /^lirt_[A-Za-z0-9_-]{43}$/;

export function generateReadToken(): string {
  return `${READ_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

/** Hex SHA-256 of the token: what a site record stores. */
export function hashReadToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export function isWellFormedReadToken(token: string): boolean {
  return TOKEN_PATTERN.test(token);
}

/**
 * The token of an `Authorization: Bearer <token>` header; undefined when the header is absent or
 * not a bearer token of our format (the caller answers 401 either way).
 */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const found = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
  const token = found?.[1];
  return token !== undefined && isWellFormedReadToken(token) ? token : undefined;
}
