/**
 * DynamoDB Local's streams, read through the one endpoint: writes to Sessions appear as
 * INSERT / MODIFY / REMOVE with both images; Events has no stream; every table has TTL on.
 */
import {
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { readStreamRecords } from '../testing/stream-records';
import { type TestStack, useTestStack } from '../testing/use-test-stack';

describe('DynamoDB Streams through the one endpoint', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await useTestStack({ name: 'ddb-streams' });
  });
  afterAll(() => stack.dispose());

  it('records INSERT, MODIFY and REMOVE for writes, with old and new images', async () => {
    // Arrange
    const TableName = stack.names.tables.sessions;
    const Key = { pk: { S: 'site-1#session-1' } };

    // Act
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName, Item: { ...Key, pageviews: { N: '1' } } }),
    );
    await stack.clients.dynamodb.send(
      new UpdateItemCommand({
        TableName,
        Key,
        UpdateExpression: 'SET pageviews = :two',
        ExpressionAttributeValues: { ':two': { N: '2' } },
      }),
    );
    await stack.clients.dynamodb.send(new DeleteItemCommand({ TableName, Key }));
    const records = await readStreamRecords(stack.clients, TableName, (all) => all.length >= 3);

    // Assert
    expect(records.map((record) => record.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records[1]?.dynamodb?.OldImage?.pageviews).toEqual({ N: '1' });
    expect(records[1]?.dynamodb?.NewImage?.pageviews).toEqual({ N: '2' });
    expect(records[2]?.dynamodb?.OldImage?.pageviews).toEqual({ N: '2' });
    expect(records[2]?.dynamodb?.Keys).toEqual(Key);
    // The SDK gives a Date; Lambda events carry epoch seconds (the event builder converts).
    expect(records[0]?.dynamodb?.ApproximateCreationDateTime).toBeInstanceOf(Date);
    // A user delete carries no TTL identity.
    expect(records[2]?.userIdentity).toBeUndefined();
  });

  it('gives Sessions and ActiveSessions a stream with both images, and Events none', async () => {
    const streams: Record<string, string | undefined> = {};
    for (const table of stack.resources.tables) {
      const { Table } = await stack.clients.dynamodb.send(
        new DescribeTableCommand({ TableName: table.tableName }),
      );
      streams[table.key] = Table?.StreamSpecification?.StreamEnabled
        ? Table.StreamSpecification.StreamViewType
        : undefined;
    }
    expect(streams).toMatchObject({
      events: undefined,
      sessions: 'NEW_AND_OLD_IMAGES',
      activeSessions: 'NEW_AND_OLD_IMAGES',
      badRows: undefined,
    });
  });

  it('enables TTL on expiresAt for every table that defines one, and on no other', async () => {
    for (const table of stack.resources.tables) {
      const { TimeToLiveDescription } = await stack.clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: table.tableName }),
      );
      expect([table.tableName, TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED']).toEqual([
        table.tableName,
        table.ttl !== undefined,
      ]);
      if (table.ttl !== undefined) {
        expect(TimeToLiveDescription).toEqual({
          AttributeName: table.ttl.attribute,
          TimeToLiveStatus: 'ENABLED',
        });
      }
    }
  });
});
