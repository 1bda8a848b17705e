/**
 * The read-token check, shared by the Lambda authorizer and the local edge: may this bearer
 * token read this site? A token is looked up under the site the request names, so a token of
 * site A finds no match under site B; unknown sites and wrong tokens get the same answer so that
 * the API does not reveal which sites exist.
 */
import { SiteIdSchema } from '../../schemas/ingest';
import { parseWith } from '../../schemas/validator';
import { bearerToken, tokenMatches } from './read-token';

/** Port: the stored read-token hashes of a site (empty when the site is unknown or has none). */
export interface ReadTokenStore {
  readTokenHashes(siteId: string): Promise<readonly string[]>;
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

export async function decideRead(
  request: ReadRequest,
  store: ReadTokenStore,
): Promise<ReadDecision> {
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
  const hashes = await store.readTokenHashes(siteId);
  return tokenMatches(token, hashes)
    ? { kind: 'allow', siteId }
    : {
        kind: 'forbidden',
        reason: `the read token does not grant access to site ${JSON.stringify(siteId)}`,
      };
}
