/**
 * The read check with API Gateway's result cache, for the local edge: decisions are cached per
 * (siteId, Authorization header) — the authorizer's identity sources — for `ttlMs`, as a REST
 * API caches an authorizer's policy. Missing credentials (401) are not looked up, so not cached.
 */
import { createTtlCache } from '../query/ttl-cache';
import {
  decideRead,
  type ReadDecision,
  type ReadRequest,
  type ReadTokenStore,
} from './decide-read';

export type ReadAuthorizer = (request: ReadRequest) => Promise<ReadDecision>;

export function createReadAuthorizer(options: {
  readonly store: ReadTokenStore;
  /** How long a decision is kept (the deployed authorizer's result TTL). */
  readonly ttlMs: number;
  readonly clock?: () => number;
}): ReadAuthorizer {
  const clock = options.clock ?? Date.now;
  const cache = createTtlCache<ReadDecision>({
    ttlMs: options.ttlMs,
    clock,
  });
  return (request) => {
    if (request.authorization === undefined || request.siteId === undefined) {
      return decideRead(request, options.store, clock());
    }
    return cache.get(`${request.siteId}\n${request.authorization}`, () =>
      decideRead(request, options.store, clock()),
    );
  };
}
