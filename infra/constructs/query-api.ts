/**
 * The realtime query API on an existing REST API: `GET /realtime`, `GET /sessions/active` (both
 * behind a Lambda REQUEST authorizer that checks the site's read token) and `GET /health`.
 *
 * Caching: the authorizer's decision is cached per (Authorization, siteId) — both are identity
 * sources, so a cached Allow for site A never serves site B — and `GET /realtime` answers are
 * cached by the stage for 3 s keyed by siteId and Authorization. Stage caching is a property of
 * the stage, which the REST API's owner creates: spread {@link QUERY_STAGE_OPTIONS} into the
 * RestApi's `deployOptions` (the constructor checks that it was).
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { ENV } from '../../handlers/env-names';
import { QUERY_PATHS } from '../../handlers/query/query-api';
import {
  AUTHORIZER_CACHE_SECONDS,
  REALTIME_CACHE_SECONDS,
  unauthorizedHeaders,
  unauthorizedTemplate,
  UNAUTHORIZED_RESPONSE,
} from '../api/query-api-spec';

const REALTIME_CACHE_KEYS = [
  'method.request.querystring.siteId',
  'method.request.header.Authorization',
] as const;

/**
 * Stage settings the query API needs; spread into the RestApi's `deployOptions`. The 0.5 GB
 * cache cluster is the smallest (about $0.02 an hour); only `GET /realtime` uses it.
 */
export const QUERY_STAGE_OPTIONS = {
  cacheClusterEnabled: true,
  cacheClusterSize: '0.5',
  methodOptions: {
    [`${QUERY_PATHS.realtime}/GET`]: {
      cachingEnabled: true,
      cacheTtl: Duration.seconds(REALTIME_CACHE_SECONDS),
      cacheDataEncrypted: true,
    },
  },
} as const satisfies apigateway.StageOptions;

export interface QueryApiProps {
  /** The REST API to add the routes to (the ingest API's). */
  readonly api: apigateway.RestApi;
  readonly activeSessionsTable: dynamodb.ITable;
  readonly readTokensTable: dynamodb.ITable;
  /** Shards of ActiveSessions (`${siteId}#${shard}`), as the consumer writes them. */
  readonly activeSessionShards: number;
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
}

const REPO_ROOT = join(__dirname, '..', '..');

/** Node 22 on AWS; bundles target node20 so the same code runs on the local Node 20. */
function handlerFunction(
  scope: Construct,
  id: string,
  entry: string,
  description: string,
  environment: Record<string, string>,
  logRetention: logs.RetentionDays,
): nodejs.NodejsFunction {
  return new nodejs.NodejsFunction(scope, id, {
    entry: join(REPO_ROOT, entry),
    handler: 'handler',
    description,
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.ARM_64,
    memorySize: 512,
    timeout: Duration.seconds(10),
    environment,
    projectRoot: REPO_ROOT,
    depsLockFilePath: join(REPO_ROOT, 'package-lock.json'),
    bundling: {
      target: 'node20',
      format: nodejs.OutputFormat.CJS,
      minify: true,
      sourceMap: true,
      // The SDK is bundled: versions pinned by the lockfile, not whatever the runtime ships.
      externalModules: [],
    },
    logGroup: new logs.LogGroup(scope, `${id}Logs`, { retention: logRetention }),
  });
}

export class QueryApi extends Construct {
  readonly queryFunction: nodejs.NodejsFunction;
  readonly authorizerFunction: nodejs.NodejsFunction;
  readonly authorizer: apigateway.RequestAuthorizer;

  constructor(scope: Construct, id: string, props: QueryApiProps) {
    super(scope, id);
    if (!Number.isInteger(props.activeSessionShards) || props.activeSessionShards < 1) {
      throw new RangeError(
        `activeSessionShards is ${props.activeSessionShards} (expected an integer from 1 to 64)`,
      );
    }
    const stage = props.api.deploymentStage;
    const cfnStage = stage.node.defaultChild as apigateway.CfnStage;
    if (cfnStage.cacheClusterEnabled !== true) {
      throw new Error(
        `REST API ${props.api.node.path} has no stage cache (cacheClusterEnabled is ` +
          `${String(cfnStage.cacheClusterEnabled)}; expected true): spread QUERY_STAGE_OPTIONS into its deployOptions`,
      );
    }
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;

    this.queryFunction = handlerFunction(
      this,
      'QueryFunction',
      'handlers/query/index.ts',
      'LiveInsight realtime query API (GET /realtime, /sessions/active, /health)',
      {
        [ENV.activeSessionsTable]: props.activeSessionsTable.tableName,
        [ENV.activeSessionShards]: String(props.activeSessionShards),
        // Read by the config's query reader; the query API does not read Sessions yet.
        [ENV.sessionsTable]: 'unused',
        ...(props.dashboardOrigin === undefined
          ? {}
          : { [ENV.dashboardOrigin]: props.dashboardOrigin }),
      },
      logRetention,
    );
    // Least privilege: Query (never Scan) and DescribeTable for /health.
    props.activeSessionsTable.grant(this.queryFunction, 'dynamodb:Query', 'dynamodb:DescribeTable');

    this.authorizerFunction = handlerFunction(
      this,
      'AuthorizerFunction',
      'handlers/authorizer/index.ts',
      'LiveInsight read-token authorizer of the query API',
      { [ENV.readTokensTable]: props.readTokensTable.tableName },
      logRetention,
    );
    props.readTokensTable.grant(this.authorizerFunction, 'dynamodb:GetItem');

    this.authorizer = new apigateway.RequestAuthorizer(this, 'ReadTokenAuthorizer', {
      handler: this.authorizerFunction,
      identitySources: [
        apigateway.IdentitySource.header('Authorization'),
        apigateway.IdentitySource.queryString('siteId'),
      ],
      resultsCacheTtl: props.authorizerCacheTtl ?? Duration.seconds(AUTHORIZER_CACHE_SECONDS),
    });

    // The authorizer's 401 (no usable token); see infra/api/query-api-spec.ts for why.
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

    resource(QUERY_PATHS.realtime).addMethod(
      'GET',
      new apigateway.LambdaIntegration(this.queryFunction, {
        cacheKeyParameters: [...REALTIME_CACHE_KEYS],
      }),
      {
        ...authorized,
        requestParameters: Object.fromEntries(REALTIME_CACHE_KEYS.map((key) => [key, true])),
      },
    );
    resource(QUERY_PATHS.sessionsActive).addMethod(
      'GET',
      new apigateway.LambdaIntegration(this.queryFunction),
      authorized,
    );
    resource(QUERY_PATHS.health).addMethod(
      'GET',
      new apigateway.LambdaIntegration(this.queryFunction),
      { authorizationType: apigateway.AuthorizationType.NONE, apiKeyRequired: false },
    );
  }
}
