/**
 * A small router for the local edge: exact paths per method, so the ingest API, the query API
 * and the dashboard (later issues) mount on one server. Requests reach handlers with the body
 * already read (up to the edge's limit) and the facts API Gateway would know about them.
 */

export interface EdgeRequest {
  readonly method: string;
  /** Path without the query string, e.g. `/events`. */
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Lowercased names; repeated headers joined with `, `. */
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
  readonly sourceIp: string;
  /** Epoch ms when the request arrived (`$context.requestTimeEpoch`). */
  readonly receivedAt: number;
  /** A UUID per request (`$context.requestId`, header x-amzn-RequestId). */
  readonly requestId: string;
  readonly protocol: string;
}

export interface EdgeResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | Buffer;
}

export type RouteHandler = (request: EdgeRequest) => Promise<EdgeResponse>;

export interface Route {
  readonly method: string;
  readonly path: string;
  readonly handler: RouteHandler;
}

export class RouteConflictError extends Error {
  override readonly name = 'RouteConflictError';
}

export class EdgeRouter {
  private readonly routes = new Map<string, Map<string, RouteHandler>>();

  add(route: Route): this {
    const method = route.method.toUpperCase();
    const byMethod = this.routes.get(route.path) ?? new Map<string, RouteHandler>();
    if (byMethod.has(method)) {
      throw new RouteConflictError(`${method} ${route.path} is already mounted on the edge`);
    }
    byMethod.set(method, route.handler);
    this.routes.set(route.path, byMethod);
    return this;
  }

  mount(routes: readonly Route[]): this {
    for (const route of routes) this.add(route);
    return this;
  }

  /** The methods mounted on a path (for `Allow`); undefined when the path is unknown. */
  methodsOf(path: string): readonly string[] | undefined {
    const byMethod = this.routes.get(path);
    return byMethod === undefined ? undefined : [...byMethod.keys()];
  }

  /** The handler for method and path; undefined when none (API Gateway: no such resource). */
  find(method: string, path: string): RouteHandler | undefined {
    return this.routes.get(path)?.get(method.toUpperCase());
  }
}
