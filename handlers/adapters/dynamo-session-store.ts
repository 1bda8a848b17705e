/**
 * Sessions table: a whole-item PutItem guarded by the item's `version` — `version = :expected`,
 * or `attribute_not_exists(pk)` for a session not stored yet. On a failed condition DynamoDB
 * returns the stored item itself (ReturnValuesOnConditionCheckFailure = ALL_OLD; DynamoDB Local
 * 3.x supports it too), so recovering from a stale cache costs no extra read: the consumer never
 * reads Sessions (its role has no GetItem on the table).
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  type PutItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { VersionedSession } from '../../pipeline/ports';
import { type SessionItem, SessionItemSchema } from '../../schemas';
import { type Deadline, withinDeadline } from './deadline';
import { fromItem, toItem } from './item-codec';

export type ConditionalPutResult =
  | { readonly kind: 'written' }
  /** The stored session (undefined: none) did not have the expected version. */
  | { readonly kind: 'conflict'; readonly current: VersionedSession | undefined };

/**
 * The PutItem condition every sessions-table writer uses (this store, and cli/rebuild.ts's
 * rebuild): the stored version is `expectedVersion`, or no session is stored when undefined.
 */
export function sessionVersionGuard(
  expectedVersion: number | undefined,
): Pick<
  PutItemCommandInput,
  'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
> {
  return expectedVersion === undefined
    ? { ConditionExpression: 'attribute_not_exists(pk)' }
    : {
        ConditionExpression: '#version = :expected',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':expected': { N: String(expectedVersion) } },
      };
}

export class DynamoSessionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly deadline: Deadline,
  ) {}

  /** Writes `item` if the stored version is `expectedVersion`; else returns what is stored. */
  async putGuarded(
    item: SessionItem,
    expectedVersion: number | undefined,
  ): Promise<ConditionalPutResult> {
    const guard = sessionVersionGuard(expectedVersion);
    try {
      await withinDeadline(this.deadline, `PutItem ${this.tableName}`, (abortSignal) =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: toItem(item),
            ...guard,
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
          { abortSignal },
        ),
      );
      return { kind: 'written' };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      return {
        kind: 'conflict',
        current: error.Item === undefined ? undefined : this.versioned(error.Item),
      };
    }
  }

  private versioned(raw: Parameters<typeof fromItem>[2]): VersionedSession {
    const item = fromItem(SessionItemSchema, this.tableName, raw);
    return { item, version: item.version };
  }
}
