/**
 * `npm run bench:scale` — where the design stops scaling (issue 18 item 3): the scale model
 * (scale-model.ts) at 1×, 10× and 100× a reference traffic with one site taking 30 %, on the
 * default design, then at the target (100,000 events/s, one site at 30,000) on the design as
 * BUILT (every setting at its documented hot-site value) and with what the model says is still
 * NEEDED. Inputs measured by running the real pipeline (scale-inputs.ts); no emulator timing.
 * Last line: JSON at the target.
 */
import { CONSUMER_MAPPING_SETTINGS, DEFAULT_ACTIVE_SESSION_SHARDS } from '../../infra/resources';
import type { SiteShards } from '../../schemas/shard-plan';
import { SITE_DAY_SPLITS } from '../../pipeline/site-day-index';
import { measureInputs, type MeasuredInputs } from './scale-inputs';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  STREAM_POLLS_PER_S,
  type Assumptions,
  type Design,
  type ScaleRow,
  type Sizes,
  TARGET_SHARE,
  firstLimitAt,
  kinesisShardsFor,
  loadsAt,
  neededCount,
  scaleRow,
} from './scale-model';

/** Bucket sizes (KB) the bench shows the rollup's share at: up to the rollup's full bucket. */
export const BUCKET_KB_SENSITIVITY = [8, 16, 32, 64, 127] as const;

/** 1× = 1,000 events/s overall (one standard-tier key's request rate at one event per request). */
export const REFERENCE_EVENTS_PER_S = 1000;
export const HOT_SITE_SHARE = 0.3;
export const TARGET = { eventsPerSecond: 100_000, hotSiteShare: HOT_SITE_SHARE } as const;

/** The documented hot-site setting (README "Scale": `-c siteShards=<site>=64/32`). */
export const HOT_SITE_SHARDS: SiteShards = { activeSessionShards: 64, rollupKeys: 32 };
export const HOT_SITE_ACTIVE_SESSION_SHARDS = HOT_SITE_SHARDS.activeSessionShards;

/**
 * Whether the rollup and query Lambdas take each site's rollup keys from the shard plan (keys:
 * pipeline/realtime/rollup-keys.ts, beb38b3; both Lambdas from LIVEINSIGHT_SITE_SHARDS: ee4e29b).
 * False would show the split as NEEDED, not built.
 */
export const ROLLUP_KEYS_FROM_PLAN = true;

export const ASSUMPTIONS: Assumptions = {
  transactionsPerItemPerS: 40, // assumed: one ~25 ms transaction at a time
  realtimeReadsPerS: 10 / 3, // assumed: 10 distinct dashboards' tokens, 3 s cache
  bucketsPerRead: 32, // pipeline/realtime/rollup.ts bucketRange: now … now + 31
  consumerParallelization: CONSUMER_MAPPING_SETTINGS.ParallelizationFactor,
};

/** The rollup records one invocation of the hot site holds at the target with the hot-site setting. */
export function targetRecordsPerInvocation(): number {
  const hotWritesPerS = TARGET.eventsPerSecond * TARGET.hotSiteShare; // ≤ 1 write per event
  return Math.ceil(hotWritesPerS / HOT_SITE_ACTIVE_SESSION_SHARDS / STREAM_POLLS_PER_S);
}

/** The bench's measurement: 1,000 live sessions (60,000 records) of the reference workload. */
export const BENCH_MEASUREMENT = { sessions: 3_000, concurrentSessions: 1_000 } as const;

export function sizesFrom(measured: MeasuredInputs): Sizes {
  return {
    recordBytes: measured.recordBytes,
    eventsPerSession: measured.eventsPerSession,
    eventsPerSessionPerBatch: measured.eventsPerSessionPerBatch,
    sessionWcu: measured.sessionWcu,
    activeSessionWcu: measured.activeSessionWcu,
    indexEntryWcu: measured.indexEntryWcu,
    indexEntriesPerSession: measured.indexEntriesPerSession,
    bucketKb: measured.bucketKb,
    chunksPerInvocation: measured.chunksPerInvocation,
    ...ASSUMPTIONS,
  };
}

