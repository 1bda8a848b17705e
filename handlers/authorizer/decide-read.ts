/**
 * The read-token check, shared by the Lambda authorizer and the local edge: may this bearer
 * token read this site? Tokens are looked up under the site the request names (the site is part
 * of the key), so a token of site A is not found under site B; unknown sites and wrong tokens
 * get the same answer so that the API does not reveal which sites exist. An expired token is
 * refused even while DynamoDB still returns it (TTL deletes lag).
 */
import { SiteIdSchema } from '../../schemas/ingest';
import { parseWith } from '../../schemas/validator';
import { bearerToken, hashReadToken } from './read-token';

/** Port: the stored record of a token hash under a site, if any. */
export interface ReadTokenStore {
  findReadToken(
    siteId: string,
    tokenHash: string,
  ): Promise<{ readonly expiresAt: number } | undefined>;
}

export type ReadDecision =
  | { readonly kind: 'allow'; readonly siteId: string }
  /** No usable credentials: API Gateway answers 401. */
  | { readonly kind: 'unauthorized'; readonly reason: string }
  /** Credentials that do not grant this site: API Gateway answers 403. */
  | { readonly kind: 'forbidden'; readonly reason: string };

export interface ReadRequest {
  readonly authorization: string | undefined;
  readonly siteId: string | undefined;
}

/** The credentials a lookup needs, or why the request has none (a 401, no lookup). */
export type ReadCredentials =
  | { readonly kind: 'credentials'; readonly siteId: string; readonly token: string }
  | { readonly kind: 'unauthorized'; readonly reason: string };

export function readCredentials(request: ReadRequest): ReadCredentials {
  const token = bearerToken(request.authorization);
  if (token === undefined) {
    return {
      kind: 'unauthorized',
      reason:
        request.authorization === undefined
          ? 'the Authorization header is missing (expected "Bearer <read token>")'
          : 'the Authorization header is not a read token (expected "Bearer lirt_…")',
    };
  }
  const siteId = request.siteId;
  if (siteId === undefined || !parseWith(SiteIdSchema, siteId).ok) {
    return {
      kind: 'unauthorized',
      reason: 'siteId is missing or malformed (expected ?siteId=<site id>)',
    };
  }
  return { kind: 'credentials', siteId, token };
}

export async function decideRead(
  request: ReadRequest,
  store: ReadTokenStore,
  nowMs: number,
): Promise<ReadDecision> {
  const credentials = readCredentials(request);
  return credentials.kind === 'unauthorized'
    ? credentials
    : decideCredentials(credentials, store, nowMs);
}

/** The lookup of well-formed credentials: allow, or the same 403 for every refusal. */
export async function decideCredentials(
  { siteId, token }: { readonly siteId: string; readonly token: string },
  store: ReadTokenStore,
  nowMs: number,
): Promise<ReadDecision> {
  const found = await store.findReadToken(siteId, hashReadToken(token));
  return found !== undefined && found.expiresAt * 1000 > nowMs
    ? { kind: 'allow', siteId }
    : {
        kind: 'forbidden',
        reason: `the read token does not grant access to site ${JSON.stringify(siteId)}`,
      };
}
