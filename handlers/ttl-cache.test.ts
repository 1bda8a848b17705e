import { createTtlCache } from './ttl-cache';

function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('createTtlCache', () => {
  it('serves a value for ttl ms after it was computed, then computes again', async () => {
    let now = 0;
    let computed = 0;
    const cache = createTtlCache<number>({ ttlMs: 3_000, clock: () => now });
    const compute = () => Promise.resolve(++computed);

    expect(await cache.get('a', compute)).toBe(1);
    now = 2_999;
    expect(await cache.get('a', compute)).toBe(1);
    now = 3_000;
    expect(await cache.get('a', compute)).toBe(2);
    expect(await cache.get('b', compute)).toBe(3);
  });

  it('lets concurrent callers of one key share one computation', async () => {
    const cache = createTtlCache<string>({ ttlMs: 3_000 });
    const pending = deferred<string>();
    let calls = 0;
    const compute = () => {
      calls += 1;
      return pending.promise;
    };

    const both = Promise.all([cache.get('k', compute), cache.get('k', compute)]);
    pending.resolve('v');

    expect(await both).toEqual(['v', 'v']);
    expect(calls).toBe(1);
  });

  it('does not keep a failure', async () => {
    const cache = createTtlCache<string>({ ttlMs: 3_000 });

    await expect(cache.get('k', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await cache.get('k', () => Promise.resolve('ok'))).toBe('ok');
  });

  it('computes every time when ttl is 0', async () => {
    const cache = createTtlCache<number>({ ttlMs: 0 });
    let n = 0;

    await cache.get('k', () => Promise.resolve(++n));
    await cache.get('k', () => Promise.resolve(++n));

    expect(n).toBe(2);
    expect(cache.size).toBe(0);
  });
});
