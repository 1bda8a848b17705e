/**
 * The restore's copy-back (docs/operations/restore.md) against DynamoDB Local: DynamoDB Local has
 * no PITR, so the "restored" table is one of the stack's tables filled by the test, and the
 * original another table with the same key schema (pk, sk).
 */
import { GetItemCommand, PutItemCommand, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { CopyTableError, copyTable } from './copy-table';

let stack: TestStack;
beforeAll(async () => {
  stack = await useTestStack({ name: 'copy-table' });
});
afterAll(() => stack.dispose());

const item = (pk: string, sk: string, state: string) => ({
  pk: { S: pk },
  sk: { S: sk },
  state: { S: state },
});

async function scanAll(table: string) {
  const found = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: table, ConsistentRead: true }),
  );
  return found.Items ?? [];
}

test('copies every restored item over the damaged ones and keeps items only in the original', async () => {
  const restored = stack.names.tables.events;
  const original = stack.names.tables.badRows;
  const dynamodb = stack.clients.dynamodb;
  for (let i = 0; i < 60; i += 1) {
    await dynamodb.send(
      new PutItemCommand({ TableName: restored, Item: item(`site#${i % 7}`, `k${i}`, 'good') }),
    );
  }
  await dynamodb.send(
    new PutItemCommand({ TableName: original, Item: item('site#3', 'k3', 'damaged') }),
  );
  await dynamodb.send(
    new PutItemCommand({ TableName: original, Item: item('site#9', 'after', 'newer') }),
  );

  const progress: number[] = [];
  const totals = await copyTable(dynamodb, {
    source: restored,
    target: original,
    segments: 3,
    pageSize: 7,
    onProgress: ({ written }) => progress.push(written),
  });

  expect(totals).toEqual({ scanned: 60, written: 60 });
  expect(progress.length).toBeGreaterThan(3);
  const after = await scanAll(original);
  expect(after).toHaveLength(61);
  const repaired = await dynamodb.send(
    new GetItemCommand({ TableName: original, Key: { pk: { S: 'site#3' }, sk: { S: 'k3' } } }),
  );
  expect(repaired.Item?.['state']).toEqual({ S: 'good' });
  const kept = await dynamodb.send(
    new GetItemCommand({ TableName: original, Key: { pk: { S: 'site#9' }, sk: { S: 'after' } } }),
  );
  expect(kept.Item?.['state']).toEqual({ S: 'newer' });
});

test('refuses to copy a table onto itself, naming it', async () => {
  const table = stack.names.tables.events;
  await expect(copyTable(stack.clients.dynamodb, { source: table, target: table })).rejects.toThrow(
    new CopyTableError(
      `source and target are both ${JSON.stringify(table)} (expected the restored table and the original)`,
    ),
  );
});

test('names the target when a write is refused', async () => {
  const restored = stack.names.tables.events;
  // Sessions' index keys siteDay as a string: an item carrying it as a number is refused there
  // (ValidationException), the fault a wrong or changed target makes.
  await stack.clients.dynamodb.send(
    new PutItemCommand({
      TableName: restored,
      Item: { ...item('x', 'y', 'good'), siteDay: { N: '1' } },
    }),
  );
  const wrongTarget = stack.names.tables.sessions;
  await expect(
    copyTable(stack.clients.dynamodb, { source: restored, target: wrongTarget, segments: 1 }),
  ).rejects.toThrow(new RegExp(`could not be written to ${wrongTarget}`));
});
