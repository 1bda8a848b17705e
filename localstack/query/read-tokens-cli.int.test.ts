/**
 * `npm run read-tokens`: a token it issues reads the site through the real authorizer check,
 * and stops reading once it revokes it.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decideRead } from '../../handlers/authorizer/decide-read';
import { dynamoReadTokenStore } from '../../handlers/authorizer/dynamo-read-tokens';
import { useTestStack, type TestStack } from '../testing/use-test-stack';

const run = promisify(execFile);
const CLI = join(__dirname, 'read-tokens-cli.ts');
const TSX = join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');

let stack: TestStack;

function cli(...args: string[]) {
  return run(TSX, [CLI, ...args], {
    env: {
      ...process.env,
      LIVEINSIGHT_AWS_PORT: new URL(stack.endpoint).port,
      LIVEINSIGHT_STAGE: stack.prefix,
    },
  });
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'read-tokens-cli' });
});

afterAll(() => stack.dispose());

it('issues a token that reads its site, then revokes it', async () => {
  const store = dynamoReadTokenStore(stack.clients.dynamodb, stack.names.tables.readTokens);

  const issued = await cli('issue', 'cli-site', '--label', 'test', '--days', '2');
  const token = /read token of cli-site: (lirt_\S+)/.exec(issued.stdout)?.[1] ?? '';
  const before = await decideRead(
    { authorization: `Bearer ${token}`, siteId: 'cli-site' },
    store,
    Date.now(),
  );
  await cli('revoke', 'cli-site', token);
  const after = await decideRead(
    { authorization: `Bearer ${token}`, siteId: 'cli-site' },
    store,
    Date.now(),
  );

  expect(issued.stdout).toMatch(
    /dashboard: http:\/\/localhost:\d+\/dashboard\/\?siteId=cli-site#token=lirt_/,
  );
  expect(before.kind).toBe('allow');
  expect(after.kind).toBe('forbidden');
});

it('names a wrong argument and exits 2', async () => {
  await expect(cli('issue', 'cli-site', '--days', '400')).rejects.toMatchObject({
    code: 2,
    stderr: expect.stringMatching(/--days "400" is invalid \(expected 1–365\)/),
  });
});
