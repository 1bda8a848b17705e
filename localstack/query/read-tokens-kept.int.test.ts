/**
 * `npm start` keeps its demo read tokens across restarts instead of issuing new ones that stay
 * valid for a year: same state dir → same token, valid; the earlier tokens it issued for a site
 * are revoked (also when the state dir was lost but DynamoDB kept the table); tokens issued by
 * hand are left alone; a table that started empty (DynamoDB Local in memory) gets the kept
 * token's hash again. Against DynamoDB Local, with a temporary state dir.
 */
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { dynamoReadTokenStore, issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { hashReadToken } from '../../handlers/authorizer/read-token';
import { useTestStack, type TestStack } from '../testing/use-test-stack';
import {
  DEMO_READ_TOKEN_LIFETIME_SECONDS,
  KEPT_READ_TOKENS_FILE,
  LOCAL_READ_TOKEN_LABEL,
  keepDemoReadTokens,
} from './read-tokens-kept';

const SITES = ['demo-shop', 'demo-blog'] as const;
const nowMs = Date.now();

let stack: TestStack;
let stateDir: string;

function product(dir = stateDir) {
  return { clients: stack.clients, resources: stack.resources, config: { stateDir: dir } };
}

async function tokensOf(siteId: string): Promise<{ sk: string; label: string }[]> {
  const answer = await stack.clients.dynamodb.send(
    new QueryCommand({
      TableName: stack.names.tables.readTokens,
      KeyConditionExpression: 'pk = :site',
      ExpressionAttributeValues: { ':site': { S: siteId } },
    }),
  );
  return (answer.Items ?? []).map((item) => ({
    sk: item['sk']?.S ?? '',
    label: item['label']?.S ?? '',
  }));
}

async function clearTable(): Promise<void> {
  for (const siteId of SITES) {
    for (const { sk } of await tokensOf(siteId)) {
      await stack.clients.dynamodb.send(
        new DeleteItemCommand({
          TableName: stack.names.tables.readTokens,
          Key: { pk: { S: siteId }, sk: { S: sk } },
        }),
      );
    }
  }
}

async function allows(siteId: string, token: string): Promise<boolean> {
  const store = dynamoReadTokenStore(stack.clients.dynamodb, stack.names.tables.readTokens);
  const found = await store.findReadToken(siteId, hashReadToken(token));
  return found !== undefined && found.expiresAt * 1000 > nowMs;
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'read-tokens-kept' });
});

beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'liveinsight-read-tokens-'));
  await clearTable();
});

afterEach(() => rm(stateDir, { recursive: true, force: true }));

afterAll(() => stack.dispose());

describe('the demo read tokens of npm start', () => {
  it('are the same on every start with the same state dir, one valid token per site', async () => {
    const first = await keepDemoReadTokens(product(), SITES, nowMs);
    const second = await keepDemoReadTokens(product(), SITES, nowMs + 60_000);
    const third = await keepDemoReadTokens(product(), SITES, nowMs + 120_000);

    expect(first.issued).toEqual([...SITES]);
    expect(second.issued).toEqual([]);
    expect([...third.tokens]).toEqual([...first.tokens]);
    for (const siteId of SITES) {
      const token = first.tokens.get(siteId) ?? '';
      expect(await allows(siteId, token)).toBe(true);
      expect(await tokensOf(siteId)).toEqual([
        { sk: hashReadToken(token), label: LOCAL_READ_TOKEN_LABEL },
      ]);
    }
    // The file holds secrets: owner only.
    expect((await stat(join(stateDir, KEPT_READ_TOKENS_FILE))).mode & 0o077).toBe(0);
  });

  it('revokes earlier npm start tokens of a site, also when the state dir was lost, and keeps hand-issued ones', async () => {
    const table = stack.names.tables.readTokens;
    const earlier = [];
    for (let i = 0; i < 3; i += 1) {
      earlier.push(
        await issueReadToken(stack.clients.dynamodb, table, 'demo-shop', {
          nowMs,
          label: LOCAL_READ_TOKEN_LABEL,
        }),
      );
    }
    const byHand = await issueReadToken(stack.clients.dynamodb, table, 'demo-shop', {
      nowMs,
      label: 'cli',
    });

    const kept = await keepDemoReadTokens(product(), ['demo-shop'], nowMs);

    expect(kept.revoked).toBe(3);
    for (const token of earlier) expect(await allows('demo-shop', token)).toBe(false);
    expect(await allows('demo-shop', byHand)).toBe(true);
    expect(await allows('demo-shop', kept.tokens.get('demo-shop') ?? '')).toBe(true);
  });

  it('stores the kept token again when the table starts empty (DynamoDB Local in memory)', async () => {
    const first = await keepDemoReadTokens(product(), SITES, nowMs);
    await clearTable();

    const again = await keepDemoReadTokens(product(), SITES, nowMs + 60_000);

    expect(again.issued).toEqual([]);
    for (const siteId of SITES) {
      expect(again.tokens.get(siteId)).toBe(first.tokens.get(siteId));
      expect(await allows(siteId, again.tokens.get(siteId) ?? '')).toBe(true);
    }
  });

  it('renews a kept token for 30 days from each start, not a year', async () => {
    const later = nowMs + 20 * 86_400_000;
    const { tokens } = await keepDemoReadTokens(product(), ['demo-shop'], nowMs);
    await keepDemoReadTokens(product(), ['demo-shop'], later);

    const store = dynamoReadTokenStore(stack.clients.dynamodb, stack.names.tables.readTokens);
    const found = await store.findReadToken(
      'demo-shop',
      hashReadToken(tokens.get('demo-shop') ?? ''),
    );
    expect(found?.expiresAt).toBe(Math.floor(later / 1000) + DEMO_READ_TOKEN_LIFETIME_SECONDS);
  });

  it('refuses a state file that is not one, naming it', async () => {
    await writeFile(join(stateDir, KEPT_READ_TOKENS_FILE), '{"tokens": 3}');

    await expect(keepDemoReadTokens(product(), SITES, nowMs)).rejects.toThrow(
      /read-tokens\.json is not a kept read tokens file.*delete it/,
    );
    expect(await readFile(join(stateDir, KEPT_READ_TOKENS_FILE), 'utf8')).toBe('{"tokens": 3}');
  });
});
