import { itemSize, writeUnits } from './item-size';

describe('itemSize (DynamoDB rules)', () => {
  test('strings count UTF-8 bytes, names included', () => {
    expect(itemSize({ pk: { S: 'abc' } })).toBe(2 + 3);
    expect(itemSize({ é: { S: 'ü' } })).toBe(2 + 2);
  });

  test('numbers: one byte per two significant digits plus one', () => {
    expect(itemSize({ n: { N: '7' } })).toBe(1 + 2);
    expect(itemSize({ n: { N: '1700000000000' } })).toBe(1 + 2); // 17 then zeros trimmed
    expect(itemSize({ n: { N: '-123.45' } })).toBe(1 + 4);
  });

  test('maps and lists: 3 bytes + 1 per element + contents', () => {
    const map = { m: { M: { ab: { S: 'x' }, c: { BOOL: true } } } };
    expect(itemSize(map)).toBe(1 + 3 + (1 + 2 + 1) + (1 + 1 + 1));
    expect(itemSize({ l: { L: [{ N: '1' }, { NULL: true }] } })).toBe(1 + 3 + (1 + 2) + (1 + 1));
    expect(itemSize({ e: { M: {} } })).toBe(1 + 3);
  });

  test('binary by bytes, sets by their elements', () => {
    expect(itemSize({ b: { B: new Uint8Array(10) } })).toBe(11);
    expect(itemSize({ s: { SS: ['ab', 'c'] } })).toBe(1 + 3);
  });
});

test('writeUnits: one per started KB, at least one', () => {
  expect([0, 1, 1024, 1025, 4096].map(writeUnits)).toEqual([1, 1, 1, 2, 4]);
});
