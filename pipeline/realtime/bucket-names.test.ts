/**
 * Examples of the bound on one bucket: names cut to MAX_NAME_BYTES, and the cap's decisions
 * (the property test checks the counts for any history).
 */
import { NAMES_PER_BREAKDOWN, knownFromCells, resolveNames, type KnownNames } from './bucket-names';
import { MAX_NAME_BYTES, NAME_CUT_MARKER, cellNameOf } from '../capped-names';

function fullOfPages(fresh: boolean): KnownNames {
  const cells = new Map<string, number>([['N:P', NAMES_PER_BREAKDOWN]]);
  for (let i = 0; i < NAMES_PER_BREAKDOWN; i += 1) cells.set(`P:/page-${i}`, 1);
  return { ...knownFromCells(cells), fresh };
}

describe('names in a rollup bucket', () => {
  it('cuts a long name to MAX_NAME_BYTES of UTF-8 on a character boundary, marked', () => {
    const name = `/${'é'.repeat(200)}`;

    const cut = cellNameOf(name);

    expect(Buffer.byteLength(cut, 'utf8')).toBeLessThanOrEqual(MAX_NAME_BYTES);
    expect(cut.endsWith(NAME_CUT_MARKER)).toBe(true);
    expect(name.startsWith(cut.slice(0, -NAME_CUT_MARKER.length))).toBe(true);
    expect(cellNameOf('/short')).toBe('/short');
  });

  it('asks for a read before giving an unknown name a cell', () => {
    expect(resolveNames(new Map([['P:/new', 1]]), undefined).kind).toBe('needs-read');
    expect(
      resolveNames(new Map([['P:/new', 1]]), { ...knownFromCells(new Map()), fresh: false }).kind,
    ).toBe('needs-read');
  });

  it('opens a cell from a fresh read and counts it in the breakdown counter', () => {
    const resolved = resolveNames(
      new Map([
        ['P:/new', 2],
        ['A:07', 1],
      ]),
      knownFromCells(new Map()),
    );

    expect(resolved).toEqual({
      kind: 'resolved',
      cells: new Map([
        ['P:/new', 2],
        ['A:07', 1],
        ['N:P', 1],
      ]),
      creating: new Map([['P', ['P:/new']]]),
    });
  });

  it('counts a name under "other" once its breakdown is full, with no read, and keeps existing cells', () => {
    const resolved = resolveNames(
      new Map([
        ['P:/late', 1],
        ['P:/page-3', -1],
        ['S:direct', 1],
      ]),
      { ...fullOfPages(false), cells: new Set([...fullOfPages(false).cells, 'S:direct']) },
    );

    expect(resolved).toEqual({
      kind: 'resolved',
      cells: new Map([
        ['O:P', 1],
        ['P:/page-3', -1],
        ['S:direct', 1],
      ]),
      creating: new Map(),
    });
  });
});
