/**
 * API Gateway's throttling algorithm: a token bucket of `burstLimit` tokens refilled at
 * `rateLimit` tokens per second, one token per request, starting full. Pure: time comes in.
 */
import type { ThrottleSpec } from '../../infra/api/ingest-api-spec';

export type TakeResult =
  | { readonly ok: true }
  | {
      readonly ok: false;
      /** When one token will be there again. */ readonly retryAfterMs: number;
    };

export class TokenBucket {
  private tokens: number;
  private updatedAt: number;

  constructor(
    private readonly spec: ThrottleSpec,
    now: number,
  ) {
    if (!(spec.rateLimit > 0) || !(spec.burstLimit >= 1)) {
      throw new RangeError(
        `Throttle ${JSON.stringify(spec)} is invalid (expected rateLimit > 0 and burstLimit >= 1)`,
      );
    }
    this.tokens = spec.burstLimit;
    this.updatedAt = now;
  }

  take(now: number): TakeResult {
    this.refill(now);
    if (this.tokens >= 1) {
      this.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterMs: Math.ceil(((1 - this.tokens) / this.spec.rateLimit) * 1000) };
  }

  /** Tokens available now (for tests and diagnostics). */
  available(now: number): number {
    this.refill(now);
    return this.tokens;
  }

  private refill(now: number): void {
    // A clock that steps back adds nothing rather than removing tokens.
    const elapsed = Math.max(0, now - this.updatedAt);
    this.tokens = Math.min(
      this.spec.burstLimit,
      this.tokens + (elapsed / 1000) * this.spec.rateLimit,
    );
    this.updatedAt = Math.max(now, this.updatedAt);
  }
}
