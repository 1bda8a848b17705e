/**
 * What a rebuild (cli/rebuild.ts) adds to the realtime rollup when it rewrites one ActiveSessions
 * item from the image it read (`stored`) to the one folded from raw events (`rebuilt`), so that
 * the rollup ends as it would be had the consumer written the rebuilt item in the first place.
 *
 * The rewrite itself reaches the rollup through the ActiveSessions stream, and the rollup applies
 * `changeDelta(stored, rebuilt)` once: every state cell (active, bots, current, breakdowns) moves
 * from the stored image to the rebuilt one. Page views do not: a delta only adds their growth
 * (they happened), so views that the stored image claimed and raw events do not hold stay in the
 * chart. This is that missing part, and only it: minus the stored image's excess views per
 * minute, in the bucket where the rollup counted them (the stored image's), through the
 * rollup's own `changeDelta`. Applied once beside the stream's delta (the two add up in either
 * order), the chart shows the rebuilt views.
 *
 * It assumes the rollup followed the stored image, as it follows every ActiveSessions write: a
 * bot image put no views in the chart, and neither did an item that does not exist (nothing to
 * take away — the stream's INSERT adds the rebuilt views).
 */
import { changeDelta, type RollupSessionImage, type SiteDelta } from './rollup';

export function rebuildCorrection(
  stored: RollupSessionImage | undefined,
  rebuilt: RollupSessionImage | undefined,
): SiteDelta {
  if (stored === undefined || stored.isBot) return new Map();
  const kept = rebuilt === undefined || rebuilt.isBot ? {} : rebuilt.pageviewMinutes;
  const excess: Record<string, number> = {};
  for (const [minute, count] of Object.entries(stored.pageviewMinutes)) {
    const over = count - (kept[minute] ?? 0);
    if (over > 0) excess[minute] = over;
  }
  // The same image with and without the excess views: the state cells cancel, and what is left
  // is the excess as the rollup itself places views, in the stored image's bucket.
  const grown = changeDelta(
    { ...stored, pageviewMinutes: {} },
    { ...stored, pageviewMinutes: excess },
  );
  const correction: SiteDelta = new Map();
  for (const [minute, cells] of grown) {
    correction.set(minute, new Map([...cells].map(([cell, n]) => [cell, -n])));
  }
  return correction;
}
