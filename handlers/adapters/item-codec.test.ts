import { marshall } from '@aws-sdk/util-dynamodb';
import { Type } from '@sinclair/typebox';
import { ItemEncodingError, StoredItemError, fromItem, toItem } from './item-codec';

/** Props as a tracker's JSON carries them: JSON.parse makes every key, `__proto__` too, own. */
const PROTOTYPE_PROPS = JSON.parse(
  '{"constructor": 1, "__proto__": "p", "toString": "s", "hasOwnProperty": true, "valueOf": 0, "__defineGetter__": "g"}',
) as Record<string, unknown>;

const AnyItem = Type.Record(Type.String(), Type.Unknown());

describe('item codec', () => {
  it('encodes props keys named like Object.prototype members as ordinary keys', () => {
    const item = toItem({ pk: 'a', props: PROTOTYPE_PROPS });

    const map = item['props']?.M ?? {};
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(Object.keys(map).sort()).toEqual(Object.keys(PROTOTYPE_PROPS).sort());
    expect(Object.hasOwn(map, '__proto__')).toBe(true);
    expect(map['constructor']).toEqual({ N: '1' });
    // What the SDK's serializer sends: the key is in the request body.
    expect(JSON.stringify(item)).toContain('"__proto__":{"S":"p"}');
  });

  it('decodes them back as own properties of a plain object', () => {
    const back = fromItem(AnyItem, 'T', toItem({ pk: 'a', props: PROTOTYPE_PROPS }));

    const props = back['props'] as Record<string, unknown>;
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    expect(Object.entries(props).sort()).toEqual(Object.entries(PROTOTYPE_PROPS).sort());
  });

  it('is what marshall gives for data without such keys, undefined fields dropped', () => {
    const value = {
      pk: 'a',
      n: 1.5,
      big: 1e21,
      b: false,
      z: null,
      l: [1, 'x', { y: true }],
      m: { k: 'v' },
      gone: undefined,
    };

    expect(toItem(value)).toEqual(
      marshall(value, { removeUndefinedValues: true, allowImpreciseNumbers: true }),
    );
  });

  it('keeps numbers past 2^53 as numbers on the way back (unmarshall makes BigInts)', () => {
    expect(fromItem(AnyItem, 'T', toItem({ pk: 'a', n: 1e125, m: -1e-130 }))).toEqual({
      pk: 'a',
      n: 1e125,
      m: -1e-130,
    });
  });

  it('refuses what no attribute holds, naming where it is', () => {
    expect(() => toItem({ pk: 'a', props: { x: Number.POSITIVE_INFINITY } })).toThrow(
      new ItemEncodingError('(item).props.x', 'the number Infinity'),
    );
    expect(() => toItem({ pk: 'a', when: new Date(0) })).toThrow(
      /\(item\)\.when is an object of class Date/,
    );
    expect(() => toItem({ pk: 'a', s: new Set([1]) })).toThrow(ItemEncodingError);
  });

  it('refuses stored values it never writes, naming the table', () => {
    expect(() => fromItem(AnyItem, 'Events', { pk: { S: 'a' }, s: { SS: ['x'] } })).toThrow(
      StoredItemError,
    );
  });
});
