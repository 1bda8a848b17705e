/**
 * Rollup partition keys: where a site's bucket items live in RealtimeRollups. A site has R keys
 * (the stage's shard plan: `rollupKeys`, CONTRACT.md issue 18); R = 1 is the unsplit key, the
 * site id itself, so nothing moves for a site without its own plan. With R > 1 a session's
 * contribution goes to key `${siteId}#r${k}`, k = its ActiveSessions shard mod R: taken from the
 * item's partition key (`${siteId}#${shard}`), never from a new hash, because that is what bounds
 * the writers of one key to shards / R stream shards — and an item's old and new images share
 * their partition key, so a change's −old and +new land in the same key. `/realtime` reads every
 * key of the site and sums them. Pure.
 *
 * The 64-names cap (bucket-names.ts) holds per key. Changing a site's R while its sessions are
 * live sends their decrements to other keys than their increments: counts are off until the
 * minutes those sessions' buckets cover pass (≤ 31 minutes); change it before the traffic.
 */

/** Marks a split key: `#r` cannot occur in a site id (`^[a-z0-9][a-z0-9-]{1,62}$`). */
const SPLIT = '#r';

/** The rollup key of a session's contribution: its site's, split by the ActiveSessions shard. */
export function rollupKeyOf(
  siteId: string,
  activeSessionsPk: string | undefined,
  rollupKeys: number,
): string {
  if (rollupKeys <= 1) return siteId;
  return `${siteId}${SPLIT}${shardOf(siteId, activeSessionsPk) % rollupKeys}`;
}

/** Every rollup key of a site, for the reader. */
export function rollupKeysOfSite(siteId: string, rollupKeys: number): string[] {
  if (rollupKeys <= 1) return [siteId];
  return Array.from({ length: rollupKeys }, (_, k) => `${siteId}${SPLIT}${k}`);
}

/**
 * The shard number of an ActiveSessions partition key `${siteId}#${shard}`; 0 for anything else
 * (not written by the consumer): still one fixed key per item, so its changes stay together.
 */
function shardOf(siteId: string, pk: string | undefined): number {
  if (pk === undefined || !pk.startsWith(`${siteId}#`)) return 0;
  const digits = pk.slice(siteId.length + 1);
  return /^[0-9]{1,4}$/.test(digits) ? Number(digits) : 0;
}
