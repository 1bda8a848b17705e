/**
 * The query API and the live dashboard as pieces of `npm start` (localstack/start.ts):
 *
 *   const routes = queryPartRoutes(product);                   // GET /realtime, /sessions/active,
 *   const edge = await startEdgePart(product, { port, routes }); // /health, /dashboard/…
 *   const readToken = await issueLocalReadToken(product, 'demo-shop');
 *   print(dashboardUrl(edge.edge.url, 'demo-shop', readToken));
 *
 * Read tokens live in the ReadTokens table (hashed), as on AWS; DynamoDB Local in memory loses
 * them on restart, so `npm start` issues the demo token anew each time it starts.
 */
import { issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import type { Route } from '../edge/router';
import type { LocalProduct } from '../local-product';
import { dashboardRoutes } from './dashboard-routes';
import { queryRoutes } from './query-routes';

export { dashboardUrl } from './dashboard-path';

type ProductParts = Pick<LocalProduct, 'clients' | 'resources'>;

export interface QueryPartOptions {
  /** Stage cache of GET /realtime in ms (default 3,000 as deployed; 0 = off). */
  readonly realtimeCacheTtlMs?: number;
  readonly logError?: (error: unknown, requestId: string) => void;
}

/** Query API and dashboard routes for the product's edge. */
export function queryPartRoutes(product: ProductParts, options: QueryPartOptions = {}): Route[] {
  return [
    ...queryRoutes({
      dynamodb: product.clients.dynamodb,
      activeSessionsTable: product.resources.names.tables.activeSessions,
      realtimeRollupsTable: product.resources.names.tables.realtimeRollups,
      readTokensTable: product.resources.names.tables.readTokens,
      activeSessionShards: product.resources.activeSessionShards,
      ...(options.realtimeCacheTtlMs === undefined
        ? {}
        : { realtimeCacheTtlMs: options.realtimeCacheTtlMs }),
      ...(options.logError === undefined ? {} : { logError: options.logError }),
    }),
    ...dashboardRoutes(),
  ];
}

/** A new read token for a site of the local product (shown once; only its hash is stored). */
export function issueLocalReadToken(
  product: ProductParts,
  siteId: string,
  label = 'npm start',
): Promise<string> {
  return issueReadToken(
    product.clients.dynamodb,
    product.resources.names.tables.readTokens,
    siteId,
    {
      nowMs: Date.now(),
      label,
    },
  );
}
