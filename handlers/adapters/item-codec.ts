/**
 * Our item shapes to DynamoDB attribute values and back. Reading parses with the item's schema:
 * what comes back from a table is a trust boundary like any other.
 */
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import type { Static, TSchema } from '@sinclair/typebox';
import { formatIssues, parseWith } from '../../schemas';
import type { Item } from './item-size';

export function toItem(value: object): Item {
  // Optional fields are absent, never undefined, in a stored item.
  return marshall(value, { removeUndefinedValues: true, convertClassInstanceToMap: false });
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

export function fromItem<S extends TSchema>(schema: S, table: string, item: Item): Static<S> {
  const parsed = parseWith(schema, unmarshall(item));
  if (!parsed.ok) {
    throw new StoredItemError(
      table,
      `does not match its schema (${formatIssues(parsed.issues)}); expected an item this consumer wrote`,
    );
  }
  return parsed.value;
}
