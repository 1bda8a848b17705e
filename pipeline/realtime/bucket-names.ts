/**
 * The breakdowns' cap: which name of a bucket's delta gets a cell of its own and which counts
 * under its breakdown's "other" cell. Pure: the writer passes what it knows of the bucket item
 * (read strongly consistent, or kept from its own writes) and gets back the cells to write.
 *
 * The rule — a capped map, first come first served — is decided per bucket item:
 * - a name whose cell exists keeps counting there;
 * - a name without a cell gets one while the breakdown has been given fewer than
 *   NAMES_PER_BREAKDOWN cells (the item's `N:<kind>` counter, raised in the same update, under
 *   the condition that it stays within the cap);
 * - otherwise it counts under `O:<kind>` ("other").
 *
 * Why a session's later decrement lands where its increment went, with no record of it: cells
 * never leave a live bucket (`ADD` keeps a 0) and the counter only grows. If the name had a cell
 * when the session was added, the cell still exists; if it went to "other", the breakdown was
 * full then and stays full, so no cell for that name can have appeared since. So "the cell
 * exists now" ⇔ "the session counted there", as long as the writer reads after the increment
 * (the stream orders one item's changes, and reads are strongly consistent).
 *
 * The headline cells (A, B, C, V) never pass through here: they are exact whatever the names.
 */
import { BREAKDOWN_KINDS, type BreakdownKind, type BucketCells } from './rollup';

/** Named cells per breakdown per bucket: enough for a top 10 of each minute's sessions. */
export const NAMES_PER_BREAKDOWN = 64;

const KINDS: ReadonlySet<string> = new Set(BREAKDOWN_KINDS);

export function isBreakdownCell(cell: string): boolean {
  return KINDS.has(cell.charAt(0)) && cell.charAt(1) === ':';
}

export function otherCell(kind: BreakdownKind): string {
  return `O:${kind}`;
}

export function namesCounterCell(kind: BreakdownKind): string {
  return `N:${kind}`;
}

/** What a writer knows of one bucket item's named cells. */
export interface KnownNames {
  /** Named breakdown cells (`P:/docs`) the item holds: they stay as long as the item. */
  readonly cells: ReadonlySet<string>;
  /** `N:<kind>` counters: cells given per breakdown (at least the cells held). */
  readonly given: ReadonlyMap<BreakdownKind, number>;
  /**
   * Read in this very attempt: a name missing from `cells` has no cell *now* (a concurrent
   * writer can still add one; the cap's condition keeps the count honest).
   */
  readonly fresh: boolean;
}

export type NameResolution =
  /** A name's fate needs a fresh read of the item. */
  | { readonly kind: 'needs-read' }
  | {
      readonly kind: 'resolved';
      /** The cells to add: named cells, "other" cells, headline cells, unchanged otherwise. */
      readonly cells: BucketCells;
      /** Cells this write creates, per breakdown (the `N:` counters rise by as many). */
      readonly creating: ReadonlyMap<BreakdownKind, readonly string[]>;
    };

/** The cells to write for one bucket's delta, given what is known of the item. */
export function resolveNames(delta: BucketCells, known: KnownNames | undefined): NameResolution {
  const cells: BucketCells = new Map();
  const creating = new Map<BreakdownKind, string[]>();
  const addCell = (cell: string, n: number) => {
    const next = (cells.get(cell) ?? 0) + n;
    if (next === 0) cells.delete(cell);
    else cells.set(cell, next);
  };
  for (const [cell, n] of delta) {
    if (!isBreakdownCell(cell) || known?.cells.has(cell) === true) {
      addCell(cell, n);
      continue;
    }
    if (known === undefined) return { kind: 'needs-read' };
    const kind = cell.charAt(0) as BreakdownKind;
    const made = creating.get(kind) ?? [];
    const given = (known.given.get(kind) ?? 0) + made.length;
    // Full: every cell the item will ever hold for this breakdown exists already (a full
    // counter never lets another in), so a name the writer does not know has none.
    const full = given >= NAMES_PER_BREAKDOWN;
    if (!full && !known.fresh) return { kind: 'needs-read' };
    // A negative amount for a name without a cell: its increment went to "other" (or was never
    // counted here, e.g. before the rollup started): never open a cell below zero.
    if (full || n < 0) {
      addCell(otherCell(kind), n);
      continue;
    }
    made.push(cell);
    creating.set(kind, made);
    addCell(cell, n);
  }
  for (const [kind, made] of creating) addCell(namesCounterCell(kind), made.length);
  return { kind: 'resolved', cells, creating };
}

/** What is known of the item after a write of `resolution` succeeded. */
export function afterWrite(
  known: KnownNames,
  creating: ReadonlyMap<BreakdownKind, readonly string[]>,
): KnownNames {
  if (creating.size === 0) return { ...known, fresh: false };
  const cells = new Set(known.cells);
  const given = new Map(known.given);
  for (const [kind, made] of creating) {
    for (const cell of made) cells.add(cell);
    given.set(kind, (given.get(kind) ?? 0) + made.length);
  }
  return { cells, given, fresh: false };
}

/** What an item read says: its named cells and its `N:` counters. */
export function knownFromCells(cells: ReadonlyMap<string, number>): KnownNames {
  const named = new Set<string>();
  const given = new Map<BreakdownKind, number>();
  for (const [cell, n] of cells) {
    if (isBreakdownCell(cell)) named.add(cell);
    else if (cell.charAt(0) === 'N' && KINDS.has(cell.slice(2))) {
      given.set(cell.slice(2) as BreakdownKind, n);
    }
  }
  return { cells: named, given, fresh: true };
}
