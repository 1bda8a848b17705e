/**
 * The authorizer result cache of the local edge, as API Gateway keeps it for a REQUEST authorizer
 * with a TTL: one answer per identity-source value (the `?key=`), Allow and Deny alike, reused
 * until the TTL has passed; a failed call (the registry could not be read) is not cached. The TTL
 * is the deployed one (AUTHORIZER_CACHE_TTL_SECONDS), so a revocation takes as long locally as
 * on AWS; tests shorten it through the edge's `authorizerCacheTtlMs` option.
 *
 * A call that does not answer within the authorizer function's timeout fails, as the Lambda would
 * be stopped at its timeout and API Gateway answer 500 (AUTHORIZER_FAILURE): a registry that hangs
 * (DynamoDB unreachable) must not hold POST /events open without bound.
 */
import { AUTHORIZER_CACHE_TTL_SECONDS } from '../../infra/api/ingest-api-spec';
import { deadlineFrom, withinDeadline } from '../../handlers/adapters/deadline';
import { FUNCTION_TUNING } from '../../infra/resources';
import { BoundedCache } from '../../pipeline/bounded-cache';
import {
  type IngestAuthorization,
  type RegistryReader,
  authorizeIngestKey,
} from '../../pipeline/ingest-authorization';

export const DEFAULT_AUTHORIZER_CACHE_TTL_MS = AUTHORIZER_CACHE_TTL_SECONDS * 1000;

/** The deployed ingest authorizer's timeout (FUNCTION_TUNING). */
export const AUTHORIZER_TIMEOUT_MS = FUNCTION_TUNING.ingestAuthorizer.timeoutSeconds * 1000;

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
    private readonly timeoutMs: number = AUTHORIZER_TIMEOUT_MS,
  ) {}

  /** The cached answer for `key`, or the authorizer's (then cached); throws when it fails. */
  async authorize(key: string): Promise<IngestAuthorization> {
    const now = this.clock();
    const cached = this.entries.get(key);
    if (cached !== undefined && cached.expiresAt > now) return cached.answer;
    // Real time, not the cache's clock (tests move that one): the Lambda's timeout is wall time.
    const deadline = deadlineFrom(this.timeoutMs, { reserveFraction: 0, minReserveMs: 0 });
    const answer = await withinDeadline(deadline, 'the ingest authorizer (registry read)', () =>
      authorizeIngestKey(key, this.registry),
    );
    if (this.ttlMs > 0) this.entries.set(key, { answer, expiresAt: now + this.ttlMs });
    return answer;
  }
}
