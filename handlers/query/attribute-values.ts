/**
 * DynamoDB attribute values → plain JSON values, for the query path only. `unmarshall` of
 * @aws-sdk/util-dynamodb is general (sets, NumberValue wrappers, options) and costs about 5 µs an
 * item — 50 ms of a 10,000-session /realtime. ActiveSessions items hold only strings, numbers,
 * booleans and maps, so this decoder handles those (and lists, null) and refuses anything else,
 * naming it; the result is parsed with the projection's schema right after.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';

export class AttributeValueError extends TypeError {
  override readonly name = 'AttributeValueError';
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function number(text: string, path: () => string): number {
  const value = Number(text);
  // Epoch ms and counts are safe integers; anything else would lose precision silently.
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new AttributeValueError(
      `${path()} is the number ${text} (expected a finite number within ±2^53)`,
    );
  }
  return value;
}

/**
 * `parent` and `key` name the value for error messages; the path string is only built when one
 * is thrown (building it for each of 100,000 attributes showed in the profile).
 */
function decode(value: AttributeValue, parent: string, key: string | number): Json {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return number(value.N, () => pathOf(parent, key));
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.M !== undefined) return decodeItem(value.M, pathOf(parent, key));
  if (value.L !== undefined) {
    const path = pathOf(parent, key);
    return value.L.map((entry, i) => decode(entry, path, i));
  }
  if (value.NULL === true) return null;
  throw new AttributeValueError(
    `${pathOf(parent, key)} is a DynamoDB ${Object.keys(value).join('/')} value (expected S, N, BOOL, M, L or NULL)`,
  );
}

function pathOf(parent: string, key: string | number): string {
  return typeof key === 'number' ? `${parent}[${key}]` : `${parent}.${key}`;
}

export function decodeItem(
  item: Record<string, AttributeValue>,
  path = '(item)',
): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key in item) {
    const value = item[key];
    if (value !== undefined) out[key] = decode(value, path, key);
  }
  return out;
}
