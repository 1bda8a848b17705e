import { bearerToken, generateReadToken, hashReadToken } from './read-token';

describe('read tokens', () => {
  it('are random, prefixed and stored only as a SHA-256', () => {
    const a = generateReadToken();
    const b = generateReadToken();

    expect(a).toMatch(/^lirt_[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
    expect(hashReadToken(a)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashReadToken(a)).not.toContain(a.slice(5, 15));
  });

  it('are read from a Bearer header only when well formed', () => {
    const token = generateReadToken();

    expect(bearerToken(`Bearer ${token}`)).toBe(token);
    expect(bearerToken(`bearer  ${token}`)).toBe(token);
    expect(bearerToken(token)).toBeUndefined();
    expect(bearerToken(`Basic ${token}`)).toBeUndefined();
    expect(bearerToken('Bearer pk_live_ingestkey')).toBeUndefined();
    expect(bearerToken(undefined)).toBeUndefined();
  });
});
