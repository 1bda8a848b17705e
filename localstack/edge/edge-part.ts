/**
 * The local edge as a part of `npm start` (localstack/local-product.ts): serves the ingest API
 * (and whatever routes later parts mount) on the configured port, writing to the product's
 * events stream through the one AWS endpoint, its ingest keys checked against the product's
 * registry table (the demo sites are seeded there by localstack/bootstrap/demo-sites.ts).
 */
import { dynamoRegistryReader } from '../../handlers/adapters/dynamo-registry-reader';
import type { LocalPart, LocalProduct } from '../local-product';
import type { Route } from './router';
import { type RunningEdge, startEdge } from './server';

export interface EdgePartOptions {
  /** LIVEINSIGHT_EDGE_PORT (default 3000). */
  readonly port: number;
  /** More routes on the same server (query API, dashboard). */
  readonly routes?: readonly Route[];
  /** Access-log lines; off unless given (one line per request is noise at demo rates). */
  readonly accessLog?: (line: string) => void;
}

export interface EdgePart extends LocalPart {
  readonly edge: RunningEdge;
}

export async function startEdgePart(
  product: LocalProduct,
  options: EdgePartOptions,
): Promise<EdgePart> {
  const edge = await startEdge({
    port: options.port,
    streamName: product.resources.names.eventsStream,
    aws: { endpoint: product.endpoint, region: product.region },
    registry: dynamoRegistryReader(
      product.clients.dynamodb,
      product.resources.names.tables.registry,
    ),
    ...(options.routes === undefined ? {} : { routes: options.routes }),
    ...(options.accessLog === undefined ? {} : { accessLog: options.accessLog }),
  });
  return {
    edge,
    summary: `edge      ${edge.url}  POST /events?key= → ${product.resources.names.eventsStream}`,
    stop: () => edge.stop(),
  };
}