/** The default design: ActiveSessions at 4 shards, one rollup key and one index key per site. */
export function defaultDesign(eventsPerSecond: number, s: Sizes): Design {
  return {
    activeSessionShards: DEFAULT_ACTIVE_SESSION_SHARDS,
    rollupShards: 1,
    siteDayShards: 1,
    kinesisShards: kinesisShardsFor(eventsPerSecond, s),
    accountConcurrency: DEFAULT_ACCOUNT_CONCURRENCY,
  };
}

/**
 * What is BUILT, at its documented hot-site setting: the site's ActiveSessions shards and rollup
 * keys (`siteShards`; the rollup keys only once ROLLUP_KEYS_FROM_PLAN), the bySiteDay index split
 * (SITE_DAY_SPLITS, every site), Kinesis shards (on-demand, or `shardCount` provisioned) and a
 * Lambda quota of 2,000 (a quota request).
 */
export function builtDesign(s: Sizes): Design {
  return {
    activeSessionShards: HOT_SITE_SHARDS.activeSessionShards,
    rollupShards: ROLLUP_KEYS_FROM_PLAN ? HOT_SITE_SHARDS.rollupKeys : 1,
    siteDayShards: SITE_DAY_SPLITS,
    kinesisShards: kinesisShardsFor(TARGET.eventsPerSecond, s),
    accountConcurrency: 2000,
  };
}

/** Counts the model tries for each parameter, smallest first. */
const CANDIDATES: Readonly<Record<keyof Design, readonly number[]>> = {
  activeSessionShards: Array.from({ length: 128 }, (_, i) => i + 1),
  // Rollup keys divide the site's shards (schemas/shard-plan.ts).
  rollupShards: [1, 2, 4, 8, 16, 32, 64],
  siteDayShards: Array.from({ length: 32 }, (_, i) => i + 1),
  kinesisShards: Array.from({ length: 2000 }, (_, i) => i + 1),
  accountConcurrency: [1000, 2000, 3000, 5000, 10_000],
};

/**
 * What is NOT built yet: each parameter whose loads the built design leaves over half their
 * limit at the target, with the count the model needs.
 */
export function neededBeyondBuilt(s: Sizes): Partial<Design> {
  const built = builtDesign(s);
  const over = new Set(
    loadsAt(TARGET, built, s)
      .filter((l) => l.governedBy !== undefined && l.rate / l.limit > TARGET_SHARE)
      .map((l) => l.governedBy as keyof Design),
  );
  const needs: Partial<Record<keyof Design, number>> = {};
  for (const parameter of over) {
    const count = neededCount(TARGET, built, s, parameter, CANDIDATES[parameter]);
    needs[parameter] = count ?? Number.POSITIVE_INFINITY;
  }
  return needs;
}

function fmt(n: number): string {
  return n >= 100 ? Math.round(n).toLocaleString('en-US') : n.toFixed(n >= 10 ? 1 : 2);
}

function table(title: string, rows: readonly ScaleRow[]): string {
  const names = rows[0]?.loads.map((l) => l.name) ?? [];
  const head = `| ${title} | ${rows.map((r) => `${fmt(r.eventsPerSecond)} ev/s (hot ${fmt(r.hotSiteEventsPerSecond)})`).join(' | ')} |`;
  const lines = [head, `|---|${rows.map(() => '---').join('|')}|`];
  for (const name of names) {
    const cells = rows.map((r) => {
      const load = r.loads.find((l) => l.name === name);
      return load === undefined
        ? '-'
        : `${fmt(load.rate)} ${load.unit} (${(load.rate / load.limit).toFixed(2)})`;
    });
    lines.push(`| ${name} | ${cells.join(' | ')} |`);
  }
  lines.push(
    `| **largest share → binding** | ${rows.map((r) => `**${r.maxShareOfLimit.toFixed(2)}** ${r.bindingLimit}`).join(' | ')} |`,
  );
  return lines.join('\n');
}

