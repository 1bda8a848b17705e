/**
 * FNV-1a (32 bit) over UTF-16 code units: a stable, fast, non-cryptographic hash for spreading
 * keys over shards and buckets. Stable across processes and versions, unlike any runtime hash,
 * so a session always lands on the same ActiveSessions shard.
 */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
