/**
 * The scale model (`npm run bench:scale`, issue 18 item 3): pure arithmetic on the pipeline's
 * counted writes and item sizes (MEASURED by scale-inputs.ts, which runs the real consumer and
 * rollup code on the reference workload; the few figures nobody can measure locally are
 * `Assumptions`, each labelled). No emulator timing. For a traffic level and a design it gives
 * the rate on every hot key, shard and quota against its limit, and the largest share.
 */

/** DynamoDB per-partition limits (a single item or partition key value lives in one partition).
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/bp-partition-key-design.html */
export const PARTITION_WCU_PER_S = 1000;
export const PARTITION_RCU_PER_S = 3000;
/** Kinesis per-shard write limits (https://docs.aws.amazon.com/streams/latest/dev/service-sizes-and-limits.html). */
export const SHARD_RECORDS_PER_S = 1000;
export const SHARD_BYTES_PER_S = 1024 * 1024;
/** Kinesis shards per account, default quota in us-east-1, us-west-2 and eu-west-1 (same page). */
export const ACCOUNT_KINESIS_SHARDS = 500;
/** Lambda's default account concurrency (a quota AWS raises on request). */
export const DEFAULT_ACCOUNT_CONCURRENCY = 1000;
/** Lambda polls each DynamoDB stream shard 4 times a second
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html). */
export const STREAM_POLLS_PER_S = 4;
/** Where the design must stay: half of every limit. */
export const TARGET_SHARE = 0.5;

