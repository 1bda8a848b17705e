/**
 * The query API as one function from request to response, shared by the Lambda entry point
 * (API Gateway proxy events) and the local edge (plain HTTP). Wiring only: parse the request,
 * read through the adapter, compute with the pure pipeline, answer JSON.
 *
 * Authorization happens before this function (the Lambda authorizer on AWS, the same check in
 * the local edge); the caller passes the site the read token was granted for, and every read is
 * checked against it again here so that a misconfigured route can never read another site.
 */
import { match, P } from 'ts-pattern';
import { CursorError, decodeCursor, encodeCursor } from '../../pipeline/realtime/cursor';
import { pageAcrossShards } from '../../pipeline/realtime/page-across-shards';
import { answerFromRollup } from '../../pipeline/realtime/rollup-answer';
import { SiteIdSchema } from '../../schemas/ingest';
import {
  SESSIONS_PAGE,
  type ActiveSession,
  type ActiveSessionView,
  type ActiveSessionsPage,
  type ErrorBody,
  type HealthAnswer,
  type RealtimeAnswer,
} from '../../schemas/query';
import { activeSessionShardsOf, type ShardPlan } from '../../schemas/shard-plan';
import { parseWith } from '../../schemas/validator';
import { sortKeyPositionProblem, type ActiveSessionsReader } from './active-sessions-reader';
import type { RollupReader } from './rollup-reader';
import { StorageReadError } from './storage-read-error';
import { createTtlCache } from '../ttl-cache';

export const QUERY_PATHS = {
  realtime: '/realtime',
  sessionsActive: '/sessions/active',
  health: '/health',
} as const;

export interface QueryRequest {
  readonly method: string;
  /** Resource path without stage or query string, e.g. `/realtime`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string | undefined>>;
  /** The site the caller's read token was granted for; undefined when no authorizer ran. */
  readonly grantedSiteId: string | undefined;
}

