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

function number(text: string, path: string): number {
  const value = Number(text);
  // Epoch ms and counts are safe integers; anything else would lose precision silently.
  if (!Number.isFinite(value) || (Number.isInteger(value) && !Number.isSafeInteger(value))) {
    throw new AttributeValueError(
      `${path} is the number ${text} (expected a finite number within ±2^53)`,
    );
  }
  return value;
}

export function decodeAttribute(value: AttributeValue, path = '(item)'): Json {
  if (value.S !== undefined) return value.S;
  if (value.N !== undefined) return number(value.N, path);
  if (value.BOOL !== undefined) return value.BOOL;
  if (value.M !== undefined) return decodeItem(value.M, path);
  if (value.L !== undefined)
    return value.L.map((entry, i) => decodeAttribute(entry, `${path}[${i}]`));
  if (value.NULL === true) return null;
  throw new AttributeValueError(
    `${path} is a DynamoDB ${Object.keys(value).join('/')} value (expected S, N, BOOL, M, L or NULL)`,
  );
}

export function decodeItem(
  item: Record<string, AttributeValue>,
  path = '(item)',
): { [key: string]: Json } {
  const out: { [key: string]: Json } = {};
  for (const key in item) {
    const value = item[key];
    if (value !== undefined) out[key] = decodeAttribute(value, `${path}.${key}`);
  }
  return out;
}