export interface Design {
  /** ActiveSessions partition keys of the hot site (`${siteId}#${shard}`). */
  readonly activeSessionShards: number;
  /** Rollup bucket keys per site and minute (1 = pk siteId, sk minute). */
  readonly rollupShards: number;
  /** Sessions bySiteDay index keys per site and day (`${siteId}#${day}#${split}`). */
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

/** Figures measured from the real pipeline (scale-inputs.ts `measureInputs`). */
export interface Measured {
  /** Kinesis bytes per record (data + partition key). */
  readonly recordBytes: number;
  readonly eventsPerSession: number;
  /** Events of one session in one live consumer batch (1: every event is its own session write). */
  readonly eventsPerSessionPerBatch: number;
  /** Mean write units of one Sessions and one ActiveSessions write. */
  readonly sessionWcu: number;
  readonly activeSessionWcu: number;
  /** Write units of one bySiteDay entry, and entries per session. */
  readonly indexEntryWcu: number;
  readonly indexEntriesPerSession: number;
  /** The busiest rollup bucket, KB (an update is billed at the item's size, ×2 in a transaction). */
  readonly bucketKb: number;
  /** Transactions one rollup invocation of the hot site makes (its records cut into chunks). */
  readonly chunksPerInvocation: number;
}

/** What cannot be measured locally: each is an assumption, and the README says so. */
export interface Assumptions {
  /**
   * Transactions one item takes per second before conflicts become the rule: one in flight at a
   * time, ~25 ms each. AWS publishes no such figure.
   */
  readonly transactionsPerItemPerS: number;
  /** GET /realtime reads of the hot site that miss the 3 s cache, per second. */
  readonly realtimeReadsPerS: number;
  /** Buckets one GET /realtime reads per rollup key (bucketRange: 32 minutes). */
  readonly bucketsPerRead: number;
  /** Consumer ParallelizationFactor (infra/resources.ts CONSUMER_MAPPING_SETTINGS). */
  readonly consumerParallelization: number;
}

export type Sizes = Measured & Assumptions;

export interface Load {
  readonly name: string;
  readonly rate: number;
  readonly limit: number;
  readonly unit: string;
  /** The design parameter that moves this load (for "built" vs "needs"). */
  readonly governedBy?: keyof Design;
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

/** Stream shards of a table: about one per partition its writes need at full use. */
export function tableStreamShards(wcuPerS: number): number {
  return Math.max(1, Math.ceil(wcuPerS / PARTITION_WCU_PER_S));
}

/**
 * Transactions per second on one rollup bucket key of the hot site. Each ActiveSessions stream
 * shard that carries the site's records runs its invocations one after another (the rollup's
 * ParallelizationFactor is 1), STREAM_POLLS_PER_S a second, each `chunksPerInvocation`
 * transactions on the site's current bucket. The site's records sit on at most
 * `activeSessionShards` stream shards (a partition key lives in one partition), and a bucket key
 * `shard mod rollupShards` is written by `activeSessionShards / rollupShards` of them.
 */
export function bucketTransactionsPerS(design: Design, sizes: Sizes, streamShards: number): number {
  const writers = Math.max(
    1,
    Math.min(design.activeSessionShards, streamShards) / design.rollupShards,
  );
  return writers * STREAM_POLLS_PER_S * sizes.chunksPerInvocation;
}

export function loadsAt(w: Workload, design: Design, sizes: Sizes): Load[] {
  const total = w.eventsPerSecond;
  const hot = hotSiteRate(w);
  const hotSessionWrites = sessionWritesPerS(hot, sizes);
  const activeStreamShards = tableStreamShards(
    sessionWritesPerS(total, sizes) * sizes.activeSessionWcu,
  );
  const sessionsStreamShards = tableStreamShards(
    sessionWritesPerS(total, sizes) * sizes.sessionWcu,
  );
  const tx = bucketTransactionsPerS(design, sizes, activeStreamShards);
  // consumer: shards × ParallelizationFactor; processor: one per Sessions and ActiveSessions
  // stream shard; rollup: one per ActiveSessions stream shard.
  const concurrency =
    design.kinesisShards * sizes.consumerParallelization +
    sessionsStreamShards +
    2 * activeStreamShards;
  return [
    {
      name: 'Kinesis shard: records',
      rate: total / design.kinesisShards,
      limit: SHARD_RECORDS_PER_S,
      unit: 'records/s',
      governedBy: 'kinesisShards',
    },
    {
      name: 'Kinesis shard: bytes',
      rate: (total * sizes.recordBytes) / design.kinesisShards,
      limit: SHARD_BYTES_PER_S,
      unit: 'B/s',
      governedBy: 'kinesisShards',
    },
    {
      name: 'Kinesis: shards of the account quota',
      rate: design.kinesisShards,
      limit: ACCOUNT_KINESIS_SHARDS,
      unit: 'shards',
      governedBy: 'kinesisShards',
    },
    {
      // pk = siteId#sessionId: a key per session, never hot (one session's events).
      name: 'Events/Sessions: one session key',
      rate: sizes.sessionWcu + sizes.eventsPerSessionPerBatch,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
    },
    {
      name: 'ActiveSessions: hot site key',
      rate: (hotSessionWrites * sizes.activeSessionWcu) / design.activeSessionShards,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
      governedBy: 'activeSessionShards',
    },
    {
      name: 'Sessions index siteDay: hot site key',
      rate:
        ((hot / sizes.eventsPerSession) * sizes.indexEntriesPerSession * sizes.indexEntryWcu) /
        design.siteDayShards,
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
      governedBy: 'siteDayShards',
    },
    {
      name: 'RealtimeRollups: hot bucket WCU',
      rate: tx * 2 * Math.ceil(sizes.bucketKb),
      limit: PARTITION_WCU_PER_S,
      unit: 'WCU/s',
      governedBy: 'rollupShards',
    },
    {
      name: 'RealtimeRollups: hot bucket transactions',
      rate: tx,
      limit: sizes.transactionsPerItemPerS,
      unit: 'tx/s (assumed limit)',
      governedBy: 'rollupShards',
    },
    {
      // Each read Queries every rollup key of the site: ~32 buckets, eventually consistent
      // (½ RCU per 4 KB). Per key, so the split does not change it.
      name: 'RealtimeRollups: hot site key reads',
      rate: sizes.realtimeReadsPerS * sizes.bucketsPerRead * Math.ceil(sizes.bucketKb / 4) * 0.5,
      limit: PARTITION_RCU_PER_S,
      unit: 'RCU/s',
    },
    {
      name: 'Lambda concurrency (consumer + processor + rollup)',
      rate: concurrency,
      limit: design.accountConcurrency,
      unit: 'concurrent',
      governedBy: 'accountConcurrency',
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
  sizes: Pick<Sizes, 'recordBytes'>,
  share = KINESIS_SHARE,
): number {
  return Math.max(
    1,
    Math.ceil(eventsPerSecond / (SHARD_RECORDS_PER_S * share)),
    Math.ceil((eventsPerSecond * sizes.recordBytes) / (SHARD_BYTES_PER_S * share)),
  );
}

/**
 * The smallest count of `parameter` (from `candidates`, ascending) that keeps every load it
 * governs at or under `share`: what the model says the design needs.
 */
export function neededCount(
  w: Workload,
  design: Design,
  sizes: Sizes,
  parameter: keyof Design,
  candidates: readonly number[],
  share = TARGET_SHARE,
): number | undefined {
  return candidates.find((count) =>
    loadsAt(w, { ...design, [parameter]: count }, sizes)
      .filter((l) => l.governedBy === parameter)
      .every((l) => l.rate / l.limit <= share),
  );
}
