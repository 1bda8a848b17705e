/**
 * ActiveSessions: one PutItem per session per batch with the projection of the session's merged
 * state. Writing the same projection again changes nothing (idempotent). The condition
 * `events <= :events` makes the write order-independent too: a projection abandoned at a
 * deadline that lands after a newer one cannot roll the item back, because a session's `events`
 * count only grows as distinct events are applied. A refused write means a newer projection
 * is already stored, which is success.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
} from '@aws-sdk/client-dynamodb';
import type { ActiveSessionItem } from '../../schemas';
import { type Deadline, withinDeadline } from './deadline';
import { toItem } from './item-codec';

export type ActiveSessionPutResult = 'written' | 'newer-stored';

export class DynamoActiveSessionStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
    private readonly deadline: Deadline,
  ) {}

  async put(item: ActiveSessionItem): Promise<ActiveSessionPutResult> {
    try {
      await withinDeadline(this.deadline, `PutItem ${this.tableName}`, (abortSignal) =>
        this.client.send(
          new PutItemCommand({
            TableName: this.tableName,
            Item: toItem(item),
            ConditionExpression: 'attribute_not_exists(pk) OR #events <= :events',
            ExpressionAttributeNames: { '#events': 'events' },
            ExpressionAttributeValues: { ':events': { N: String(item.events) } },
          }),
          { abortSignal },
        ),
      );
      return 'written';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'newer-stored';
      throw error;
    }
  }
}
