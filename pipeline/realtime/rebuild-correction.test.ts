/**
 * A rebuild's promise for the rollup: after a session's true history, a corrupted image (views
 * inflated, page, expiry or activity wrong) and the rebuild's rewrite to the true image, the
 * counters plus `rebuildCorrection` answer `/realtime` exactly as the true history alone does.
 */
import fc from 'fast-check';
import { epochMinute } from '../session-aggregate';
import { rebuildCorrection } from './rebuild-correction';
import {
  bucketRange,
  changeDelta,
  mergeInto,
  type RollupSessionImage,
  type SiteDelta,
} from './rollup';
import { answerFromRollup } from './rollup-answer';

const START_MS = Date.UTC(2026, 11, 8, 9, 0, 0);

/** A human session's images, one per step of `gapsMs` (each step a page view or not). */
function history(gaps: readonly { gapMs: number; pageview: boolean }[]): RollupSessionImage[] {
  const images: RollupSessionImage[] = [];
  const pageviewMinutes: Record<string, number> = {};
  let at = START_MS;
  for (const { gapMs, pageview } of gaps) {
    at += gapMs;
    if (pageview) {
      const minute = String(epochMinute(at));
      pageviewMinutes[minute] = (pageviewMinutes[minute] ?? 0) + 1;
    }
    images.push({
      expiresAt: Math.floor(at / 1000) + 30 * 60,
      lastInteractionAt: at,
      isBot: false,
      currentPage: pageview ? '/p' : '/',
      source: 'direct',
      deviceType: 'desktop',
      country: 'DE',
      pageviewMinutes: { ...pageviewMinutes },
    });
  }
  return images;
}

function counters(changes: readonly [RollupSessionImage | undefined, RollupSessionImage][]) {
  const into: SiteDelta = new Map();
  for (const [before, after] of changes) mergeInto(into, changeDelta(before, after));
  return into;
}

function answer(delta: SiteDelta, nowMs: number) {
  const { from, to } = bucketRange(nowMs);
  const buckets = [...delta]
    .filter(([minute]) => minute >= from && minute <= to)
    .map(([minute, cells]) => ({ minute, cells }));
  return answerFromRollup(buckets, { siteId: 'site-a', nowMs, rows: 10 });
}

describe('rebuildCorrection', () => {
  it('with the stream delta of the rewrite, answers as the true history', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            gapMs: fc.integer({ min: 0, max: 40 }).map((tens) => tens * 10_000),
            pageview: fc.boolean(),
          }),
          { minLength: 1, maxLength: 6 },
        ),
        fc.record({
          extraViews: fc.array(fc.tuple(fc.integer({ min: 0, max: 8 }), fc.nat(5)), {
            maxLength: 3,
          }),
          expiryShiftS: fc.integer({ min: -120, max: 600 }),
          page: fc.constantFrom('/', '/corrupt'),
        }),
        fc.integer({ min: 0, max: 31 * 6 }).map((tens) => tens * 10_000),
        (gaps, corruption, readAfterMs) => {
          const images = history(gaps);
          const truth = images[images.length - 1] as RollupSessionImage;
          const inflated = { ...truth.pageviewMinutes };
          const lastMinute = epochMinute(truth.lastInteractionAt);
          for (const [back, n] of corruption.extraViews) {
            const minute = String(lastMinute - back);
            inflated[minute] = (inflated[minute] ?? 0) + n;
          }
          const corrupted: RollupSessionImage = {
            ...truth,
            expiresAt: truth.expiresAt + corruption.expiryShiftS,
            currentPage: corruption.page,
            pageviewMinutes: inflated,
          };
          const chain: [RollupSessionImage | undefined, RollupSessionImage][] = images.map(
            (image, i) => [images[i - 1], image],
          );
          const built = counters(chain);
          const rebuilt = mergeInto(
            counters([...chain, [truth, corrupted], [corrupted, truth]]),
            rebuildCorrection(corrupted, truth),
          );
          const nowMs = truth.lastInteractionAt + readAfterMs;
          expect(answer(rebuilt, nowMs)).toEqual(answer(built, nowMs));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('takes away only the views the stored image has beyond the rebuilt one, in its bucket', () => {
    const minute = epochMinute(START_MS);
    const rebuilt = history([{ gapMs: 0, pageview: true }])[0] as RollupSessionImage;
    const stored = {
      ...rebuilt,
      expiresAt: rebuilt.expiresAt + 60,
      pageviewMinutes: { [minute]: 4, [minute - 1]: 2 },
    };
    const bucket = Math.floor(stored.expiresAt / 60);
    expect(rebuildCorrection(stored, rebuilt)).toEqual(
      new Map([
        [
          bucket,
          new Map([
            [`V:${minute - bucket}`, -3],
            [`V:${minute - 1 - bucket}`, -2],
          ]),
        ],
      ]),
    );
    // A rebuilt bot keeps none of the views; a stored bot or no stored item: nothing counted.
    expect(rebuildCorrection(stored, { ...rebuilt, isBot: true }).get(bucket)?.size).toBe(2);
    expect(rebuildCorrection({ ...stored, isBot: true }, rebuilt).size).toBe(0);
    expect(rebuildCorrection(undefined, rebuilt).size).toBe(0);
    expect(rebuildCorrection(rebuilt, rebuilt).size).toBe(0);
  });
});
