/**
 * The query API on the local edge, in API Gateway's order: identity sources present (else 401
 * without calling the authorizer) → the read-token authorizer, its decisions cached per
 * (siteId, token) in a cache bounded by entries and bytes → for GET /realtime the stage cache
 * (3 s, keyed by siteId and Authorization) → the same query function the Lambda runs.
 * GET /health needs no token.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { match } from 'ts-pattern';
import { createReadAuthorizer } from '../../handlers/authorizer/read-authorizer';
import { dynamoReadTokenStore } from '../../handlers/authorizer/dynamo-read-tokens';
import { createActiveSessionsReader } from '../../handlers/query/active-sessions-reader';
import { createRollupReader } from '../../handlers/query/rollup-reader';
import {
  QUERY_PATHS,
  createQueryApi,
  type QueryApi,
  type QueryResponse,
} from '../../handlers/query/query-api';
import { createTtlCache } from '../../handlers/ttl-cache';
import { JSON_MEDIA_TYPE } from '../../infra/api/ingest-api-spec';
import {
  AUTHORIZER_CACHE_SECONDS,
  REALTIME_CACHE_SECONDS,
  UNAUTHORIZED_RESPONSE,
  unauthorizedHeaders,
  unauthorizedTemplate,
} from '../../infra/api/query-api-spec';
import { evaluateHeaders, gatewayResponse, requestHeader } from '../edge/http-answer';
import type { EdgeRequest, EdgeResponse, Route } from '../edge/router';

export interface QueryRoutesOptions {
  readonly dynamodb: DynamoDBClient;
  readonly activeSessionsTable: string;
  readonly realtimeRollupsTable: string;
  readonly readTokensTable: string;
  readonly activeSessionShards: number;
  /** Stage cache of GET /realtime (default 3,000 ms as deployed; 0 turns it off). */
  readonly realtimeCacheTtlMs?: number;
  /** Authorizer result cache (default 60 s as deployed). */
  readonly authorizerCacheTtlMs?: number;
  readonly clock?: () => number;
  readonly logError?: (error: unknown, requestId: string) => void;
}

function fromQueryResponse(response: QueryResponse, request: EdgeRequest): EdgeResponse {
  return {
    status: response.statusCode,
    headers: { ...response.headers, 'x-amzn-RequestId': request.requestId },
    body: response.body,
  };
}

function unauthorized(request: EdgeRequest): EdgeResponse {
  return {
    status: UNAUTHORIZED_RESPONSE.statusCode,
    headers: {
      ...evaluateHeaders(unauthorizedHeaders(), request),
      'Content-Type': JSON_MEDIA_TYPE,
      'x-amzn-RequestId': request.requestId,
    },
    body: unauthorizedTemplate(),
  };
}

export function queryRoutes(options: QueryRoutesOptions): Route[] {
  const clock = options.clock ?? Date.now;
  const api: QueryApi = createQueryApi({
    reader: createActiveSessionsReader({
      dynamodb: options.dynamodb,
      tableName: options.activeSessionsTable,
    }),
    rollups: createRollupReader({
      dynamodb: options.dynamodb,
      tableName: options.realtimeRollupsTable,
    }),
    shardCount: options.activeSessionShards,
    // The stage cache below plays API Gateway's part; the function itself caches nothing.
    realtimeCacheTtlMs: 0,
    clock,
    ...(options.logError === undefined
      ? {}
      : { logError: (error: unknown) => options.logError?.(error, 'query') }),
  });
  const authorize = createReadAuthorizer({
    store: dynamoReadTokenStore(options.dynamodb, options.readTokensTable),
    ttlMs: options.authorizerCacheTtlMs ?? AUTHORIZER_CACHE_SECONDS * 1000,
    clock,
  });
  // Keyed by the raw Authorization header as API Gateway keys it, so a holder of a valid token
  // can vary its spacing: bounded by the cache's default entries and bytes, answers weighed.
  const stageCache = createTtlCache<QueryResponse>({
    ttlMs: options.realtimeCacheTtlMs ?? REALTIME_CACHE_SECONDS * 1000,
    clock,
    weigh: (response) => Buffer.byteLength(response.body, 'utf8'),
  });

  async function authorized(
    request: EdgeRequest,
    then: (siteId: string) => Promise<QueryResponse>,
  ): Promise<EdgeResponse> {
    const authorization = requestHeader(request, 'authorization');
    const siteId = request.query['siteId'];
    // A REQUEST authorizer is not called when an identity source is missing or empty.
    if (
      authorization === undefined ||
      authorization === '' ||
      siteId === undefined ||
      siteId === ''
    ) {
      return unauthorized(request);
    }
    let decision;
    try {
      decision = await authorize({ authorization, siteId });
    } catch (error) {
      // The authorizer failed (e.g. DynamoDB unreachable): API Gateway's AUTHORIZER_FAILURE (5xx).
      options.logError?.(error, request.requestId);
      return gatewayResponse('DEFAULT_5XX', request);
    }
    return match(decision)
      .with({ kind: 'unauthorized' }, () => unauthorized(request))
      .with({ kind: 'forbidden' }, () => gatewayResponse('ACCESS_DENIED', request))
      .with({ kind: 'allow' }, async ({ siteId: granted }) =>
        fromQueryResponse(await then(granted), request),
      )
      .exhaustive();
  }

  const call = (request: EdgeRequest, grantedSiteId: string | undefined) =>
    api({ method: request.method, path: request.path, query: request.query, grantedSiteId });

  return [
    {
      method: 'GET',
      path: QUERY_PATHS.realtime,
      handler: (request) =>
        authorized(request, async (granted) => {
          const key = `${request.query['siteId'] ?? ''}\n${requestHeader(request, 'authorization') ?? ''}`;
          const cached = await stageCache
            .get(key, async () => {
              const response = await call(request, granted);
              // Only successful answers are kept: an error must not stick for 3 s.
              if (response.statusCode !== 200) throw new UncachedAnswer(response);
              return response;
            })
            .catch((error: unknown) => {
              if (error instanceof UncachedAnswer) return error.response;
              throw error;
            });
          return cached;
        }),
    },
    {
      method: 'GET',
      path: QUERY_PATHS.sessionsActive,
      handler: (request) => authorized(request, (granted) => call(request, granted)),
    },
    {
      method: 'GET',
      path: QUERY_PATHS.health,
      handler: async (request) => fromQueryResponse(await call(request, undefined), request),
    },
  ];
}

/** Carries a non-200 answer out of the cache's compute without caching it. */
class UncachedAnswer extends Error {
  override readonly name = 'UncachedAnswer';
  constructor(readonly response: QueryResponse) {
    super(`answer ${response.statusCode} is not cached`);
  }
}
