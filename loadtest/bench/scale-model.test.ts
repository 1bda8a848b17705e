/** The scale model's arithmetic, and that the target design stays under half of every limit. */
import { TARGET, sizes, targetDesign, todaysDesign } from './scale';
import {
  type Sizes,
  TARGET_SHARE,
  firstLimitAt,
  kinesisShardsFor,
  loadsAt,
  scaleRow,
} from './scale-model';

const S: Sizes = {
  ...sizes(),
  activeSessionWcu: 1,
  eventsPerSessionPerBatch: 1,
  eventsPerSession: 20,
};

function load(name: string, ...args: Parameters<typeof loadsAt>) {
  const found = loadsAt(...args).find((l) => l.name === name);
  if (found === undefined) throw new Error(`no load named ${name}`);
  return found;
}

describe('scale model', () => {
  it('puts the hot site’s share of the traffic on its ActiveSessions keys, split by the shard count', () => {
    const w = { eventsPerSecond: 10_000, hotSiteShare: 0.3 };
    const design = { ...todaysDesign(10_000, S), activeSessionShards: 4 };
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

  it('puts the hot site’s new sessions on its site-day index key', () => {
    const w = { eventsPerSecond: 100_000, hotSiteShare: 0.3 };
    expect(load('Sessions index siteDay: hot site key', w, todaysDesign(100_000, S), S).rate).toBe(
      1500,
    );
  });

  it('sizes Kinesis by records or bytes, whichever needs more shards', () => {
    expect(kinesisShardsFor(100_000, S, 0.5)).toBe(200);
    expect(kinesisShardsFor(1000, { ...S, recordBytes: 4096 }, 0.5)).toBe(8);
  });

  it('finds today’s first limit: the hot site’s ActiveSessions keys at 4,000 events/s of that site', () => {
    const first = firstLimitAt(
      { eventsPerSecond: 1000, hotSiteShare: 0.3 },
      (e) => todaysDesign(e, S),
      S,
    );
    expect(first.limit).toBe('ActiveSessions: hot site key');
    expect(first.eventsPerSecond * 0.3).toBeCloseTo(4000, -1);
  });

  it('shows that sharding ActiveSessions alone moves the limit to the rollup bucket', () => {
    const design = { ...targetDesign(S), rollupShards: 1 };
    const row = scaleRow(TARGET, design, S);
    expect(row.bindingLimit).toMatch(/^RealtimeRollups: hot bucket/);
    expect(row.maxShareOfLimit).toBeGreaterThan(1);
  });

  it('keeps every partition, item, shard and quota under half its limit at the target', () => {
    const row = scaleRow(TARGET, targetDesign(S), S);
    expect(row.hotSiteEventsPerSecond).toBe(30_000);
    for (const l of row.loads)
      expect({ name: l.name, share: l.rate / l.limit < TARGET_SHARE }).toEqual({
        name: l.name,
        share: true,
      });
    expect(row.maxShareOfLimit).toBeLessThan(TARGET_SHARE);
  });
});
