/**
 * Usage plans and method throttling as API Gateway applies them to a key-required method, in
 * API Gateway's order: the key's usage-plan throttle (per key), the key's daily quota, then
 * the stage's throttle of the method (shared by all keys). A request refused at one step does
 * not reach the next, and only requests that pass every step count against the quota.
 */
import {
  EVENTS_METHOD_THROTTLE,
  USAGE_PLAN_TIERS,
  type ThrottleSpec,
  type TierName,
  type UsagePlanTier,
} from '../../infra/api/ingest-api-spec';
import { TokenBucket } from './token-bucket';

export type Admission =
  | { readonly kind: 'admitted' }
  | { readonly kind: 'throttled'; readonly scope: 'key' | 'method'; readonly retryAfterMs: number }
  | { readonly kind: 'quota-exceeded'; readonly resetsAt: number };

export interface UsageLimits {
  readonly tiers: Readonly<Record<TierName, UsagePlanTier>>;
  readonly methodThrottle: ThrottleSpec;
}

export const DEFAULT_USAGE_LIMITS: UsageLimits = {
  tiers: USAGE_PLAN_TIERS,
  methodThrottle: EVENTS_METHOD_THROTTLE,
};

const DAY_MS = 86_400_000;

interface KeyState {
  readonly tier: TierName;
  readonly bucket: TokenBucket;
  day: number;
  used: number;
}

export class UsageLimiter {
  private readonly keys = new Map<string, KeyState>();
  private readonly method: TokenBucket;

  constructor(
    private readonly limits: UsageLimits,
    now: number,
  ) {
    this.method = new TokenBucket(limits.methodThrottle, now);
  }

  admit(keyId: string, tier: TierName, now: number): Admission {
    const state = this.stateOf(keyId, tier, now);
    const key = state.bucket.take(now);
    if (!key.ok) return { kind: 'throttled', scope: 'key', retryAfterMs: key.retryAfterMs };

    const day = Math.floor(now / DAY_MS);
    if (day !== state.day) {
      state.day = day;
      state.used = 0;
    }
    if (state.used >= this.limits.tiers[tier].quotaPerDay) {
      return { kind: 'quota-exceeded', resetsAt: (day + 1) * DAY_MS };
    }

    const method = this.method.take(now);
    if (!method.ok)
      return { kind: 'throttled', scope: 'method', retryAfterMs: method.retryAfterMs };
    state.used += 1;
    return { kind: 'admitted' };
  }

  private stateOf(keyId: string, tier: TierName, now: number): KeyState {
    const existing = this.keys.get(keyId);
    // A key moved to another tier starts a fresh bucket, as a new usage-plan association does.
    if (existing !== undefined && existing.tier === tier) return existing;
    const state: KeyState = {
      tier,
      bucket: new TokenBucket(this.limits.tiers[tier].throttle, now),
      day: Math.floor(now / DAY_MS),
      used: existing?.used ?? 0,
    };
    this.keys.set(keyId, state);
    return state;
  }
}
