/**
 * The scale model (`npm run bench:scale`, issue 18 item 3): pure arithmetic on the pipeline's
 * counted writes per event and session (bench:consumer's request plan: one Events item per
 * event, one Sessions and one ActiveSessions write per session per batch, one Sessions-index
 * entry per new session, the rollup's transactions) and item sizes; no emulator timing.
 * For a traffic level it gives the rate on every hot key against its limit, and the largest share.
 */

/** DynamoDB per-partition limits (a single item lives in one partition, so they bound it too). */
export const PARTITION_WCU_PER_S = 1000;
export const PARTITION_RCU_PER_S = 3000;
/** Kinesis per-shard write limits. */
export const SHARD_RECORDS_PER_S = 1000;
export const SHARD_BYTES_PER_S = 1024 * 1024;
/** Lambda's default account concurrency (a quota AWS raises on request). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** Where the design must stay: half of every limit. */
export const TARGET_SHARE = 0.5;

export interface Design {
  /** ActiveSessions partition keys per site (`${siteId}#${shard}`; handlers/config.ts, 1–64). */
  readonly activeSessionShards: number;
  /** Rollup bucket keys per site and minute (1 = today's design: pk = siteId, sk = minute). */
  readonly rollupShards: number;
  /** Sessions-by-site-day index keys per site and day (1 = today's design: siteDay). */
  readonly siteDayShards: number;
  /** Kinesis shards of the events stream (on-demand: it follows the traffic, kinesisShardsFor). */
  readonly kinesisShards: number;
  /** The account's Lambda concurrency quota. */
  readonly accountConcurrency: number;
}

export interface Workload {
  readonly eventsPerSecond: number;
  /** Share of the events of the hottest site (0..1). */
  readonly hotSiteShare: number;
}

/** Per-event and per-session figures, measured or assumed (each says which in scale.ts). */
export interface Sizes {
  /** Kinesis record bytes per event (edge record). */
  readonly recordBytes: number;
  /** Events per session (reference workload: 20). */
  readonly eventsPerSession: number;
  /** Events of one session in one consumer batch (1 = no coalescing: the live case at scale). */
  readonly eventsPerSessionPerBatch: number;
  /** Write units of one ActiveSessions item write (its measured size). */
  readonly activeSessionWcu: number;
  /** Write units of one Sessions-index (KEYS_ONLY) entry. */
  readonly indexEntryWcu: number;
  /** Size of a busy site's minute bucket, KB (the rollup bills an update at the item's size, ×2 in a transaction). */
  readonly bucketKb: number;
  /** Rollup invocations per second per ActiveSessions stream shard (Lambda polls DynamoDB Streams 4×/s). */
  readonly rollupInvocationsPerShardPerS: number;
  /**
   * Transactions one item can take per second without conflicts becoming the rule: one in flight
   * at a time, ~25 ms each. AWS publishes no such figure: this is an assumption, labelled so.
   */
  readonly transactionsPerItemPerS: number;
  /** GET /realtime reads of the hot site that miss the 3 s stage cache, per second (assumed). */
  readonly realtimeReadsPerS: number;
  /** Buckets one GET /realtime reads (30 minutes of chart). */
  readonly bucketsPerRead: number;
  /** Consumer ParallelizationFactor (infra/resources.ts CONSUMER_MAPPING_SETTINGS). */
  readonly consumerParallelization: number;
}

export interface Load {
  readonly name: string;
  readonly rate: number;
  readonly limit: number;
  readonly unit: string;
}

export interface ScaleRow {
  readonly eventsPerSecond: number;
  readonly hotSiteEventsPerSecond: number;
  readonly loads: readonly Load[];
  readonly maxShareOfLimit: number;
  readonly bindingLimit: string;
}

export function hotSiteRate(w: Workload): number {
  return w.eventsPerSecond * w.hotSiteShare;
}

/** Session writes per second of a site: one per session per batch it has events in. */
export function sessionWritesPerS(siteEventsPerS: number, sizes: Sizes): number {
  return siteEventsPerS / sizes.eventsPerSessionPerBatch;
}

/**
 * Transactions per second on one rollup bucket key of the hot site: every ActiveSessions stream
 * shard that carries its records runs its own rollup invocations, each one transaction on the
 * site's current bucket. The hot site's records sit on at most `activeSessionShards` stream
 * shards (one per key) — sharding the writes multiplies the writers of one bucket — and spread
 * over `rollupShards` bucket keys when each writer updates the key of its own shard.
 */
export function bucketTransactionsPerS(design: Design, sizes: Sizes, streamShards: number): number {
  const writers = Math.min(design.activeSessionShards, streamShards);
  return (writers * sizes.rollupInvocationsPerShardPerS) / design.rollupShards;
}

