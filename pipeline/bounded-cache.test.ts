import { BoundedCache } from './bounded-cache';
import { PipelineArgumentError } from './errors';

describe('BoundedCache', () => {
  it('never holds more than its capacity', () => {
    const cache = new BoundedCache<number, number>(10);

    for (let i = 0; i < 1_000; i += 1) cache.set(i, i);

    expect(cache.size).toBeLessThanOrEqual(10);
    expect(cache.get(999)).toBe(999);
  });

  it('keeps entries that are read (approximately least-recently-used eviction)', () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set('hot', 1);

    for (let i = 0; i < 100; i += 1) {
      cache.set(`cold-${i}`, i);
      expect(cache.get('hot')).toBe(1);
    }
  });

  it('evicts entries that are not read during a whole generation', () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set('once', 1);

    for (let i = 0; i < 4; i += 1) cache.set(`other-${i}`, i);

    expect(cache.get('once')).toBeUndefined();
  });

  it('computes a missing value once', () => {
    const cache = new BoundedCache<string, number>(4);
    let calls = 0;
    const compute = () => {
      calls += 1;
      return 42;
    };

    expect(cache.getOrCompute('k', compute)).toBe(42);
    expect(cache.getOrCompute('k', compute)).toBe(42);
    expect(calls).toBe(1);
  });

  it('overwrites a value in place', () => {
    const cache = new BoundedCache<string, number>(4);
    cache.set('k', 1);
    cache.set('k', 2);

    expect(cache.get('k')).toBe(2);
    expect(cache.size).toBe(1);
  });

  it.each([0, 1, 2.5])('refuses capacity %p', (capacity) => {
    expect(() => new BoundedCache(capacity)).toThrow(PipelineArgumentError);
  });
});
