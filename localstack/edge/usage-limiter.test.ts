import { USAGE_PLAN_TIERS } from '../../infra/api/ingest-api-spec';
import { UsageLimiter, type UsageLimits } from './usage-limiter';

const LIMITS: UsageLimits = {
  tiers: {
    ...USAGE_PLAN_TIERS,
    starter: { description: 'test', throttle: { rateLimit: 1, burstLimit: 2 }, quotaPerDay: 3 },
    standard: {
      description: 'test',
      throttle: { rateLimit: 100, burstLimit: 100 },
      quotaPerDay: 1000,
    },
  },
  methodThrottle: { rateLimit: 1, burstLimit: 4 },
};

describe('UsageLimiter', () => {
  it('throttles each key by its tier', () => {
    const limiter = new UsageLimiter(LIMITS, 0);

    const a = [0, 0, 0].map(() => limiter.admit('a', 'starter', 0).kind);
    const b = limiter.admit('b', 'starter', 0).kind;

    expect(a).toEqual(['admitted', 'admitted', 'throttled']);
    expect(b).toBe('admitted');
  });

  it('throttles the method across all keys after the per-key limits', () => {
    const limiter = new UsageLimiter(LIMITS, 0);

    const kinds = ['a', 'b', 'c', 'd', 'e'].map((key) => limiter.admit(key, 'standard', 0));

    expect(kinds.map((k) => k.kind)).toEqual([
      'admitted',
      'admitted',
      'admitted',
      'admitted',
      'throttled',
    ]);
    expect(kinds[4]).toEqual({ kind: 'throttled', scope: 'method', retryAfterMs: 1000 });
  });

  it('refuses a key over its daily quota until the next UTC day', () => {
    const limiter = new UsageLimiter(LIMITS, 0);
    const day = 86_400_000;
    const times = [0, 1000, 2000, 3000];

    const kinds = times.map((t) => limiter.admit('a', 'starter', t));

    expect(kinds.map((k) => k.kind)).toEqual([
      'admitted',
      'admitted',
      'admitted',
      'quota-exceeded',
    ]);
    expect(kinds[3]).toEqual({ kind: 'quota-exceeded', resetsAt: day });
    expect(limiter.admit('a', 'starter', day + 10_000).kind).toBe('admitted');
  });

  it('does not count throttled requests against the quota', () => {
    const limiter = new UsageLimiter(
      { ...LIMITS, methodThrottle: { rateLimit: 1000, burstLimit: 1000 } },
      0,
    );
    for (let i = 0; i < 10; i++) limiter.admit('a', 'starter', 0);

    expect(limiter.admit('a', 'starter', 1000).kind).toBe('admitted');
  });
});
