/**
 * The TTL sweeper against DynamoDB Local: it deletes only items whose numeric TTL has passed
 * (after the configured lag), and the REMOVE records of its deletes carry AWS's TTL identity
 * when read through the one endpoint, while a user's delete does not.
 */
import {
  DeleteItemCommand,
  DescribeTimeToLiveCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../handlers/aws-clients';
import { TtlDeletionLog } from '../ttl/ttl-deletion-log';
import { startTtlSweeper } from '../ttl/ttl-sweeper';
import { readStreamRecords } from '../testing/stream-records';
import { type TestStack, describeWithEmulators, useTestStack } from '../testing/use-test-stack';

const nowSeconds = (): number => Math.floor(Date.now() / 1_000);

function item(sk: string, expiresAt?: { N: string } | { S: string }) {
  return {
    pk: { S: 'site-1#0' },
    sk: { S: sk },
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

describeWithEmulators()('TTL sweeper', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await useTestStack({ name: 'ttl-sweeper' });
  });
  afterAll(() => stack.dispose());

  it('deletes only expired items; its REMOVE records carry the TTL service identity', async () => {
    // Arrange
    const TableName = stack.names.tables.activeSessions;
    const now = nowSeconds();
    const items = [
      item('expired', { N: String(now - 100) }),
      item('fresh', { N: String(now + 3_600) }),
      item('not-a-number', { S: String(now - 100) }),
      item('no-ttl'),
      // AWS ignores TTL values more than five years in the past.
      item('ancient', { N: String(now - 6 * 365 * 86_400) }),
      item('user-deleted', { N: String(now + 3_600) }),
    ];
    for (const Item of items) {
      await stack.clients.dynamodb.send(new PutItemCommand({ TableName, Item }));
    }
    await stack.clients.dynamodb.send(
      new DeleteItemCommand({
        TableName,
        Key: { pk: { S: 'site-1#0' }, sk: { S: 'user-deleted' } },
      }),
    );

    // Act
    const swept = await stack.sweepTtl([TableName]);

    // Assert: what was deleted, what is left
    expect(swept).toEqual([
      { tableName: TableName, keys: { pk: { S: 'site-1#0' }, sk: { S: 'expired' } } },
    ]);
    const { Items } = await stack.clients.dynamodb.send(new ScanCommand({ TableName }));
    expect((Items ?? []).map((left) => left.sk?.S).sort()).toEqual([
      'ancient',
      'fresh',
      'no-ttl',
      'not-a-number',
    ]);

    // Assert: the stream tells TTL deletes from user deletes, as AWS does
    const records = await readStreamRecords(
      stack.clients,
      TableName,
      (all) => all.filter((record) => record.eventName === 'REMOVE').length >= 2,
    );
    const removes = records
      .filter((record) => record.eventName === 'REMOVE')
      .map((record) => [record.dynamodb?.Keys?.sk?.S, record.userIdentity]);
    expect(removes).toEqual([
      ['user-deleted', undefined],
      ['expired', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
    ]);
  });

  it('waits for the configured lag after expiry before deleting', async () => {
    // Arrange: a sweeper of our own (lag 60 s) on this file's BadRows table.
    const TableName = stack.names.tables.badRows;
    const now = nowSeconds();
    const key = (sk: string) => ({ pk: { S: '2026-01-01#0' }, sk: { S: sk } });
    await stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: { ...key('within-lag'), expiresAt: { N: String(now - 30) } },
      }),
    );
    await stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: { ...key('past-lag'), expiresAt: { N: String(now - 120) } },
      }),
    );
    const log = new TtlDeletionLog();
    const sweeper = startTtlSweeper({
      dynamodb: stack.clients.dynamodb,
      log,
      intervalMs: 'manual',
      lagSeconds: 60,
    });

    // Act
    const swept = await sweeper.sweepNow([TableName]);
    await sweeper.stop();

    // Assert
    expect(swept.map((deleted) => deleted.keys.sk)).toEqual([{ S: 'past-lag' }]);
    expect(log.deletions(TableName).map((deletion) => deletion.oldImage?.sk)).toEqual([
      { S: 'past-lag' },
    ]);
  });

  it('spares an item whose TTL was extended after the scan (conditional delete)', async () => {
    // Arrange: a clock that says "now" is far ahead only for the scan's cutoff is not enough —
    // extend the item between scan and delete by racing an update through a slow first call.
    const TableName = stack.names.tables.events;
    const Key = { pk: { S: 'site-1#s-ext' }, sk: { S: 'e-1' } };
    const now = nowSeconds();
    await stack.clients.dynamodb.send(
      new PutItemCommand({ TableName, Item: { ...Key, expiresAt: { N: String(now - 10) } } }),
    );
    const log = new TtlDeletionLog();
    let extended = false;
    // Fault injection as SDK middleware: before the sweeper's DeleteItem, extend the TTL.
    stack.clients.dynamodb.middlewareStack.add(
      (next, context) => async (args) => {
        if (context.commandName === 'DeleteItemCommand' && !extended) {
          extended = true;
          await stack.clients.dynamodb.send(
            new PutItemCommand({
              TableName,
              Item: { ...Key, expiresAt: { N: String(now + 3_600) } },
            }),
          );
        }
        return next(args);
      },
      { step: 'initialize', name: 'extendTtlBeforeDelete' },
    );
    const sweeper = startTtlSweeper({
      dynamodb: stack.clients.dynamodb,
      log,
      intervalMs: 'manual',
      lagSeconds: 0,
    });

    // Act
    const swept = await sweeper.sweepNow([TableName]);
    await sweeper.stop();
    stack.clients.dynamodb.middlewareStack.remove('extendTtlBeforeDelete');

    // Assert
    expect(extended).toBe(true);
    expect(swept).toEqual([]);
    expect(log.deletions()).toEqual([]);
    const { Items } = await stack.clients.dynamodb.send(new ScanCommand({ TableName }));
    expect(Items?.map((left) => left.expiresAt)).toEqual([{ N: String(now + 3_600) }]);
  });

  it('keeps DynamoDB Local’s own TTL job away: expired items stay until the sweeper runs', async () => {
    // Arrange
    const TableName = stack.names.tables.sessions;
    const Key = { pk: { S: 'site-1#stays' } };
    await stack.clients.dynamodb.send(
      new PutItemCommand({
        TableName,
        Item: { ...Key, expiresAt: { N: String(nowSeconds() - 5) } },
      }),
    );
    // Act: DynamoDB Local's job runs about once a second; give it three chances.
    const deadline = Date.now() + 3_000;
    const seen: boolean[] = [];
    while (Date.now() < deadline) {
      const { Item } = await stack.clients.dynamodb.send(
        new GetItemCommand({ TableName, Key, ConsistentRead: true }),
      );
      seen.push(Item !== undefined);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Assert: still there (AWS keeps expired items for up to about two days, too)…
    expect(seen.every(Boolean)).toBe(true);
    // …and clients see the attribute they configured, DynamoDB Local the shadow one.
    const viaEndpoint = await stack.clients.dynamodb.send(
      new DescribeTimeToLiveCommand({ TableName }),
    );
    expect(viaEndpoint.TimeToLiveDescription?.AttributeName).toBe('expiresAt');
    const direct = createAwsClients({
      endpoint: stack.dynamodbLocalEndpoint ?? '',
      region: stack.region,
    });
    try {
      const stored = await direct.dynamodb.send(new DescribeTimeToLiveCommand({ TableName }));
      expect(stored.TimeToLiveDescription?.AttributeName).toBe('__liveinsight_ttl__expiresAt');
    } finally {
      direct.destroy();
    }
  });

  it('turns REMOVE records of DynamoDB Local’s own TTL job into AWS’s TTL REMOVE records', async () => {
    // Arrange: TTL enabled on DynamoDB Local directly, bypassing the endpoint.
    const TableName = stack.names.tables.activeSessions;
    const direct = createAwsClients({
      endpoint: stack.dynamodbLocalEndpoint ?? '',
      region: stack.region,
    });
    try {
      await direct.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: {
            AttributeName: '__liveinsight_ttl__expiresAt',
            Enabled: false,
          },
        }),
      );
      await direct.dynamodb.send(
        new UpdateTimeToLiveCommand({
          TableName,
          TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        }),
      );
      await stack.clients.dynamodb.send(
        new PutItemCommand({
          TableName,
          Item: {
            pk: { S: 'site-1#1' },
            sk: { S: 'native' },
            expiresAt: { N: String(nowSeconds() - 5) },
          },
        }),
      );

      // Act: DynamoDB Local deletes it within about a second; read through the endpoint.
      const records = await readStreamRecords(stack.clients, TableName, (all) =>
        all.some(
          (record) => record.dynamodb?.Keys?.sk?.S === 'native' && record.eventName !== 'INSERT',
        ),
      );

      // Assert
      const removal = records.find(
        (record) => record.dynamodb?.Keys?.sk?.S === 'native' && record.eventName !== 'INSERT',
      );
      expect(removal?.eventName).toBe('REMOVE');
      expect(removal?.userIdentity).toEqual({
        PrincipalId: 'dynamodb.amazonaws.com',
        Type: 'Service',
      });
    } finally {
      direct.destroy();
    }
  });
});
