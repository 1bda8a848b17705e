/**
 * The authorizer result cache of the local edge, as API Gateway keeps it for a REQUEST authorizer
 * with a TTL: one answer per identity-source value (the `?key=`), Allow and Deny alike, reused
 * until the TTL has passed; a failed call (the registry could not be read) is not cached. The TTL
 * is the deployed one (AUTHORIZER_CACHE_TTL_SECONDS), so a revocation takes as long locally as
 * on AWS; tests shorten it through the edge's `authorizerCacheTtlMs` option.
 */
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../infra/api/ingest-api-spec';
import { BoundedCache } from '../../pipeline/bounded-cache';
import {
  type IngestAuthorization,
  type RegistryReader,
  authorizeIngestKey,
} from '../../pipeline/ingest-authorization';

export const DEFAULT_AUTHORIZER_CACHE_TTL_MS = AUTHORIZER_CACHE_TTL_SECONDS * 1000;

/** Keys held at once: a flood of guessed keys evicts old answers instead of growing memory. */
const CACHE_CAPACITY = 10_000;

interface Entry {
  readonly answer: IngestAuthorization;
  readonly expiresAt: number;
}

export class AuthorizerCache {
  private readonly entries = new BoundedCache<string, Entry>(CACHE_CAPACITY);

  constructor(
    private readonly registry: RegistryReader,
    private readonly ttlMs: number = DEFAULT_AUTHORIZER_CACHE_TTL_MS,
    private readonly clock: () => number = Date.now,
  ) {}

  /** The cached answer for `key`, or the authorizer's (then cached); throws when it fails. */
  async authorize(key: string): Promise<IngestAuthorization> {
    const now = this.clock();
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.answer;
    const answer = await authorizeIngestKey(key, this.registry);
    if (this.ttlMs > 0) this.entries.set(key, { answer, expiresAt: now + this.ttlMs });
    return answer;
  }
}
