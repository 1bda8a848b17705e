/**
 * The realtime query API on an existing REST API: `GET /realtime`, `GET /sessions/active` (both
 * behind a Lambda REQUEST authorizer that checks the site's read token) and `GET /health`.
 *
 * Caching: the authorizer's decision is cached per (Authorization, siteId) — both are identity
 * sources, so a cached Allow for site A never serves site B. `GET /realtime` answers are cached
 * for 3 s in one of two places, chosen by `stageCache` (context `apiCache`):
 * - on (default): by the stage's cache cluster, keyed by siteId and Authorization; the function
 *   keeps nothing. Stage caching is a property of the stage, which the REST API's owner
 *   creates: spread {@link queryStageOptions} into the RestApi's `deployOptions` (the constructor
 *   checks that the two agree).
 * - off (the small profile, $14.60 a month less): by the query function itself, per warm
 *   instance and site (handlers/ttl-cache.ts), after the authorizer has checked the token.
 *   `GET /health` then reaches the function on every request, bounded by its stage throttle
 *   (QUERY_ROUTE_THROTTLES.health) and answered from the function's own 3 s health cache, so
 *   DynamoDB sees at most one DescribeTable per instance per 3 s.
 */
import { join } from 'node:path';
import { Duration, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { bundledFunction, type FunctionCode } from './bundled-function';
import type { LiveAlias } from './live-alias';
import { ENV } from '../../handlers/env-names';
import { QUERY_PATHS } from '../../handlers/query/query-api';
import { FUNCTION_TUNING } from '../resources';
import type { SiteShards } from '../../schemas/shard-plan';
import {
  AUTHORIZER_CACHE_SECONDS,
  HEALTH_CACHE_SECONDS,
  QUERY_ROUTE_THROTTLES,
  REALTIME_CACHE_SECONDS,
  unauthorizedHeaders,
  unauthorizedTemplate,
  UNAUTHORIZED_RESPONSE,
} from '../api/query-api-spec';

const REALTIME_CACHE_KEYS = [
  'method.request.querystring.siteId',
  'method.request.header.Authorization',
] as const;

function throttle(route: keyof typeof QUERY_ROUTE_THROTTLES): apigateway.MethodDeploymentOptions {
  return {
    throttlingRateLimit: QUERY_ROUTE_THROTTLES[route].rateLimit,
    throttlingBurstLimit: QUERY_ROUTE_THROTTLES[route].burstLimit,
  };
}

/**
 * Stage settings the query API needs; spread into the RestApi's `deployOptions`. Every read route
 * has a stage throttle (QUERY_ROUTE_THROTTLES). With `cache` the stage gets the smallest cache
 * cluster (0.5 GB, about $0.02 an hour) and caches `GET /realtime` and `GET /health`; without it
 * the stage has no cache cluster at all (the query function caches instead).
 */
export function queryStageOptions(cache: boolean): apigateway.StageOptions {
  const cached = (seconds: number): apigateway.MethodDeploymentOptions =>
    cache
      ? { cachingEnabled: true, cacheTtl: Duration.seconds(seconds), cacheDataEncrypted: true }
      : {};
  return {
    ...(cache ? { cacheClusterEnabled: true, cacheClusterSize: '0.5' } : {}),
    methodOptions: {
      [`${QUERY_PATHS.realtime}/GET`]: {
        ...cached(REALTIME_CACHE_SECONDS),
        ...throttle('realtime'),
      },
      // Pages of live sessions change with every event: never cached.
      [`${QUERY_PATHS.sessionsActive}/GET`]: throttle('sessionsActive'),
      [`${QUERY_PATHS.health}/GET`]: {
        // With the cache, one entry for everyone: an unauthenticated caller cannot turn /health
        // into Lambda invocations faster than one per HEALTH_CACHE_SECONDS; without it, the
        // throttle is the bound.
        ...cached(HEALTH_CACHE_SECONDS),
        ...throttle('health'),
      },
    },
  };
}

/** The stage settings with the cache cluster on (the default stage). */
export const QUERY_STAGE_OPTIONS = queryStageOptions(true);

export interface QueryApiProps {
  /** The REST API to add the routes to (the ingest API's). */
  readonly api: apigateway.RestApi;
  readonly activeSessionsTable: dynamodb.ITable;
  /** Per-site, per-minute counters (written by the rollup function) that answer GET /realtime. */
  readonly realtimeRollupsTable: dynamodb.ITable;
  readonly readTokensTable: dynamodb.ITable;
  /** Shards of ActiveSessions (`${siteId}#${shard}`), as the consumer writes them. */
  readonly activeSessionShards: number;
  /**
   * Sites with their own ActiveSessions shards and rollup keys (README "Scale"); every other
   * site has `activeSessionShards`. Writers and readers get the same JSON in their env.
   * @default {} (none)
   */
  readonly siteShards?: Readonly<Record<string, SiteShards>>;
  /**
   * Origin of the dashboard (e.g. `https://d111.cloudfront.net`) allowed by CORS.
   * @default - no CORS (the dashboard is served from the API's origin)
   */
  readonly dashboardOrigin?: string;
  /**
   * How long API Gateway caches an authorizer decision per token and site.
   * @default Duration.seconds(AUTHORIZER_CACHE_SECONDS) (60 s)
   */
  readonly authorizerCacheTtl?: Duration;
  /**
   * Retention of the functions' logs.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Code of the query function.
   * @default { kind: 'bundle' } (handlers/query/index.ts)
   */
  readonly queryCode?: FunctionCode;
  /**
   * Code of the authorizer function.
   * @default { kind: 'bundle' } (handlers/authorizer/index.ts)
   */
  readonly authorizerCode?: FunctionCode;
  /**
   * Reserved concurrency of the query and authorizer functions: a cap, so a read flood cannot
   * take the account's concurrency from the ingest path.
   * @default undefined (unreserved)
   */
  readonly queryReservedConcurrency?: number;
  readonly authorizerReservedConcurrency?: number;
  /**
   * Whether the REST API's stage has the cache cluster (`queryStageOptions(true)`); false: the
   * query function caches `/realtime` answers itself (module header).
   * @default true
   */
  readonly stageCache?: boolean;
}

export const QUERY_ENTRY = join(__dirname, '..', '..', 'handlers', 'query', 'index.ts');
export const AUTHORIZER_ENTRY = join(__dirname, '..', '..', 'handlers', 'authorizer', 'index.ts');

export class QueryApi extends Construct {
  readonly queryFunction: lambda.Function;
  readonly authorizerFunction: lambda.Function;
  /** The aliases `live` the API integrations invoke, with their canary deployment groups. */
  readonly queryLive: LiveAlias;
  readonly authorizerLive: LiveAlias;
  readonly authorizer: apigateway.RequestAuthorizer;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    if (!Number.isInteger(props.activeSessionShards) || props.activeSessionShards < 1) {
      throw new RangeError(
        `activeSessionShards is ${props.activeSessionShards} (expected an integer from 1 to 64)`,
      );
    }
    const stageCache = props.stageCache ?? true;
    const stage = props.api.deploymentStage;
    const cfnStage = stage.node.defaultChild as apigateway.CfnStage;
    if ((cfnStage.cacheClusterEnabled === true) !== stageCache) {
      throw new Error(
        `REST API ${props.api.node.path} stage cache disagrees with stageCache ${String(stageCache)} ` +
          `(cacheClusterEnabled is ${String(cfnStage.cacheClusterEnabled)}; expected ` +
          `${stageCache ? 'true' : 'not true'}): spread queryStageOptions(${String(stageCache)}) into its deployOptions`,
      );
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    const query = bundledFunction(this, 'QueryFunction', {
      memorySize: FUNCTION_TUNING.query.memoryMb,
      timeout: Duration.seconds(FUNCTION_TUNING.query.timeoutSeconds),
      entry: QUERY_ENTRY,
      code: props.queryCode ?? { kind: 'bundle' },
      description: 'LiveInsight realtime query API (GET /realtime, /sessions/active, /health)',
      environment: {
        [ENV.activeSessionsTable]: props.activeSessionsTable.tableName,
        [ENV.realtimeRollupsTable]: props.realtimeRollupsTable.tableName,
        [ENV.activeSessionShards]: String(props.activeSessionShards),
        [ENV.siteShards]: JSON.stringify(props.siteShards ?? {}),
        // The function caches /realtime itself only when no stage cache is in front of it.
        [ENV.realtimeCacheMs]: String(stageCache ? 0 : REALTIME_CACHE_SECONDS * 1000),
        ...(props.dashboardOrigin === undefined
          ? {}
          : { [ENV.dashboardOrigin]: props.dashboardOrigin }),
      },
      logRetention,
      reservedConcurrentExecutions: props.queryReservedConcurrency,
    });
    this.queryFunction = query.function;
    this.queryLive = query.live;
    // Least privilege: Query (never Scan) and DescribeTable for /health.
    props.activeSessionsTable.grant(this.queryFunction, 'dynamodb:Query', 'dynamodb:DescribeTable');
    // GET /realtime reads a site's recent minute buckets with one Query.
    props.realtimeRollupsTable.grant(this.queryFunction, 'dynamodb:Query');

    const authorizer = bundledFunction(this, 'AuthorizerFunction', {
      memorySize: FUNCTION_TUNING.authorizer.memoryMb,
      timeout: Duration.seconds(FUNCTION_TUNING.authorizer.timeoutSeconds),
      entry: AUTHORIZER_ENTRY,
      code: props.authorizerCode ?? { kind: 'bundle' },
      description: 'LiveInsight read-token authorizer of the query API',
      environment: { [ENV.readTokensTable]: props.readTokensTable.tableName },
      logRetention,
      reservedConcurrentExecutions: props.authorizerReservedConcurrency,
    });
    this.authorizerFunction = authorizer.function;
    this.authorizerLive = authorizer.live;
    props.readTokensTable.grant(this.authorizerFunction, 'dynamodb:GetItem');

    this.authorizer = new apigateway.RequestAuthorizer(this, 'ReadTokenAuthorizer', {
      handler: this.authorizerLive.alias,
      identitySources: [
        apigateway.IdentitySource.header('Authorization'),
        apigateway.IdentitySource.queryString('siteId'),
      ],
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.seconds(AUTHORIZER_CACHE_SECONDS),
    });

    // The authorizer's 401 (no usable token); see infra/api/query-api-spec.ts for why. The
    // IngestApi on the same REST API already adds this very response (one per API).
    if (props.api.node.tryFindChild('GatewayResponseUNAUTHORIZED') === undefined)
      props.api.addGatewayResponse('GatewayResponseUNAUTHORIZED', {
        type: apigateway.ResponseType.UNAUTHORIZED,
        statusCode: String(UNAUTHORIZED_RESPONSE.statusCode),
        responseHeaders: Object.fromEntries(
          Object.entries(unauthorizedHeaders()).map(([name, value]) => [
            name,
            value.kind === 'static' ? `'${value.value}'` : `method.request.header.${value.name}`,
          ]),
        ),
        templates: { 'application/json': unauthorizedTemplate() },
      });

    const cors: apigateway.CorsOptions | undefined =
      props.dashboardOrigin === undefined
        ? undefined
        : {
            allowOrigins: [props.dashboardOrigin],
            allowMethods: ['GET', 'OPTIONS'],
            allowHeaders: ['Authorization'],
            maxAge: Duration.minutes(10),
          };
    const resource = (path: string): apigateway.Resource => {
      const created = props.api.root.resourceForPath(path);
      if (cors !== undefined) created.addCorsPreflight(cors);
      return created;
    };
    const authorized: apigateway.MethodOptions = {
      authorizer: this.authorizer,
      authorizationType: apigateway.AuthorizationType.CUSTOM,
      // Usage-plan API keys identify ingest callers; reads authenticate with the token instead.
      apiKeyRequired: false,
    };

    const realtime = resource(QUERY_PATHS.realtime).addMethod(
      'GET',
      new apigateway.LambdaIntegration(
        this.queryLive.alias,
        stageCache ? { cacheKeyParameters: [...REALTIME_CACHE_KEYS] } : {},
      ),
      {
        ...authorized,
        requestParameters: Object.fromEntries(REALTIME_CACHE_KEYS.map((key) => [key, true])),
      },
    );
    const sessionsActive = resource(QUERY_PATHS.sessionsActive).addMethod(
      'GET',
      new apigateway.LambdaIntegration(this.queryLive.alias),
      authorized,
    );
    const health = resource(QUERY_PATHS.health).addMethod(
      'GET',
      new apigateway.LambdaIntegration(this.queryLive.alias),
      { authorizationType: apigateway.AuthorizationType.NONE, apiKeyRequired: false },
    );

    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    for (const read of [realtime, sessionsActive]) {
      Validations.of(read).acknowledge({
        id: 'AwsSolutions::AwsSolutions-COG4',
        reason:
          'Reads authenticate with a per-site read token checked by a Lambda REQUEST authorizer (cached per token and site); site owners are not Cognito users.',
      });
    }
    const healthBound = stageCache
      ? `the stage caches its answer ${HEALTH_CACHE_SECONDS} s for every caller and throttles it to ${QUERY_ROUTE_THROTTLES.health.rateLimit} rps (queryStageOptions)`
      : `the stage throttles it to ${QUERY_ROUTE_THROTTLES.health.rateLimit} rps (burst ${QUERY_ROUTE_THROTTLES.health.burstLimit}; queryStageOptions, no stage cache) and the function answers from its own ${HEALTH_CACHE_SECONDS} s cache, so DynamoDB sees at most one DescribeTable per instance per ${HEALTH_CACHE_SECONDS} s`;
    const publicHealth = `GET /health is a liveness check for load balancers and monitors: it answers no site data; ${healthBound}.`;
    Validations.of(health).acknowledge({
      id: 'AwsSolutions::AwsSolutions-APIG4',
      reason: publicHealth,
    });
    Validations.of(health).acknowledge({
      id: 'AwsSolutions::AwsSolutions-COG4',
      reason: publicHealth,
    });
    if (cors !== undefined) {
      for (const path of Object.values(QUERY_PATHS)) {
        const preflight = props.api.root.resourceForPath(path).node.tryFindChild('OPTIONS');
        if (preflight === undefined) continue;
        const reason =
          'CORS preflights carry no credentials (Fetch standard); the MOCK integration answers headers only.';
        Validations.of(preflight).acknowledge({ id: 'AwsSolutions::AwsSolutions-APIG4', reason });
        Validations.of(preflight).acknowledge({ id: 'AwsSolutions::AwsSolutions-COG4', reason });
      }
    }
  }
}