export interface QueryResponse {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

export interface QueryApiOptions {
  /** ActiveSessions, for `/sessions/active` and `/health`. */
  readonly reader: ActiveSessionsReader;
  /** The realtime counters, for `/realtime`. */
  readonly rollups: RollupReader;
  /** ActiveSessions shards: the stage's plan (each site's own count) or one count for all. */
  readonly shardCount: ShardPlan | number;
  readonly clock?: () => number;
  /**
   * TTL of the per-site `/realtime` answer cache. The local edge uses 3,000 ms (what API Gateway
   * stage caching does on AWS); the Lambda uses 0 because the stage cache sits in front of it.
   */
  readonly realtimeCacheTtlMs: number;
  /** Origin allowed to call the API from a browser (the dashboard's), when it differs. */
  readonly allowedOrigin?: string;
  /** Where failures are reported (default: one JSON line on stderr). */
  readonly logError?: (error: unknown, request: QueryRequest) => void;
}

export type QueryApi = (request: QueryRequest) => Promise<QueryResponse>;

/** Health answers are cached so an unauthenticated caller can't turn /health into load. */
const HEALTH_CACHE_MS = 3_000;

class RequestError extends Error {
  override readonly name = 'RequestError';
  constructor(
    readonly status: 400 | 403 | 404 | 405,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export function createQueryApi(options: QueryApiOptions): QueryApi {
  const { reader, rollups, shardCount } = options;
  const clock = options.clock ?? Date.now;
  const realtimeCache = createTtlCache<RealtimeAnswer>({
    ttlMs: options.realtimeCacheTtlMs,
    clock,
  });
  const healthCache = createTtlCache<HealthAnswer>({ ttlMs: HEALTH_CACHE_MS, clock });
  const logError = options.logError ?? defaultLogError;
  const cors: Record<string, string> =
    options.allowedOrigin === undefined
      ? {}
      : {
          'access-control-allow-origin': options.allowedOrigin,
          'access-control-allow-headers': 'authorization',
          'access-control-allow-methods': 'GET, OPTIONS',
          'access-control-max-age': '600',
          vary: 'Origin',
        };

  function json(
    statusCode: number,
    body: unknown,
    extra: Record<string, string> = {},
  ): QueryResponse {
    return {
      statusCode,
      headers: { 'content-type': 'application/json; charset=utf-8', ...cors, ...extra },
      body: JSON.stringify(body),
    };
  }

  function error(status: number, code: string, message: string, details?: unknown): QueryResponse {
    const body: ErrorBody = {
      error: { code, message, ...(details === undefined ? {} : { details }) },
    };
    return json(status, body, { 'cache-control': 'no-store' });
  }

  /** CORS preflight of a browser on another origin (the dashboard on CloudFront). */
  function preflight(): QueryResponse {
    return { statusCode: 204, headers: { ...cors }, body: '' };
  }

  async function realtime(request: QueryRequest): Promise<QueryResponse> {
    const siteId = grantedSite(request);
    const answer = await realtimeCache.get(siteId, async () => {
      const nowMs = clock();
      return answerFromRollup(await rollups.readBuckets(siteId, nowMs), { siteId, nowMs });
    });
    return json(200, answer, { 'cache-control': 'private, max-age=3' });
  }

  async function sessionsActive(request: QueryRequest): Promise<QueryResponse> {
    const siteId = grantedSite(request);
    const limit = parseLimit(request.query['limit']);
    const cursor = request.query['cursor'];
    let after: string | undefined;
    if (cursor !== undefined) {
      try {
        after = decodeCursor(cursor, siteId).after;
      } catch (cause) {
        if (cause instanceof CursorError)
          throw new RequestError(400, 'invalid_cursor', cause.message);
        throw cause;
      }
      const problem = sortKeyPositionProblem(after);
      if (problem !== undefined) {
        throw new RequestError(400, 'invalid_cursor', `cursor ${shown(cursor)}: ${problem}`);
      }
    }
    const nowMs = clock();
    let page;
    try {
      page = await pageAcrossShards(
        (shardRequest) => reader.readShardPage(siteId, shardRequest, nowMs),
        { shardCount: activeSessionShardsOf(shardCount, siteId), limit, after },
      );
    } catch (caught) {
      if (!(caught instanceof StorageReadError) || caught.kind !== 'invalid_input') throw caught;
      // DynamoDB refused the position our check let through: still the client's cursor, and
      // worth a log line because the check above should have caught it.
      logError(caught, request);
      throw new RequestError(
        400,
        'invalid_cursor',
        `cursor ${shown(cursor ?? '')} names a position the sessions store refuses (expected the nextCursor of a previous page)`,
      );
    }
    const body: ActiveSessionsPage = {
      siteId,
      at: nowMs,
      sessions: page.items.map(toActiveSession),
      ...(page.nextAfter === undefined
        ? {}
        : { nextCursor: encodeCursor({ siteId, after: page.nextAfter }) }),
    };
    return json(200, body, { 'cache-control': 'no-store' });
  }

  async function health(): Promise<QueryResponse> {
    const answer = await healthCache.get('health', async () => {
      const at = clock();
      try {
        await reader.ping();
        return { status: 'ok', at, checks: { activeSessionsTable: 'ok' } };
      } catch (cause) {
        logError(cause, {
          method: 'GET',
          path: QUERY_PATHS.health,
          query: {},
          grantedSiteId: undefined,
        });
        return { status: 'unavailable', at, checks: { activeSessionsTable: 'unreachable' } };
      }
    });
    return json(answer.status === 'ok' ? 200 : 503, answer, { 'cache-control': 'no-store' });
  }

  return async (request) => {
    try {
      return await match([request.method.toUpperCase(), request.path])
        .with(['OPTIONS', P.string], () => Promise.resolve(preflight()))
        .with(['GET', QUERY_PATHS.realtime], () => realtime(request))
        .with(['GET', QUERY_PATHS.sessionsActive], () => sessionsActive(request))
        .with(['GET', QUERY_PATHS.health], () => health())
        .with(
          [P.string, P.union(QUERY_PATHS.realtime, QUERY_PATHS.sessionsActive, QUERY_PATHS.health)],
          ([method, path]) => {
            throw new RequestError(
              405,
              'method_not_allowed',
              `${method} ${path} is not supported (expected GET)`,
            );
          },
        )
        .otherwise(([, path]) => {
          throw new RequestError(
            404,
            'not_found',
            `no query route ${JSON.stringify(path)} (expected one of ${Object.values(QUERY_PATHS).join(', ')})`,
          );
        });
    } catch (caught) {
      if (caught instanceof RequestError) {
        return error(caught.status, caught.code, caught.message, caught.details);
      }
      logError(caught, request);
      // A DynamoDB failure is worth a retry; a malformed item or a request DynamoDB refuses as
      // invalid is not (500 below): a 503 would have the client repeat it for nothing.
      if (caught instanceof StorageReadError && caught.kind === 'unavailable') {
        return error(
          503,
          'storage_unavailable',
          'the sessions store could not be read; retry shortly',
        );
      }
      return error(500, 'internal_error', 'the query failed unexpectedly');
    }
  };
}

/** The site of the request, which must be the one the read token was granted for. */
function grantedSite(request: QueryRequest): string {
  const siteId = request.query['siteId'];
  if (siteId === undefined || siteId === '') {
    throw new RequestError(
      400,
      'invalid_request',
      'siteId is missing (expected ?siteId=<your site id>)',
      [{ field: 'siteId', expected: 'a site id', received: 'nothing' }],
    );
  }
  if (!parseWith(SiteIdSchema, siteId).ok) {
    throw new RequestError(
      400,
      'invalid_request',
      `siteId ${JSON.stringify(siteId.slice(0, 80))} is not a site id (expected ${SiteIdSchema.description})`,
      [
        {
          field: 'siteId',
          expected: SiteIdSchema.description,
          received: JSON.stringify(siteId.slice(0, 80)),
        },
      ],
    );
  }
  if (request.grantedSiteId !== siteId) {
    throw new RequestError(
      403,
      'forbidden',
      `the read token does not grant access to site ${JSON.stringify(siteId)}`,
    );
  }
  return siteId;
}

/** A client's value in a message: JSON-quoted, cut at 40 characters. */
function shown(value: string): string {
  return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
}

function parseLimit(raw: string | undefined): number {
  if (raw === undefined) return SESSIONS_PAGE.defaultLimit;
  const limit = Number(raw);
  if (!/^\d+$/.test(raw) || limit < 1 || limit > SESSIONS_PAGE.maxLimit) {
    throw new RequestError(
      400,
      'invalid_request',
      `limit ${JSON.stringify(raw.slice(0, 20))} is invalid (expected an integer from 1 to ${SESSIONS_PAGE.maxLimit})`,
      [
        {
          field: 'limit',
          expected: `an integer from 1 to ${SESSIONS_PAGE.maxLimit}`,
          received: JSON.stringify(raw.slice(0, 20)),
        },
      ],
    );
  }
  return limit;
}

function toActiveSession(view: ActiveSessionView): ActiveSession {
  return {
    sessionId: view.sessionId,
    visitorId: view.visitorId,
    startedAt: view.startedAt,
    lastSeen: view.lastSeen,
    pageviews: view.pageviews,
    events: view.events,
    entryPage: view.entryPage,
    currentPage: view.currentPage,
    source: view.source,
    device: view.deviceType,
    country: view.country,
    isBot: view.isBot,
  };
}

function defaultLogError(caught: unknown, request: QueryRequest): void {
  const detail =
    caught instanceof Error
      ? { name: caught.name, message: caught.message, cause: String(caught.cause ?? '') }
      : { message: String(caught) };
  console.error(
    JSON.stringify({ level: 'error', route: `${request.method} ${request.path}`, ...detail }),
  );
}
