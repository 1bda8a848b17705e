/**
 * The query API and the live dashboard as pieces of `npm start` (localstack/start.ts):
 *
 *   const routes = queryPartRoutes(product);                   // GET /realtime, /sessions/active,
 *   const edge = await startEdgePart(product, { port, routes }); // /health, /dashboard/…
 *   const { tokens } = await keepDemoReadTokens(product, ['demo-shop']); // read-tokens-kept.ts
 *   print(dashboardUrl(edge.edge.url, 'demo-shop', tokens.get('demo-shop')));
 *
 * Read tokens live in the ReadTokens table (hashed), as on AWS; `npm start` keeps the demo
 * sites' tokens in the state dir and uses the same ones on every start (read-tokens-kept.ts).
 */
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
