import { dedupeByKey } from './batch-write';

const put = (table: string, pk: string, sk: string | undefined, tag: number) => ({
  table,
  item: { pk: { S: pk }, ...(sk === undefined ? {} : { sk: { S: sk } }), n: { N: String(tag) } },
  tags: [tag],
});

describe('dedupeByKey', () => {
  test('one put per table and key, carrying every tag; the last content wins', () => {
    const result = dedupeByKey([
      put('events', 'site#s1', 'e1', 1),
      put('events', 'site#s1', 'e2', 2),
      put('events', 'site#s1', 'e1', 3),
      put('bad-rows', 'site#s1', 'e1', 4),
    ]);

    expect(result.map((r) => [r.table, r.item['sk']?.S, r.tags, r.item['n']?.N])).toEqual([
      ['events', 'e1', [1, 3], '3'],
      ['events', 'e2', [2], '2'],
      ['bad-rows', 'e1', [4], '4'],
    ]);
  });

  test('a table without a sort key is keyed by pk alone', () => {
    expect(dedupeByKey([put('t', 'a', undefined, 1), put('t', 'a', undefined, 2)])).toHaveLength(1);
  });

  test('an item without a string pk is refused, naming its attributes', () => {
    expect(() => dedupeByKey([{ table: 't', item: { id: { S: 'x' } }, tags: [1] }])).toThrow(
      'Put into t: item has no string attribute "pk" (received attributes ["id"])',
    );
  });
});
