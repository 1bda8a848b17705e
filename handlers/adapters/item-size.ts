/**
 * DynamoDB's item size rules, for the 400 KB item limit and for write units (one per started
 * 1 KB). Follows "Item sizes and formats" in the DynamoDB developer guide:
 * strings and binaries by their bytes, numbers ≈ 1 byte per two significant digits + 1,
 * booleans and nulls 1 byte, lists and maps 3 bytes + 1 byte per element + their contents,
 * plus the UTF-8 length of every attribute name and map key.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { match, P } from 'ts-pattern';

export type Item = Record<string, AttributeValue>;

/** DynamoDB's maximum item size, names included. */
export const MAX_ITEM_BYTES = 400 * 1024;

const utf8 = (text: string): number => Buffer.byteLength(text, 'utf8');

function numberSize(text: string): number {
  // Significant digits: drop sign, exponent, the decimal point and leading/trailing zeros.
  const mantissa = text
    .replace(/^[-+]/, '')
    .replace(/[eE].*$/, '')
    .replace('.', '');
  const significant = mantissa.replace(/^0+/, '').replace(/0+$/, '');
  return Math.ceil(Math.max(significant.length, 1) / 2) + 1;
}

export function attributeValueSize(value: AttributeValue): number {
  return match(value)
    .with({ S: P.string }, (v) => utf8(v.S))
    .with({ N: P.string }, (v) => numberSize(v.N))
    .with({ B: P.nonNullable }, (v) => v.B.byteLength)
    .with({ BOOL: P.boolean }, () => 1)
    .with({ NULL: P.boolean }, () => 1)
    .with({ SS: P.array() }, (v) => v.SS.reduce((sum, s) => sum + utf8(s), 0))
    .with({ NS: P.array() }, (v) => v.NS.reduce((sum, n) => sum + numberSize(n), 0))
    .with({ BS: P.array() }, (v) => v.BS.reduce((sum, b) => sum + b.byteLength, 0))
    .with({ L: P.array() }, (v) =>
      v.L.reduce((sum, element) => sum + 1 + attributeValueSize(element), 3),
    )
    .with({ M: P.nonNullable }, (v) =>
      Object.entries(v.M).reduce(
        (sum, [key, element]) => sum + 1 + utf8(key) + attributeValueSize(element),
        3,
      ),
    )
    .otherwise(() => {
      throw new TypeError(
        `Unsupported DynamoDB attribute value with keys ${JSON.stringify(Object.keys(value))} (expected one of S, N, B, BOOL, NULL, SS, NS, BS, L, M)`,
      );
    });
}

export function itemSize(item: Item): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + utf8(name) + attributeValueSize(value),
    0,
  );
}

/** Write units of writing an item of `bytes` (standard tables: one unit per started KB). */
export function writeUnits(bytes: number): number {
  return Math.max(1, Math.ceil(bytes / 1024));
}
