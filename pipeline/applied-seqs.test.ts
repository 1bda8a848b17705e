import fc from 'fast-check';
import { appliedFromSorted, appliedSize, hasApplied, unionApplied } from './applied-seqs';

describe('applied seq set', () => {
  it('compacts a contiguous prefix into `below`', () => {
    expect(appliedFromSorted([0, 1, 2, 3])).toEqual({ below: 4, above: [] });
  });

  it('keeps arrivals past a gap in `above`, sorted, without repeats', () => {
    expect(appliedFromSorted([0, 1, 4, 4, 7])).toEqual({ below: 2, above: [4, 7] });
  });

  it('absorbs `above` into `below` when the gap fills (union + compaction)', () => {
    const union = unionApplied({ below: 2, above: [3, 4, 9] }, { below: 0, above: [2] });

    expect(union).toEqual({ below: 5, above: [9] });
  });

  it('canonicalises non-canonical input (stale entries below `below`)', () => {
    expect(unionApplied({ below: 5, above: [1, 5, 6, 8] }, { below: 0, above: [] })).toEqual({
      below: 7,
      above: [8],
    });
  });

  it('answers membership below, in and outside `above`', () => {
    const applied = { below: 3, above: [5, 9, 12] };

    expect([0, 2, 3, 4, 5, 9, 10, 12, 13].map((seq) => hasApplied(applied, seq))).toEqual([
      true,
      true,
      false,
      false,
      true,
      true,
      false,
      true,
      false,
    ]);
  });

  it('is a set union: same members, same size, any order of operands (property)', () => {
    const seqSet = fc.uniqueArray(fc.nat({ max: 30 }), { maxLength: 20 });
    fc.assert(
      fc.property(seqSet, seqSet, (xs, ys) => {
        const a = appliedFromSorted([...xs].sort((p, q) => p - q));
        const b = appliedFromSorted([...ys].sort((p, q) => p - q));
        const union = unionApplied(a, b);
        const expected = new Set([...xs, ...ys]);

        expect(unionApplied(b, a)).toEqual(union);
        expect(appliedSize(union)).toBe(expected.size);
        for (let seq = 0; seq <= 31; seq += 1) {
          expect(hasApplied(union, seq)).toBe(expected.has(seq));
        }
      }),
    );
  });
});
