import { createHash } from 'node:crypto';
import {
  IngestKeyError,
  formatIngestKey,
  hashIngestKey,
  ingestKeyId,
  isWellFormedIngestKey,
  newIngestKey,
  newIngestKeySecret,
  siteOfIngestKey,
} from './ingest-key';

describe('ingest keys', () => {
  it('formats li_<site>_<secret> and reads the site back, also for sites with dashes', () => {
    const key = formatIngestKey('demo-shop', 'LocalDemoKeyNotASecret0000000000');
    expect(key).toBe('li_demo-shop_LocalDemoKeyNotASecret0000000000');
    expect(siteOfIngestKey(key)).toBe('demo-shop');
    expect(isWellFormedIngestKey(key)).toBe(true);
  });

  it.each(['', 'short', 'has_underscore_0000000000000000000', 'x'.repeat(33)])(
    'refuses the secret %j',
    (secret) => {
      expect(() => formatIngestKey('shop', secret)).toThrow(IngestKeyError);
    },
  );

  it.each(['', 'li_', 'li__abc', 'xx_shop_abc', 'li_shop'])('finds no site in %j', (key) => {
    expect(siteOfIngestKey(key)).toBeUndefined();
  });

  it('says a key with a short secret is not well formed', () => {
    expect(isWellFormedIngestKey('li_shop_abc')).toBe(false);
  });

  it('hashes the whole key with SHA-256 and names it k_ + 8 hex digits', () => {
    const key = formatIngestKey('shop', 'A'.repeat(32));
    const hex = createHash('sha256').update(key).digest('hex');
    expect(hashIngestKey(key)).toBe(hex);
    expect(ingestKeyId(key)).toBe(`k_${hex.slice(0, 8)}`);
  });

  it('makes 32 base62 characters, uniform: bytes ≥ 248 are dropped, not folded', () => {
    // A source of only 255s would bias toward the first letters if folded; it must be skipped.
    let calls = 0;
    const biased = (size: number): Uint8Array => {
      calls += 1;
      return new Uint8Array(size).fill(calls === 1 ? 255 : 0);
    };
    expect(newIngestKeySecret(biased)).toBe('A'.repeat(32));
    expect(calls).toBe(2);
    expect(newIngestKeySecret()).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('makes a new key with its hash and id, different each time', () => {
    const a = newIngestKey('shop');
    const b = newIngestKey('shop');
    expect(a.key).not.toBe(b.key);
    expect(siteOfIngestKey(a.key)).toBe('shop');
    expect(a.sha256).toBe(hashIngestKey(a.key));
    expect(a.keyId).toBe(ingestKeyId(a.key));
  });
});
