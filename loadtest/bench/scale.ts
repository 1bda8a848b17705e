/**
 * `npm run bench:scale` — where the design stops scaling (issue 18 item 3): the scale model
 * (scale-model.ts) at 1×, 10× and 100× a reference traffic with one site taking 30 %, on today's
 * design and on the sharded design the 100,000 events/s target needs. A simulation on counted
 * writes and item sizes, no emulator timing. Last line: JSON at the target.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemSize, writeUnits } from '../../handlers/adapters/item-size';
import { activeSessionItem } from '../../handlers/query/__fixtures__/active-session-items';
import { CONSUMER_MAPPING_SETTINGS } from '../../infra/resources';
import {
  DEFAULT_ACCOUNT_CONCURRENCY,
  type Design,
  type ScaleRow,
  type Sizes,
  firstLimitAt,
  kinesisShardsFor,
  scaleRow,
} from './scale-model';

/** 1× = 1,000 events/s overall (one standard-tier key's request rate at one event per request). */
export const REFERENCE_EVENTS_PER_S = 1000;
export const HOT_SITE_SHARE = 0.3;
export const TARGET = { eventsPerSecond: 100_000, hotSiteShare: HOT_SITE_SHARE } as const;

/** An ActiveSessions item as the pipeline's shape has it (the query fixtures build it), in bytes. */
export function measuredActiveSessionBytes(): number {
  const item = activeSessionItem({
    siteId: 'a-busy-site-name',
    sessionId: 'sess_0123456789abcdef0123',
    shard: 63,
    nowMs: Date.UTC(2026, 11, 7),
  });
  return itemSize(marshall(item, { removeUndefinedValues: true }));
}

export function sizes(): Sizes {
  return {
    recordBytes: 620, // bench:consumer's reference workload: ~620 B per edge record
    eventsPerSession: 20, // reference workload
    eventsPerSessionPerBatch: 1, // live traffic: a session's next event is seconds away, batches are ~1 s
    activeSessionWcu: writeUnits(measuredActiveSessionBytes()),
    indexEntryWcu: 1, // KEYS_ONLY: pk, siteDay, startedAt ≪ 1 KB
    bucketKb: 8, // assumed busy bucket (rollup README: a few KB normally, ≤ 62 KB capped)
    rollupInvocationsPerShardPerS: 4,
    transactionsPerItemPerS: 40, // assumed: one ~25 ms transaction at a time
    realtimeReadsPerS: 10 / 3, // assumed: 10 distinct dashboards' tokens, 3 s cache
    bucketsPerRead: 30,
    consumerParallelization: CONSUMER_MAPPING_SETTINGS.ParallelizationFactor,
  };
}

/** Today's design: ActiveSessions at its default 4 shards, one rollup and one index key per site. */
export function todaysDesign(eventsPerSecond: number, s: Sizes): Design {
  return {
    activeSessionShards: 4,
    rollupShards: 1,
    siteDayShards: 1,
    kinesisShards: kinesisShardsFor(eventsPerSecond, s),
    accountConcurrency: DEFAULT_ACCOUNT_CONCURRENCY,
  };
}

/**
 * What 100,000 events/s with a 30,000 events/s site needs: ActiveSessions at its maximum of 64
 * shards (a setting), and — NOT BUILT — rollup buckets keyed per site, minute and 1 of 16 rollup
 * shards, the site-day index key split 4 ways, and a Lambda concurrency quota of 2,000.
 */
export function targetDesign(s: Sizes): Design {
  return {
    activeSessionShards: 64,
    rollupShards: 16,
    siteDayShards: 4,
    kinesisShards: kinesisShardsFor(TARGET.eventsPerSecond, s),
    accountConcurrency: 2000,
  };
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
  const s = sizes();
  const levels = [1, 10, 100].map((x) => x * REFERENCE_EVENTS_PER_S);
  const today = levels.map((e) =>
    scaleRow({ eventsPerSecond: e, hotSiteShare: HOT_SITE_SHARE }, todaysDesign(e, s), s),
  );
  console.log(
    `ActiveSessions item ${measuredActiveSessionBytes()} B → ${s.activeSessionWcu} WCU; share of limit in ()`,
  );
  console.log(table("today's design", today));
  const first = firstLimitAt(
    { eventsPerSecond: 1000, hotSiteShare: HOT_SITE_SHARE },
    (e) => todaysDesign(e, s),
    s,
  );
  console.log(
    `\nToday's design reaches its first limit at ${fmt(first.eventsPerSecond)} events/s overall (hot site ${fmt(first.eventsPerSecond * HOT_SITE_SHARE)}): ${first.limit}`,
  );
  const design = targetDesign(s);
  const target = scaleRow(TARGET, design, s);
  console.log(`\n${table(`target design ${JSON.stringify(design)}`, [target])}`);
  console.log(
    JSON.stringify({
      bench: 'scale',
      eventsPerSecond: target.eventsPerSecond,
      hotSiteEventsPerSecond: target.hotSiteEventsPerSecond,
      maxShareOfLimit: Number(target.maxShareOfLimit.toFixed(3)),
      bindingLimit: target.bindingLimit,
    }),
  );
}

if (require.main === module) main();
