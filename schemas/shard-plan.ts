/**
 * The shard plan: how many ActiveSessions partition keys (`${siteId}#${shard}`) each site uses, and how many
 * rollup bucket keys: a per-site plan, known to every writer (consumer, rebuild) and reader
 * (`/sessions/active`, the rollup, `/realtime`) from the same stage setting.
 *
 * Per site rather than per stage, by cost: a `/sessions/active` page Queries every shard of its
 * site and `/realtime` every rollup key, so the 64 shards a site at 30,000 events/s needs
 * (README "Scale") would multiply every small site's reads by 16 if every site had them.
 *
 * A site's count is a deploy-time setting. Changing it moves the site's sessions to other keys
 * as they next write; until their old items expire (30 minutes) a `/sessions/active` reader may
 * list such a session under both its old and new shard (more shards) or miss it (fewer). Change
 * it before the traffic arrives (docs: README "Scale").
 */
/** A shard plan value outside its range, naming what was received and what was expected. */
export class ShardPlanError extends RangeError {
  override readonly name = 'ShardPlanError';
  constructor(
    readonly field: string,
    readonly received: unknown,
    readonly expected: string,
  ) {
    super(`${field} is ${JSON.stringify(received) ?? String(received)} (expected ${expected})`);
  }
}

/** The most ActiveSessions shards a site may use (the query Lambda reads them all per page). */
export const MAX_ACTIVE_SESSION_SHARDS = 64;

/** ActiveSessions shards of a site without its own count: small sites, cheap reads. */
export const DEFAULT_ACTIVE_SESSION_SHARDS = 4;

export interface SiteShards {
  /** ActiveSessions partition keys of the site, 1–MAX_ACTIVE_SESSION_SHARDS. */
  readonly activeSessionShards: number;
  /** Rollup bucket keys of the site; divides activeSessionShards (CONTRACT.md, issue 18). */
  readonly rollupKeys: number;
}

export interface ShardPlan {
  /** ActiveSessions shards of every site not listed in `sites`. */
  readonly defaultShards: number;
  readonly sites: Readonly<Record<string, SiteShards>>;
}

export function uniformPlan(defaultShards: number): ShardPlan {
  assertShardCount('activeSessionShards', defaultShards);
  return { defaultShards, sites: {} };
}

/** A site's ActiveSessions shards; a plain number is a plan where every site has that many. */
export function activeSessionShardsOf(plan: ShardPlan | number, siteId: string): number {
  if (typeof plan === 'number') return plan;
  return Object.hasOwn(plan.sites, siteId)
    ? (plan.sites[siteId] as SiteShards).activeSessionShards
    : plan.defaultShards;
}

/** A site's rollup bucket keys (1 = the unsplit key `siteId`). */
export function rollupKeysOf(plan: ShardPlan | number, siteId: string): number {
  if (typeof plan === 'number') return 1;
  return Object.hasOwn(plan.sites, siteId) ? (plan.sites[siteId] as SiteShards).rollupKeys : 1;
}

export function assertShardCount(label: string, count: unknown): asserts count is number {
  if (
    typeof count !== 'number' ||
    !Number.isInteger(count) ||
    count < 1 ||
    count > MAX_ACTIVE_SESSION_SHARDS
  ) {
    throw new ShardPlanError(label, count, `an integer from 1 to ${MAX_ACTIVE_SESSION_SHARDS}`);
  }
}

const SITE_ID = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * Validates a plan from untrusted JSON (an environment variable, a stack output) or from code:
 * every count in range, every rollup key count a divisor of its site's shards (so each rollup key
 * takes the same number of shards, and so of stream shards).
 */
export function parseShardPlan(defaultShards: unknown, sites: unknown): ShardPlan {
  assertShardCount('activeSessionShards', defaultShards);
  if (typeof sites !== 'object' || sites === null || Array.isArray(sites)) {
    throw new ShardPlanError(
      'siteShards',
      sites,
      'an object {"<siteId>":{"activeSessionShards":n,"rollupKeys":r}}',
    );
  }
  const parsed: Record<string, SiteShards> = {};
  for (const [siteId, value] of Object.entries(sites as Record<string, unknown>)) {
    if (!SITE_ID.test(siteId)) {
      throw new ShardPlanError('siteShards site id', siteId, '1–64 of [A-Za-z0-9_-]');
    }
    const { activeSessionShards, rollupKeys = 1 } = (value ?? {}) as Record<string, unknown>;
    assertShardCount(`siteShards[${siteId}].activeSessionShards`, activeSessionShards);
    assertShardCount(`siteShards[${siteId}].rollupKeys`, rollupKeys);
    if (activeSessionShards % rollupKeys !== 0) {
      throw new ShardPlanError(
        `siteShards[${siteId}].rollupKeys`,
        rollupKeys,
        `a divisor of its activeSessionShards ${activeSessionShards}`,
      );
    }
    parsed[siteId] = { activeSessionShards, rollupKeys };
  }
  return { defaultShards, sites: parsed };
}

/**
 * The shorthand that survives a shell and CDK context: `bigshop=64/32;blog=8` (site =
 * ActiveSessions shards [/ rollup keys, default 1]); empty: no site overrides.
 */
export function parseSiteShardsShorthand(text: string): Record<string, SiteShards> {
  const sites: Record<string, SiteShards> = {};
  for (const part of text.split(';')) {
    if (part.trim() === '') continue;
    const match = /^\s*([A-Za-z0-9_-]{1,64})\s*=\s*(\d{1,3})(?:\s*\/\s*(\d{1,3}))?\s*$/.exec(part);
    if (match === null) {
      throw new ShardPlanError(
        'siteShards',
        part,
        '"<siteId>=<shards>[/<rollup keys>]", parts separated by ";", e.g. "bigshop=64/32"',
      );
    }
    sites[match[1] as string] = {
      activeSessionShards: Number(match[2]),
      rollupKeys: match[3] === undefined ? 1 : Number(match[3]),
    };
  }
  return sites;
}
