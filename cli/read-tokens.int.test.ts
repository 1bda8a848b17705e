/**
 * `admin read-tokens issue | revoke` on the emulators: an issued token is found by the
 * authorizer's own store (by its hash, never stored in clear), a revoked one is gone, and bad
 * arguments are usage errors naming what was expected, before any write.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { hashReadToken } from '../handlers/authorizer/read-token';
import { dynamoReadTokenStore } from '../handlers/authorizer/dynamo-read-tokens';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { runAdmin } from './admin';
import { CliUsageError } from './errors';
import { lines, testTarget } from './test-support/test-target';

let stack: TestStack;

beforeAll(async () => {
  stack = await useTestStack({ name: 'cli-read-tokens' });
});

afterAll(async () => {
  await stack.dispose();
});

async function admin(...argv: string[]): Promise<string[]> {
  const { print, printed } = lines();
  await runAdmin(argv, { target: testTarget(stack), print });
  return printed;
}

function tokenIn(printed: readonly string[]): string {
  const token = /(lirt_[A-Za-z0-9_-]{43})/.exec(printed.join('\n'))?.[1];
  if (token === undefined) throw new Error(`no read token printed: ${JSON.stringify(printed)}`);
  return token;
}

test('issues a token the authorizer finds by its hash, and revokes it', async () => {
  // Arrange
  const store = dynamoReadTokenStore(stack.clients.dynamodb, stack.names.tables.readTokens);

  // Act
  const printed = await admin('read-tokens', 'issue', '--site', 'shop', '--days', '7');
  const token = tokenIn(printed);

  // Assert: found by hash, with the asked lifetime; the clear token is stored nowhere.
  const found = await store.findReadToken('shop', hashReadToken(token));
  const inDays = ((found?.expiresAt ?? 0) - Date.now() / 1000) / 86_400;
  expect(inDays).toBeGreaterThan(6.9);
  expect(inDays).toBeLessThanOrEqual(7);
  const items = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: stack.names.tables.readTokens }),
  );
  expect(JSON.stringify(items.Items)).not.toContain(token);
  expect(printed.join('\n')).toContain(`siteId=shop#token=${token}`);

  // Act: revoke
  await admin('read-tokens', 'revoke', '--site', 'shop', '--token', token);

  // Assert
  expect(await store.findReadToken('shop', hashReadToken(token))).toBeUndefined();
});

test.each([
  [['read-tokens', 'issue'], /--site is missing/],
  [['read-tokens', 'issue', '--site', 'shop', '--days', '0'], /--days "0" is invalid/],
  [['read-tokens', 'issue', '--site', 'shop', '--days', 'soon'], /--days "soon" is invalid/],
  [['read-tokens', 'revoke', '--site', 'shop'], /--token is missing/],
])('%j is a usage error naming what is expected', async (argv, message) => {
  const before = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: stack.names.tables.readTokens, Select: 'COUNT' }),
  );

  const attempt = admin(...argv);

  await expect(attempt).rejects.toThrow(CliUsageError);
  await expect(attempt).rejects.toThrow(message);
  const after = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: stack.names.tables.readTokens, Select: 'COUNT' }),
  );
  expect(after.Count).toBe(before.Count);
});

test('an invalid site id is refused with what a site id may be', async () => {
  await expect(admin('read-tokens', 'issue', '--site', 'no spaces here')).rejects.toThrow(
    /siteId "no spaces here" is invalid \(expected/,
  );
});
