/**
 * What API Gateway itself answers on the query API, as plain data read by both the CDK construct
 * (infra/constructs/query-api.ts) and the local edge (localstack/query/): the 401 a missing or
 * malformed read token gets. Gateway responses belong to the whole REST API, which the ingest
 * API owns: the 401 is its UNAUTHORIZED and a Deny of the authorizer its ACCESS_DENIED (403).
 *
 * Why the query API adds UNAUTHORIZED when the API has none: the API's DEFAULT_4XX response
 * sets status 400, which API Gateway would otherwise apply to an authorizer's 401 as well.
 */
import {
  GATEWAY_RESPONSES,
  gatewayResponseHeaders,
  gatewayResponseTemplate,
  type HeaderMap,
} from './ingest-api-spec';

/** Seconds `GET /realtime` answers are cached by the stage, per siteId and token (issue 8). */
export const REALTIME_CACHE_SECONDS = 3;

/**
 * Seconds `GET /health` answers are cached by the stage (one entry for every caller): the query
 * function is invoked at most once per period per cache node, whatever the request rate.
 */
export const HEALTH_CACHE_SECONDS = 3;

/**
 * Stage throttles of the read routes, shared by every caller (usage plans do not apply: reads
 * carry a read token, not an API key). They bound what a read flood costs and keep the query
 * path's Lambda use far below the ingest path's; the dashboard polls every few seconds per
 * viewer and GET /realtime answers repeat from the stage cache.
 */
export const QUERY_ROUTE_THROTTLES = {
  realtime: { rateLimit: 50, burstLimit: 100 },
  sessionsActive: { rateLimit: 20, burstLimit: 40 },
  health: { rateLimit: 10, burstLimit: 20 },
} as const satisfies Record<string, { rateLimit: number; burstLimit: number }>;

/**
 * Seconds API Gateway keeps an authorizer decision per (Authorization, siteId). Its default is
 * 300; a shorter TTL makes a revoked token stop working sooner.
 */
export const AUTHORIZER_CACHE_SECONDS = 60;

export const UNAUTHORIZED_RESPONSE = GATEWAY_RESPONSES.UNAUTHORIZED;

/** The body template (API Gateway substitutes nothing in it). */
export function unauthorizedTemplate(): string {
  return gatewayResponseTemplate(UNAUTHORIZED_RESPONSE);
}

export function unauthorizedHeaders(): HeaderMap {
  return gatewayResponseHeaders(UNAUTHORIZED_RESPONSE);
}
