/**
 * The scale model's arithmetic, its inputs measured on the real pipeline, and that the target
 * (100,000 events/s, one site at 30,000) stays under half of every limit with what is built —
 * the rollup split aside, which the model shows as needed until it is built.
 */
import { writeUnits } from '../../handlers/adapters/item-size';
import { parseShardPlan } from '../../schemas/shard-plan';
import {
  ASSUMPTIONS,
  HOT_SITE_SHARDS,
  TARGET,
  builtDesign,
  defaultDesign,
  neededBeyondBuilt,
  sizesFrom,
  targetRecordsPerInvocation,
} from './scale';
import { measureInputs } from './scale-inputs';
import {
  type Sizes,
  TARGET_SHARE,
  firstLimitAt,
  kinesisShardsFor,
  loadsAt,
  scaleRow,
} from './scale-model';

/** Round figures for the arithmetic tests (the measured ones are checked below). */
const S: Sizes = {
  ...ASSUMPTIONS,
  recordBytes: 620,
  eventsPerSession: 20,
  eventsPerSessionPerBatch: 1,
  sessionWcu: 1,
  activeSessionWcu: 1,
  indexEntryWcu: 1,
  indexEntriesPerSession: 1,
  bucketKb: 8,
  chunksPerInvocation: 1,
};

function load(name: string, ...args: Parameters<typeof loadsAt>) {
  const found = loadsAt(...args).find((l) => l.name === name);
  if (found === undefined) throw new Error(`no load named ${name}`);
  return found;
}

/** One small run of the real pipeline for the whole file (600 records). */
const measured = measureInputs({
  sessions: 30,
  concurrentSessions: 10,
  recordsPerInvocation: targetRecordsPerInvocation(),
});

describe('scale model arithmetic', () => {
  it('puts the hot site’s share of the traffic on its ActiveSessions keys, split by the shard count', () => {
    const w = { eventsPerSecond: 10_000, hotSiteShare: 0.3 };
    const design = defaultDesign(10_000, S);
    // 3,000 events/s of one site, one session write each, over 4 keys: 750 WCU/s per key.
    expect(load('ActiveSessions: hot site key', w, design, S).rate).toBe(750);
    expect(
      load('ActiveSessions: hot site key', w, { ...design, activeSessionShards: 64 }, S).rate,
    ).toBeCloseTo(46.875);
    // Coalescing 5 events of a session per batch divides the writes by 5.
    expect(
      load('ActiveSessions: hot site key', w, design, { ...S, eventsPerSessionPerBatch: 5 }).rate,
    ).toBe(150);
  });

  it('puts the hot site’s new sessions on its site-day index keys, split by the split count', () => {
    const w = { eventsPerSecond: 100_000, hotSiteShare: 0.3 };
    const design = defaultDesign(100_000, S);
    expect(load('Sessions index siteDay: hot site key', w, design, S).rate).toBe(1500);
    expect(
      load('Sessions index siteDay: hot site key', w, { ...design, siteDayShards: 4 }, S).rate,
    ).toBe(375);
  });

  it('counts one bucket key’s writers: stream shards of the site’s ActiveSessions keys over the rollup keys', () => {
    const w = { eventsPerSecond: 100_000, hotSiteShare: 0.3 };
    const design = { ...defaultDesign(100_000, S), activeSessionShards: 64 };
    // 64 writer shards × 4 polls/s × 2 transactions per invocation.
    const tx = (rollupShards: number) =>
      load(
        'RealtimeRollups: hot bucket transactions',
        w,
        { ...design, rollupShards },
        {
          ...S,
          chunksPerInvocation: 2,
        },
      ).rate;
    expect(tx(1)).toBe(512);
    expect(tx(32)).toBe(16);
    expect(tx(64)).toBe(8);
  });

  it('sizes Kinesis by records or bytes, whichever needs more shards', () => {
    expect(kinesisShardsFor(100_000, S, 0.5)).toBe(200);
    expect(kinesisShardsFor(1000, { ...S, recordBytes: 4096 }, 0.5)).toBe(8);
  });

  it('finds the default design’s first limit: the hot site’s ActiveSessions keys at 4,000 events/s of that site', () => {
    const first = firstLimitAt(
      { eventsPerSecond: 1000, hotSiteShare: 0.3 },
      (e) => defaultDesign(e, S),
      S,
    );
    expect(first.limit).toBe('ActiveSessions: hot site key');
    expect(first.eventsPerSecond * 0.3).toBeCloseTo(4000, -1);
  });
});

describe('scale model inputs, measured on the real pipeline', () => {
  it('counts the consumer’s writes and sizes its items', () => {
    expect(measured.records).toBe(600);
    expect(measured.eventsPerSession).toBe(20);
    // Live batches of 1 s: a session's events are seconds apart, one per batch.
    expect(measured.eventsPerSessionPerBatch).toBeGreaterThanOrEqual(1);
    expect(measured.eventsPerSessionPerBatch).toBeLessThan(1.1);
    expect(measured.indexEntriesPerSession).toBe(1);
    expect(measured.activeSessionWcu).toBeGreaterThanOrEqual(1);
    expect(measured.activeSessionWcu).toBeLessThanOrEqual(
      writeUnits(measured.maxActiveSessionBytes),
    );
    expect(measured.recordBytes).toBeGreaterThan(300);
    expect(measured.bucketKb).toBeGreaterThan(0.5);
    expect(measured.chunksPerInvocation).toBeGreaterThanOrEqual(1);
  });
});

describe('scale model at the target: 100,000 events/s, one site at 30,000', () => {
  const s = sizesFrom(measured);

  it('keeps every load the built sharding governs under half its limit', () => {
    const row = scaleRow(TARGET, builtDesign(s), s);
    expect(row.hotSiteEventsPerSecond).toBe(30_000);
    const needs = neededBeyondBuilt(s);
    const shares = row.loads
      .filter((l) => l.governedBy === undefined || !(l.governedBy in needs))
      .map((l) => ({ name: l.name, underHalf: l.rate / l.limit <= TARGET_SHARE }));
    expect(shares.filter((l) => !l.underHalf)).toEqual([]);
    // Every part of the sharding is built (the rollup split since ee4e29b): nothing is left out.
    expect(needs).toEqual({});
    expect(row.maxShareOfLimit).toBeLessThanOrEqual(TARGET_SHARE);
  });

  it('needs nothing beyond the documented hot-site setting, and with what it needs every share is ≤ 0.5', () => {
    const needs = neededBeyondBuilt(s);
    // Only the rollup split may still be missing; the setting already asks for enough of it.
    expect(Object.keys(needs).filter((k) => k !== 'rollupShards')).toEqual([]);
    expect(needs.rollupShards ?? 0).toBeLessThanOrEqual(HOT_SITE_SHARDS.rollupKeys);
    expect(() => parseShardPlan(4, { hot: HOT_SITE_SHARDS })).not.toThrow();
    const withNeeds = scaleRow(TARGET, { ...builtDesign(s), ...needs }, s);
    expect(withNeeds.maxShareOfLimit).toBeLessThanOrEqual(TARGET_SHARE);
  });

  it('shows the split’s effect: without rollup keys one bucket item takes every writer shard', () => {
    const unsplit = scaleRow(TARGET, { ...builtDesign(s), rollupShards: 1 }, s);
    expect(unsplit.bindingLimit).toMatch(/^RealtimeRollups: hot bucket/);
    expect(unsplit.maxShareOfLimit).toBeGreaterThan(1);
  });
});
