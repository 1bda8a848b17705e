/**
 * `admin sites …` and `admin keys …` on the emulators: what they write is what the ingest
 * authorizer's own read and decision (EDGE's reader + pipeline) then allow or refuse; what they
 * print is printed once; every refusal names what was received and what was expected, before
 * any write. (Against a deployed stage: sites-keys-aws.int.test.ts.)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { dynamoRegistryReader } from '../handlers/adapters/dynamo-registry-reader';
import { dynamoReadTokenStore } from '../handlers/authorizer/dynamo-read-tokens';
import { hashReadToken } from '../handlers/authorizer/read-token';
import { authorizeIngestKey } from '../pipeline/ingest-authorization';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { runAdmin } from './admin';
import { CliTargetError, CliUsageError } from './errors';
import { type Target, localTarget } from './target';
import { lines, testTarget } from './test-support/test-target';

const EDGE = 'http://localhost:3999';
const INTEGRITY = 'sha384-5wLlJvERHaRWdYvG7ltGK6Rw/fAevDI3iKL8ASdnDV1CPfIOggm1mMW0KrPjNC4M';

let stack: TestStack;
let target: Target;

beforeAll(async () => {
  stack = await useTestStack({ name: 'cli-sites-keys' });
  target = {
    ...testTarget(stack),
    links: {
      edgeUrl: EDGE,
      apiUrl: EDGE,
      dashboardUrl: `${EDGE}/dashboard/`,
      tracker: { scriptUrl: `${EDGE}/li.js`, integrity: INTEGRITY },
    },
  };
});

afterAll(async () => {
  await stack.dispose();
});

async function admin(...argv: string[]): Promise<string[]> {
  const { print, printed } = lines();
  await runAdmin(argv, { target, print });
  return printed;
}

const authorize = (key: string) =>
  authorizeIngestKey(
    key,
    dynamoRegistryReader(stack.clients.dynamodb, stack.names.tables.registry),
  );

async function registryCount(): Promise<number> {
  const answer = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: stack.names.tables.registry, Select: 'COUNT' }),
  );
  return answer.Count ?? 0;
}

function keyIn(printed: readonly string[], siteId: string): string {
  const key = new RegExp(`(li_${siteId}_[A-Za-z0-9]{32})`).exec(printed.join('\n'))?.[1];
  if (key === undefined) throw new Error(`no ingest key printed: ${JSON.stringify(printed)}`);
  return key;
}

test('sites add: a usable key, a read token, the script tag and the dashboard link, once', async () => {
  const printed = await admin(
    'sites',
    'add',
    '--site',
    'cli-shop',
    '--name',
    'CLI shop',
    '--origin',
    'https://cli-shop.example.com',
    '--origin',
    'http://localhost:8080',
  );

  const key = keyIn(printed, 'cli-shop');
  const text = printed.join('\n');
  expect(text.split(key).length - 1).toBe(2); // the key line and the tag's data-key, nothing else
  const token = /read token: (lirt_[A-Za-z0-9_-]{43})/.exec(text)?.[1] ?? '';
  expect(
    await dynamoReadTokenStore(stack.clients.dynamodb, stack.names.tables.readTokens).findReadToken(
      'cli-shop',
      hashReadToken(token),
    ),
  ).toBeDefined();
  expect(text).toContain(
    `<script defer src="${EDGE}/li.js" integrity="${INTEGRITY}" crossorigin="anonymous" data-site="cli-shop" data-key="${key}" data-api="${EDGE}" data-local></script>`,
  );
  expect(text).toContain(`dashboard: ${EDGE}/dashboard/?siteId=cli-shop#token=${token}`);
  expect(await authorize(key)).toMatchObject({
    kind: 'allow',
    siteId: 'cli-shop',
    tier: 'standard',
    origins: ['https://cli-shop.example.com', 'http://localhost:8080'],
  });
});

test('sites add refuses a duplicate, a bad origin and a bad tier, writing nothing', async () => {
  const before = await registryCount();

  await expect(admin('sites', 'add', '--site', 'cli-shop')).rejects.toThrow(CliTargetError);
  await expect(admin('sites', 'add', '--site', 'cli-shop')).rejects.toThrow(
    'site "cli-shop" already exists',
  );
  await expect(
    admin('sites', 'add', '--site', 'cli-other', '--origin', 'https://Other.example.com/'),
  ).rejects.toThrow(CliUsageError);
  await expect(admin('sites', 'add', '--site', 'cli-other', '--tier', 'gold')).rejects.toThrow(
    'tier "gold" is unknown (expected one of starter, standard, scale)',
  );
  await expect(admin('sites', 'add', '--site', 'Bad_Id')).rejects.toThrow(
    'site id "Bad_Id" is invalid',
  );

  expect(await registryCount()).toBe(before);
});

test('set-origins changes what the authorizer hands on; unknown sites and empty lists are refused', async () => {
  const key = keyIn(await admin('keys', 'add', '--site', 'cli-shop'), 'cli-shop');

  const printed = await admin('sites', 'set-origins', '--site', 'cli-shop', '--origin', '*');

  expect(printed.join('\n')).toContain('cli-shop origins: *');
  expect(await authorize(key)).toMatchObject({ kind: 'allow', origins: ['*'] });
  await admin('sites', 'set-origins', '--site', 'cli-shop', '--none');
  expect(await authorize(key)).toMatchObject({ kind: 'allow', origins: [] });
  await expect(
    admin('sites', 'set-origins', '--site', 'nope', '--origin', 'https://a.example.com'),
  ).rejects.toThrow(/no site "nope" in .*-registry/);
  await expect(admin('sites', 'set-origins', '--site', 'cli-shop')).rejects.toThrow(
    /no origins given \(expected --origin/,
  );
});

test('keys: add, revoke by id and by value; the authorizer refuses revoked keys', async () => {
  await admin('sites', 'add', '--site', 'cli-keys');
  const first = keyIn(await admin('keys', 'add', '--site', 'cli-keys'), 'cli-keys');
  const second = keyIn(await admin('keys', 'add', '--site', 'cli-keys'), 'cli-keys');
  const firstId = (await authorize(first)).keyId ?? '';

  const revoked = await admin('keys', 'revoke', '--site', 'cli-keys', '--key-id', firstId);
  await admin('keys', 'revoke', '--site', 'cli-keys', '--key', second);

  expect(revoked.join('\n')).toContain(`revoked ${firstId} of cli-keys`);
  expect(await authorize(first)).toMatchObject({ kind: 'deny', reason: 'revoked-key' });
  expect(await authorize(second)).toMatchObject({ kind: 'deny', reason: 'revoked-key' });
  await expect(admin('keys', 'add', '--site', 'cli-keys', '--key', first)).rejects.toThrow(
    /already in .*status revoked/,
  );
  await expect(admin('keys', 'add', '--site', 'nope')).rejects.toThrow(/no site "nope"/);
  await expect(
    admin('keys', 'add', '--site', 'cli-keys', '--key', first.replace('cli-keys', 'cli-shop')),
  ).rejects.toThrow(/--key belongs to site "cli-shop"/);
  await expect(admin('keys', 'revoke', '--site', 'cli-keys')).rejects.toThrow(
    /which key\? \(expected exactly one of --key-id/,
  );
  await expect(
    admin('keys', 'revoke', '--site', 'cli-keys', '--key-id', 'k_00000000'),
  ).rejects.toThrow(
    /has no key "k_00000000" \(its keys: k_[0-9a-f]{8} active, .*k_[0-9a-f]{8} revoked/,
  );
});

test('sites set-tier: the site and its keys move; the authorizer hands on the new tier', async () => {
  const key = keyIn(
    await admin('sites', 'add', '--site', 'cli-tier', '--tier', 'starter'),
    'cli-tier',
  );

  const printed = await admin('sites', 'set-tier', '--site', 'cli-tier', '--tier', 'scale');

  expect(printed.join('\n')).toContain('cli-tier tier scale (1 key)');
  expect(await authorize(key)).toMatchObject({ kind: 'allow', tier: 'scale' });
  await expect(admin('sites', 'set-tier', '--site', 'cli-tier', '--tier', 'gold')).rejects.toThrow(
    CliUsageError,
  );
  await expect(admin('sites', 'set-tier', '--site', 'nope', '--tier', 'scale')).rejects.toThrow(
    /no site "nope"/,
  );
});

test('sites disable: every key of the site is refused; list shows sites and key ids only', async () => {
  const key = keyIn(await admin('sites', 'add', '--site', 'cli-gone'), 'cli-gone');

  await admin('sites', 'disable', '--site', 'cli-gone');
  const listed = (await admin('sites', 'list')).join('\n');

  expect(await authorize(key)).toMatchObject({ kind: 'deny', reason: 'disabled-site' });
  expect(listed).toMatch(/^cli-gone {2}disabled {2}tier standard/m);
  expect(listed).toMatch(/^cli-shop {2}active/m);
  expect(listed).toMatch(/^ {2}k_[0-9a-f]{8} {2}revoked/m);
  expect(listed).not.toMatch(/li_cli-/);
});

test('the local target takes its links from demo.json, never from an assumed port', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cli-sites-'));
  try {
    await writeFile(
      join(dir, 'demo.json'),
      JSON.stringify({
        awsEndpoint: stack.endpoint,
        edgeUrl: 'http://localhost:3456',
        dashboardUrl: 'http://localhost:3456/dashboard/',
        trackerScriptUrl: 'http://localhost:3456/li.js',
        trackerIntegrity: INTEGRITY,
      }),
    );

    const local = await localTarget({ LIVEINSIGHT_STATE_DIR: dir });

    expect(local.aws.endpoint).toBe(stack.endpoint);
    expect(local.links).toEqual({
      edgeUrl: 'http://localhost:3456',
      apiUrl: 'http://localhost:3456',
      dashboardUrl: 'http://localhost:3456/dashboard/',
      tracker: { scriptUrl: 'http://localhost:3456/li.js', integrity: INTEGRITY },
    });
    expect(local.stage).toBeUndefined();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
