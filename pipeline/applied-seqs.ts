/**
 * The set of `seq` numbers a session has applied, as `{below, above}`: every seq < `below`, plus
 * the sorted `above` ones (arrivals past a gap). Canonical form: `above` is sorted, unique and
 * every element is > `below` (an element equal to `below` is absorbed by incrementing it). In
 * canonical form equal sets have equal representations, so union is associative and commutative
 * on representations too, and the item stays small: a session that arrives in order is `{n, []}`.
 */
import type { AppliedSeqs } from '../schemas';

export function appliedSize(applied: AppliedSeqs): number {
  return applied.below + applied.above.length;
}

export function hasApplied(applied: AppliedSeqs, seq: number): boolean {
  if (seq < applied.below) return true;
  const above = applied.above;
  let lo = 0;
  let hi = above.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const value = above[mid] as number;
    if (value === seq) return true;
    if (value < seq) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** The canonical set of ascending `seqs` (duplicates allowed and ignored). */
export function appliedFromSorted(seqs: readonly number[]): AppliedSeqs {
  let below = 0;
  const above: number[] = [];
  for (const seq of seqs) {
    if (seq < below || above[above.length - 1] === seq) continue;
    // Sorted input: once a gap has put something in `above`, `below` can no longer grow.
    if (seq === below && above.length === 0) below += 1;
    else above.push(seq);
  }
  return { below, above };
}

/** Set union, in canonical form (also when the inputs were not canonical). */
export function unionApplied(a: AppliedSeqs, b: AppliedSeqs): AppliedSeqs {
  const below = Math.max(a.below, b.below);
  if (a.above.length === 0 && b.above.length === 0) return { below, above: [] };
  const merged = [...a.above, ...b.above].sort((x, y) => x - y);
  const above: number[] = [];
  let next = below;
  for (const seq of merged) {
    if (seq < next || above[above.length - 1] === seq) continue;
    if (seq === next && above.length === 0) next += 1;
    else above.push(seq);
  }
  return { below: next, above };
}
