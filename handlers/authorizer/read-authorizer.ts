/**
 * The read check with API Gateway's result cache, for the local edge: decisions are cached per
 * (siteId, token) — the authorizer's identity sources — for `ttlMs`, as a REST API caches an
 * authorizer's policy. Requests without well-formed credentials (401) need no lookup, so they
 * are answered at once and never cached.
 *
 * The cache is bounded by entries and bytes: distinct wrong tokens cost a client nothing, and
 * each 403 would otherwise stay for the whole TTL (memory and, with a sweep over every entry,
 * latency grew with them). Keys are the validated site and the token (at most 63 + 1 + 48 ASCII
 * bytes), never the raw header, so no request can make one entry large; when a flood fills the
 * cache, the least recently used decisions go first, so a token in use keeps its cached Allow.
 */
import { createTtlCache } from '../ttl-cache';
import {
  decideCredentials,
  readCredentials,
  type ReadDecision,
  type ReadRequest,
  type ReadTokenStore,
} from './decide-read';

export interface ReadAuthorizer {
  (request: ReadRequest): Promise<ReadDecision>;
  /** What the decision cache holds now, for tests and the bounds below. */
  cached(): { readonly entries: number; readonly bytes: number };
}

/**
 * The local decision cache's bounds: 10,000 decisions of at most ~250 bytes counted (key and
 * decision) stay far under 4 MiB; the byte bound is the guard should either ever grow.
 */
export const READ_AUTHORIZER_CACHE_BOUNDS = { maxEntries: 10_000, maxBytes: 4 * 1024 * 1024 };

export function createReadAuthorizer(options: {
  readonly store: ReadTokenStore;
  /** How long a decision is kept (the deployed authorizer's result TTL). */
  readonly ttlMs: number;
  readonly clock?: () => number;
  /** Bounds of the decision cache (default {@link READ_AUTHORIZER_CACHE_BOUNDS}). */
  readonly bounds?: { readonly maxEntries: number; readonly maxBytes: number };
}): ReadAuthorizer {
  const clock = options.clock ?? Date.now;
  const cache = createTtlCache<ReadDecision>({
    ttlMs: options.ttlMs,
    clock,
    ...(options.bounds ?? READ_AUTHORIZER_CACHE_BOUNDS),
    weigh: decisionBytes,
  });
  const authorize = (request: ReadRequest): Promise<ReadDecision> => {
    const credentials = readCredentials(request);
    if (credentials.kind === 'unauthorized') return Promise.resolve(credentials);
    return cache.get(`${credentials.siteId}\n${credentials.token}`, () =>
      decideCredentials(credentials, options.store, clock()),
    );
  };
  return Object.assign(authorize, {
    cached: () => ({ entries: cache.size, bytes: cache.bytes }),
  });
}

function decisionBytes(decision: ReadDecision): number {
  return Buffer.byteLength(JSON.stringify(decision), 'utf8');
}
