import { TokenBucket } from './token-bucket';

describe('TokenBucket', () => {
  it('starts full: a burst of burstLimit passes, the next request waits for a refill', () => {
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, 0);

    const results = [bucket.take(0), bucket.take(0), bucket.take(0), bucket.take(0)];

    expect(results.map((r) => r.ok)).toEqual([true, true, true, false]);
    expect(results[3]).toEqual({ ok: false, retryAfterMs: 100 });
  });

  it('refills at rateLimit per second and never beyond burstLimit', () => {
    const bucket = new TokenBucket({ rateLimit: 10, burstLimit: 3 }, 0);
    for (let i = 0; i < 3; i++) bucket.take(0);

    expect(bucket.available(150)).toBeCloseTo(1.5);
    expect(bucket.available(60_000)).toBe(3);
  });

  it('passes a steady rate at the limit for as long as it lasts', () => {
    const bucket = new TokenBucket({ rateLimit: 500, burstLimit: 1 }, 0);

    const refused = Array.from({ length: 5000 }, (_, i) => bucket.take(i * 2)).filter((r) => !r.ok);

    expect(refused).toHaveLength(0);
  });

  it('adds nothing when the clock steps back', () => {
    const bucket = new TokenBucket({ rateLimit: 1, burstLimit: 1 }, 1000);
    bucket.take(1000);

    expect(bucket.take(500).ok).toBe(false);
  });

  it('names an invalid throttle', () => {
    expect(() => new TokenBucket({ rateLimit: 0, burstLimit: 1 }, 0)).toThrow(/rateLimit > 0/);
  });
});
