/**
 * Lambda entry of the query API (REST API proxy integration): API Gateway event → query API →
 * proxy result. The authorizer's `context.siteId` says which site the token was granted for.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { rollupKeysOf } from '../../schemas/shard-plan';
import { createAwsClients } from '../aws-clients';
import { readQueryConfig } from '../config';
import { createActiveSessionsReader } from './active-sessions-reader';
import { createQueryApi, type QueryApi, type QueryRequest } from './query-api';
import { createRollupReader } from './rollup-reader';

let api: QueryApi | undefined;

/** Config is read and clients made once per process, on the first invocation. */
function apiOnce(): QueryApi {
  if (api === undefined) {
    const config = readQueryConfig();
    const clients = createAwsClients(config.aws);
    api = createQueryApi({
      reader: createActiveSessionsReader({
        dynamodb: clients.dynamodb,
        tableName: config.activeSessionsTable,
      }),
      rollups: createRollupReader({
        dynamodb: clients.dynamodb,
        tableName: config.realtimeRollupsTable,
        rollupKeysOf: (siteId) => rollupKeysOf(config.shardPlan, siteId),
      }),
      shardCount: config.shardPlan,
      // 0 when API Gateway's stage cache (3 s, keyed by siteId + token) sits in front of this
      // function; 3,000 on a stage without it (infra/constructs/query-api.ts sets the variable).
      realtimeCacheTtlMs: config.realtimeCacheMs,
      ...(config.dashboardOrigin === undefined ? {} : { allowedOrigin: config.dashboardOrigin }),
    });
  }
  return api;
}

export function toQueryRequest(event: APIGatewayProxyEvent): QueryRequest {
  const granted: unknown = event.requestContext.authorizer?.['siteId'];
  return {
    method: event.httpMethod,
    // `resource` is the route template without stage or base path, e.g. `/realtime`.
    path: event.resource,
    query: event.queryStringParameters ?? {},
    grantedSiteId: typeof granted === 'string' ? granted : undefined,
  };
}

export async function handler(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const response = await apiOnce()(toQueryRequest(event));
  return { statusCode: response.statusCode, headers: { ...response.headers }, body: response.body };
}
