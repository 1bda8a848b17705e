/**
 * Bodies of DynamoDB's JSON protocol as plain objects, or undefined when they are not: the TTL
 * interceptors pass anything they don't understand through untouched.
 */
export type JsonObject = Record<string, unknown>;

export function asJsonObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function parseJsonObject(body: Buffer): JsonObject | undefined {
  try {
    return asJsonObject(JSON.parse(body.toString('utf8')));
  } catch {
    return undefined;
  }
}
