/**
 * Our item shapes to DynamoDB attribute values and back. Reading parses with the item's schema:
 * what comes back from a table is a trust boundary like any other.
 *
 * Not `marshall`/`unmarshall` of @aws-sdk/util-dynamodb: they are unsafe for user-chosen map keys
 * (custom event props). `marshall` takes an object whose own `constructor` key is not a function
 * for a class instance and throws, and both build maps with `map[key] = value`, so a `__proto__`
 * key sets the map's prototype instead of a property: the key vanishes (or the SDK then sends an
 * empty AttributeValue, which DynamoDB refuses). `unmarshall` also turns numbers past 2^53 into
 * BigInt. Our items hold only JSON values, so this codec handles exactly those, builds every map
 * with Object.fromEntries (own data properties, whatever the key) and refuses anything else,
 * naming where it is. The SDK's own serializer writes `__proto__` keys as ordinary keys.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Static, TSchema } from '@sinclair/typebox';
import { formatIssues, parseWith } from '../../schemas';
import type { Item } from './item-size';

/** A value that no DynamoDB attribute can hold, found before any request is sent. */
export class ItemEncodingError extends TypeError {
  override readonly name = 'ItemEncodingError';
  constructor(
    readonly path: string,
    received: string,
  ) {
    super(
      `${path} is ${received} (expected a string, a finite number, a boolean, null, an array or a plain object)`,
    );
  }
}

export function toItem(value: object): Item {
  if (!isPlainObject(value)) {
    throw new ItemEncodingError('(item)', describe(value));
  }
  return encodeMap(value, '(item)');
}

/** Optional fields are absent, never undefined, in a stored item (undefined is dropped). */
function encodeMap(value: object, path: string): Record<string, AttributeValue> {
  const entries: [string, AttributeValue][] = [];
  for (const [key, member] of Object.entries(value)) {
    if (member !== undefined) entries.push([key, encode(member, `${path}.${key}`)]);
  }
  return Object.fromEntries(entries);
}

function encode(value: unknown, path: string): AttributeValue {
  switch (typeof value) {
    case 'string':
      return { S: value };
    case 'number':
      if (!Number.isFinite(value)) throw new ItemEncodingError(path, `the number ${value}`);
      // Shortest round-trip text (e.g. 1e+21): DynamoDB keeps up to 38 digits, a double has 17.
      return { N: String(value) };
    case 'boolean':
      return { BOOL: value };
    case 'object':
      if (value === null) return { NULL: true };
      if (Array.isArray(value)) {
        return {
          L: value
            .filter((member) => member !== undefined)
            .map((member, index) => encode(member, `${path}[${index}]`)),
        };
      }
      if (isPlainObject(value)) return { M: encodeMap(value, path) };
      throw new ItemEncodingError(path, describe(value));
    default:
      throw new ItemEncodingError(path, describe(value));
  }
}

/** Objects made by literals, JSON.parse, Object.fromEntries or Object.create(null). */
function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

function describe(value: unknown): string {
  if (value === null || typeof value !== 'object') return `a ${typeof value}`;
  const prototype: unknown = Object.getPrototypeOf(value);
  const name =
    prototype !== null && typeof prototype === 'object' && Object.hasOwn(prototype, 'constructor')
      ? String((prototype as { constructor: { name?: unknown } }).constructor.name)
      : 'unknown';
  return `an object of class ${name}`;
}

export class StoredItemError extends Error {
  override readonly name = 'StoredItemError';
  constructor(
    readonly table: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`Item read from ${table}: ${message}`, options);
  }
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Attribute values → JSON values; maps keep every key as an own property. */
function decode(value: AttributeValue, path: string, table: string): Json {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) {
    const number = Number(value.N);
    if (!Number.isFinite(number)) {
      throw new StoredItemError(table, `${path} is the number ${value.N} (expected a double)`);
    }
    return number;
  }
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.NULL !== undefined) return null;
  if (value.M !== undefined) return decodeMap(value.M, path, table);
  if (value.L !== undefined)
    return value.L.map((member, i) => decode(member, `${path}[${i}]`, table));
  throw new StoredItemError(
    table,
    `${path} is a DynamoDB ${Object.keys(value).join('/')} value (expected S, N, BOOL, NULL, M or L, which this codec writes)`,
  );
}

function decodeMap(
  map: Record<string, AttributeValue>,
  path: string,
  table: string,
): { [key: string]: Json } {
  return Object.fromEntries(
    Object.entries(map).map(([key, member]) => [key, decode(member, `${path}.${key}`, table)]),
  );
}

export function fromItem<S extends TSchema>(schema: S, table: string, item: Item): Static<S> {
  const parsed = parseWith(schema, decodeMap(item, '(item)', table));
  if (!parsed.ok) {
    throw new StoredItemError(
      table,
      `does not match its schema (${formatIssues(parsed.issues)}); expected an item this consumer wrote`,
    );
  }
  return parsed.value;
}