/** ActiveSessions stream shards: about one per partition the table's writes need at full use. */
export function activeSessionStreamShards(totalSessionWcuPerS: number): number {
  return Math.max(1, Math.ceil(totalSessionWcuPerS / PARTITION_WCU_PER_S));
}

export function loadsAt(w: Workload, design: Design, sizes: Sizes): Load[] {
  const total = w.eventsPerSecond;
  const hot = hotSiteRate(w);
  const hotSessionWrites = sessionWritesPerS(hot, sizes);
  const allSessionWcu = sessionWritesPerS(total, sizes) * sizes.activeSessionWcu;
  const streamShards = activeSessionStreamShards(allSessionWcu);
  const tx = bucketTransactionsPerS(design, sizes, streamShards);
  const consumerConcurrency = design.kinesisShards * sizes.consumerParallelization;
  return [
    {
      name: 'Kinesis shard: records',
      rate: total / design.kinesisShards,
      limit: SHARD_RECORDS_PER_S,
      unit: 'records/s',
    },
    {
      name: 'Kinesis shard: bytes',
      rate: (total * sizes.recordBytes) / design.kinesisShards,
      limit: SHARD_BYTES_PER_S,
      unit: 'B/s',
    },
    {
      // pk = siteId#sessionId: a key per session, never hot (one session's events).
      name: 'Events/Sessions: one session key',
      rate: 1,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
    },
    {
      name: 'ActiveSessions: hot site key',
      rate: (hotSessionWrites * sizes.activeSessionWcu) / design.activeSessionShards,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
    },
    {
      name: 'Sessions index siteDay: hot site key',
      rate: ((hot / sizes.eventsPerSession) * sizes.indexEntryWcu) / design.siteDayShards,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
    },
    {
      name: 'RealtimeRollups: hot bucket WCU',
      rate: tx * 2 * sizes.bucketKb,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
    },
    {
      name: 'RealtimeRollups: hot bucket transactions',
      rate: tx,
      limit: sizes.transactionsPerItemPerS,
      unit: 'tx/s (assumed limit)',
    },
    {
      // Each read Queries every rollup key of the site: ~30 buckets, eventually consistent (½ RCU per 4 KB).
      name: 'RealtimeRollups: hot site key reads',
      rate: sizes.realtimeReadsPerS * sizes.bucketsPerRead * Math.ceil(sizes.bucketKb / 4) * 0.5,
      limit: PARTITION_RCU_PER_S,
      unit: 'RCU/s',
    },
    {
      name: 'Lambda concurrency (consumer + rollup)',
      rate: consumerConcurrency + streamShards,
      limit: design.accountConcurrency,
      unit: 'concurrent',
    },
  ];
}

export function scaleRow(w: Workload, design: Design, sizes: Sizes): ScaleRow {
  const loads = loadsAt(w, design, sizes);
  let binding = loads[0] as Load;
  for (const load of loads)
    if (load.rate / load.limit > binding.rate / binding.limit) binding = load;
  return {
    eventsPerSecond: w.eventsPerSecond,
    hotSiteEventsPerSecond: hotSiteRate(w),
    loads,
    maxShareOfLimit: binding.rate / binding.limit,
    bindingLimit: binding.name,
  };
}

/**
 * The events/s (at the same hot-site share) where the first limit is reached: every load is
 * linear in the traffic except where a shard count follows it, so a bisection on the share is
 * exact enough and needs no algebra per load.
 */
export function firstLimitAt(
  w: Workload,
  designAt: (eventsPerSecond: number) => Design,
  sizes: Sizes,
): { eventsPerSecond: number; limit: string } {
  const at = (e: number) => scaleRow({ ...w, eventsPerSecond: e }, designAt(e), sizes);
  let low = 0;
  let high = w.eventsPerSecond;
  while (at(high).maxShareOfLimit < 1) high *= 2;
  for (let i = 0; i < 60; i++) {
    const mid = (low + high) / 2;
    if (at(mid).maxShareOfLimit < 1) low = mid;
    else high = mid;
  }
  return { eventsPerSecond: Math.round(high), limit: at(high).bindingLimit };
}

/**
 * Kinesis shards so that records and bytes per shard stay at `share` of the limits. An on-demand
 * stream keeps about twice its recent peak; 0.4 leaves the model headroom under the 0.5 target.
 */
export const KINESIS_SHARE = 0.4;

export function kinesisShardsFor(
  eventsPerSecond: number,
  sizes: Sizes,
  share = KINESIS_SHARE,
): number {
  return Math.max(
    1,
    Math.ceil(eventsPerSecond / (SHARD_RECORDS_PER_S * share)),
    Math.ceil((eventsPerSecond * sizes.recordBytes) / (SHARD_BYTES_PER_S * share)),
  );
}
