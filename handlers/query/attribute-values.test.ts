import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import fc from 'fast-check';
import { AttributeValueError, decodeItem } from './attribute-values';

const scalar = fc.oneof(
  fc.string(),
  fc.boolean(),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
  fc.double({ min: -1e15, max: 1e15, noNaN: true }),
  fc.constant(null),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    scalar,
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('value'), { maxKeys: 4 }),
  ),
}));

describe('decodeItem', () => {
  it('decodes what the SDK marshals exactly as the SDK unmarshalls it', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), value), (item) => {
        const raw = marshall(item, { convertEmptyValues: false });

        expect(decodeItem(raw)).toEqual(unmarshall(raw));
      }),
      { numRuns: 300 },
    );
  });

  it('refuses sets and unsafe integers, naming the attribute', () => {
    expect(() => decodeItem({ tags: { SS: ['a'] } })).toThrow(AttributeValueError);
    expect(() => decodeItem({ tags: { SS: ['a'] } })).toThrow(
      /\(item\)\.tags is a DynamoDB SS value/,
    );
    expect(() => decodeItem({ big: { N: '9007199254740993' } })).toThrow(
      /\(item\)\.big is the number 9007199254740993/,
    );
  });
});
