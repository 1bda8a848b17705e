import { transactionWriteUnits } from './consumer-rollup-wcu';

describe('transactionWriteUnits', () => {
  test('each action twice: a new 100 B marker and ten small new buckets are 22 units', () => {
    const actions = [{ before: 0, after: 100 }, ...Array(10).fill({ before: 0, after: 300 })];
    expect(transactionWriteUnits(actions)).toBe(2 * 11);
  });

  test('an update bills the larger image, each action rounded up to whole KB on its own', () => {
    // 2,600 B → 2,700 B: 3 units; 3,100 B → 1,000 B: 4 units; 1,024 B: 1 unit.
    expect(
      transactionWriteUnits([
        { before: 2_600, after: 2_700 },
        { before: 3_100, after: 1_000 },
        { before: 0, after: 1_024 },
      ]),
    ).toBe(2 * (3 + 4 + 1));
  });

  test('an empty transaction bills nothing', () => {
    expect(transactionWriteUnits([])).toBe(0);
  });
});