function main(): void {
  const measured = measureInputs({
    ...BENCH_MEASUREMENT,
    recordsPerInvocation: targetRecordsPerInvocation(),
  });
  const s = sizesFrom(measured);
  console.log(
    `measured on the real pipeline (${measured.records.toLocaleString('en-US')} records, ${measured.concurrentSessions} live sessions): ` +
      `record ${fmt(measured.recordBytes)} B, ${fmt(measured.eventsPerSession)} events/session, ` +
      `${fmt(measured.eventsPerSessionPerBatch)} events/session/batch, Sessions write ${fmt(measured.sessionWcu)} WCU, ` +
      `ActiveSessions write ${fmt(measured.activeSessionWcu)} WCU (largest item ${measured.maxActiveSessionBytes} B), ` +
      `index entry ${fmt(measured.indexEntryWcu)} WCU × ${fmt(measured.indexEntriesPerSession)}/session, ` +
      `busiest bucket ${fmt(measured.bucketKb)} KB, ${fmt(measured.chunksPerInvocation)} transactions per rollup invocation of ${measured.recordsPerInvocation} records`,
  );
  const levels = [1, 10, 100].map((x) => x * REFERENCE_EVENTS_PER_S);
  const rows = levels.map((e) =>
    scaleRow({ eventsPerSecond: e, hotSiteShare: HOT_SITE_SHARE }, defaultDesign(e, s), s),
  );
  console.log('share of limit in ()');
  console.log(table('default design', rows));
  const first = firstLimitAt(
    { eventsPerSecond: 1000, hotSiteShare: HOT_SITE_SHARE },
    (e) => defaultDesign(e, s),
    s,
  );
  console.log(
    `\nThe default design reaches its first limit at ${fmt(first.eventsPerSecond)} events/s overall (hot site ${fmt(first.eventsPerSecond * HOT_SITE_SHARE)}): ${first.limit}`,
  );
  const built = builtDesign(s);
  const needs = neededBeyondBuilt(s);
  const atBuilt = scaleRow(TARGET, built, s);
  const atNeeded = scaleRow(TARGET, { ...built, ...needs }, s);
  console.log(`\n${table(`BUILT ${JSON.stringify(built)}`, [atBuilt])}`);
  if (Object.keys(needs).length === 0) {
    console.log(
      '\nNEEDS: nothing more — every share is at most half its limit with what is built.',
    );
  } else {
    console.log(`\n${table(`BUILT + NEEDS ${JSON.stringify(needs)}`, [atNeeded])}`);
  }
  // The bucket size is measured on the reference workload's few names; a hot site with many
  // pages, sources and countries fills its buckets' breakdowns (the rollup's bound: 127 KB).
  const sensitivity = BUCKET_KB_SENSITIVITY.map((kb) => {
    const sized = { ...s, bucketKb: kb };
    const load = scaleRow(TARGET, { ...built, ...needs }, sized).loads.find(
      (l) => l.name === 'RealtimeRollups: hot bucket WCU',
    );
    return `${kb} KB → ${load === undefined ? '-' : (load.rate / load.limit).toFixed(2)}`;
  });
  console.log(
    `\nHot bucket WCU share at the target if its buckets were larger than measured: ${sensitivity.join(', ')}`,
  );
  console.log(
    JSON.stringify({
      bench: 'scale',
      eventsPerSecond: atBuilt.eventsPerSecond,
      hotSiteEventsPerSecond: atBuilt.hotSiteEventsPerSecond,
      maxShareOfLimit: Number(atBuilt.maxShareOfLimit.toFixed(3)),
      bindingLimit: atBuilt.bindingLimit,
      needs,
      maxShareOfLimitWithNeeds: Number(atNeeded.maxShareOfLimit.toFixed(3)),
      bindingLimitWithNeeds: atNeeded.bindingLimit,
    }),
  );
}

if (require.main === module) main();
