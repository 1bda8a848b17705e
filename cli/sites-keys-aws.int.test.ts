/**
 * `sites add`, `keys add` and `keys revoke` against a deployed stage, checked by request shape:
 * the real SDK clients (CloudFormation, DynamoDB, API Gateway), resolved through `--stage` from
 * the standard chain (AWS_ENDPOINT_URL, AWS_REGION, keys in the environment), talk to a small
 * local HTTP server that records each request and answers as AWS does — DescribeStacks with the
 * stage's outputs, API Gateway's key and usage-plan-key answers — and passes DynamoDB's calls on
 * to the emulator, so the registry writes are real. No mock library.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import {
  ADMIN_OUTPUTS,
  ADMIN_TABLE_OUTPUTS,
  ADMIN_USAGE_PLAN_OUTPUTS,
} from '../infra/admin-outputs';
import { TABLE_KEYS } from '../infra/resources';
import { hashIngestKey } from '../pipeline/ingest-key';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { runAdmin } from './admin';
import { lines } from './test-support/test-target';

interface Recorded {
  readonly service: 'cloudformation' | 'dynamodb' | 'apigateway';
  readonly method: string;
  readonly path: string;
  /** DynamoDB: the X-Amz-Target operation; CloudFormation: Action. */
  readonly operation: string;
  readonly body: unknown;
}

const STAGE = 'shape-stage';
const PLANS = { starter: 'plan-starter-1', standard: 'plan-standard-2', scale: 'plan-scale-3' };
const TRACKER = {
  url: 'https://d111.cloudfront.net/t/867b2612c91e/li.js',
  integrity: 'sha384-5wLlJvERHaRWdYvG7ltGK6Rw/fAevDI3iKL8ASdnDV1CPfIOggm1mMW0KrPjNC4M',
};

let stack: TestStack;
let server: Server;
let recorded: Recorded[] = [];
let outputs: Record<string, string> = {};
/** Usage plans the fake API Gateway does not know (to fail CreateUsagePlanKey). */
let missingPlans = new Set<string>();
let apiKeyCount = 0;
const savedEnv: Record<string, string | undefined> = {};
const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_PROFILE',
];

function readBody(message: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    message.on('data', (chunk: Buffer) => chunks.push(chunk));
    message.on('end', () => resolve(Buffer.concat(chunks)));
    message.on('error', reject);
  });
}

function xmlEscape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

function describeStacksXml(): string {
  const members = Object.entries(outputs)
    .map(
      ([key, value]) =>
        `<member><OutputKey>${xmlEscape(key)}</OutputKey><OutputValue>${xmlEscape(value)}</OutputValue></member>`,
    )
    .join('');
  return (
    '<DescribeStacksResponse xmlns="http://cloudformation.amazonaws.com/doc/2010-05-15/">' +
    `<DescribeStacksResult><Stacks><member><StackName>${STAGE}</StackName>` +
    '<StackStatus>UPDATE_COMPLETE</StackStatus><CreationTime>2026-12-08T00:00:00Z</CreationTime>' +
    `<Outputs>${members}</Outputs></member></Stacks></DescribeStacksResult>` +
    '<ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata></DescribeStacksResponse>'
  );
}

function json(
  status: number,
  body: unknown,
  errorType?: string,
): {
  status: number;
  headers: Record<string, string>;
  body: string;
} {
  return {
    status,
    headers: {
      'content-type': 'application/json',
      ...(errorType === undefined ? {} : { 'x-amzn-errortype': errorType }),
    },
    body: JSON.stringify(body),
  };
}

/** API Gateway's REST answers for the three calls the CLI makes (and the clean-up delete). */
function apiGateway(method: string, path: string, body: Record<string, unknown>) {
  if (method === 'POST' && path === '/apikeys') {
    apiKeyCount += 1;
    return json(201, {
      id: `agk${apiKeyCount}`,
      name: body['name'],
      enabled: body['enabled'],
      value: body['value'],
      createdDate: 1_796_000_000,
    });
  }
  const planKey = /^\/usageplans\/([^/]+)\/keys$/.exec(path);
  if (method === 'POST' && planKey !== null) {
    if (missingPlans.has(planKey[1] ?? '')) {
      return json(404, { message: 'Invalid Usage Plan ID specified' }, 'NotFoundException');
    }
    return json(201, { id: body['keyId'], type: 'API_KEY', name: 'key' });
  }
  if (method === 'DELETE' && /^\/usageplans\/[^/]+\/keys\/[^/]+$/.test(path)) {
    return { status: 202, headers: {}, body: '' };
  }
  if (method === 'PATCH' && /^\/apikeys\/[^/]+$/.test(path)) {
    return json(200, { id: path.split('/')[2], enabled: false });
  }
  if (method === 'DELETE' && /^\/apikeys\/[^/]+$/.test(path)) {
    return { status: 202, headers: {}, body: '' };
  }
  return json(404, { message: `no route ${method} ${path}` }, 'NotFoundException');
}

function proxyToEmulator(
  message: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  const target = new URL(stack.endpoint);
  return new Promise((resolve, reject) => {
    const forwarded = request(
      {
        host: target.hostname,
        port: target.port,
        method: message.method,
        path: message.url,
        headers: { ...message.headers, host: target.host },
      },
      (answer) => {
        readBody(answer).then(
          (data) =>
            resolve({
              status: answer.statusCode ?? 500,
              headers: Object.fromEntries(
                Object.entries(answer.headers).flatMap(([k, v]) =>
                  typeof v === 'string' ? [[k, v]] : [],
                ),
              ),
              body: data,
            }),
          reject,
        );
      },
    );
    forwarded.on('error', reject);
    forwarded.end(body);
  });
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'cli-aws-shape' });
  server = createServer((message, response) => {
    void (async () => {
      const body = await readBody(message);
      const text = body.toString('utf8');
      const method = message.method ?? 'GET';
      const path = (message.url ?? '/').split('?')[0] ?? '/';
      const amzTarget = message.headers['x-amz-target'];
      if (typeof amzTarget === 'string' && amzTarget.startsWith('DynamoDB_')) {
        recorded.push({
          service: 'dynamodb',
          method,
          path,
          operation: amzTarget.split('.')[1] ?? amzTarget,
          body: JSON.parse(text) as unknown,
        });
        const answer = await proxyToEmulator(message, body);
        response.writeHead(answer.status, answer.headers).end(answer.body);
        return;
      }
      if (String(message.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
        const form = new URLSearchParams(text);
        recorded.push({
          service: 'cloudformation',
          method,
          path,
          operation: form.get('Action') ?? '',
          body: Object.fromEntries(form),
        });
        response.writeHead(200, { 'content-type': 'text/xml' }).end(describeStacksXml());
        return;
      }
      const parsed = text === '' ? {} : (JSON.parse(text) as Record<string, unknown>);
      recorded.push({ service: 'apigateway', method, path, operation: '', body: parsed });
      const answer = apiGateway(method, path, parsed);
      response.writeHead(answer.status, answer.headers).end(answer.body);
    })().catch((error: unknown) => {
      response.writeHead(500).end(String(error));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  for (const key of ENV_KEYS) savedEnv[key] = process.env[key];
  delete process.env['AWS_PROFILE'];
  delete process.env['AWS_SESSION_TOKEN'];
  process.env['AWS_ENDPOINT_URL'] = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  process.env['AWS_REGION'] = 'eu-west-1';
  process.env['AWS_ACCESS_KEY_ID'] = 'AKIDSHAPETEST';
  process.env['AWS_SECRET_ACCESS_KEY'] = 'shape-test-secret';
});

beforeEach(() => {
  recorded = [];
  missingPlans = new Set();
  outputs = {
    ...Object.fromEntries(
      TABLE_KEYS.map((key) => [ADMIN_TABLE_OUTPUTS[key], stack.names.tables[key]]),
    ),
    [ADMIN_OUTPUTS.failureBucket]: stack.names.buckets.failures,
    [ADMIN_OUTPUTS.visitorSaltSecretArn]: 'arn:aws:secretsmanager:eu-west-1:1:secret:salt-AbCdEf',
    [ADMIN_OUTPUTS.activeSessionShards]: '4',
    [ADMIN_OUTPUTS.apiUrl]: 'https://abc123.execute-api.eu-west-1.amazonaws.com/shape-stage/',
    [ADMIN_OUTPUTS.apiId]: 'abc123',
    [ADMIN_OUTPUTS.dashboardUrl]: 'https://d111.cloudfront.net/',
    [ADMIN_OUTPUTS.trackerScriptUrl]: TRACKER.url,
    [ADMIN_OUTPUTS.trackerIntegrity]: TRACKER.integrity,
    ...Object.fromEntries(
      Object.entries(ADMIN_USAGE_PLAN_OUTPUTS).map(([tier, name]) => [
        name,
        PLANS[tier as keyof typeof PLANS],
      ]),
    ),
  };
});

afterAll(async () => {
  for (const key of ENV_KEYS) {
    if (savedEnv[key] === undefined) delete process.env[key];
    else process.env[key] = savedEnv[key];
  }
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await stack.dispose();
});

async function admin(...argv: string[]): Promise<string[]> {
  const { print, printed } = lines();
  await runAdmin([...argv, '--stage', STAGE], { print });
  return printed;
}

const calls = (service: Recorded['service']): Recorded[] =>
  recorded.filter((r) => r.service === service);

const writes = (): Recorded[] =>
  calls('dynamodb').filter((r) =>
    ['PutItem', 'UpdateItem', 'TransactWriteItems', 'DeleteItem', 'BatchWriteItem'].includes(
      r.operation,
    ),
  );

async function registryItems(): Promise<Record<string, unknown>[]> {
  const answer = await stack.clients.dynamodb.send(
    new ScanCommand({ TableName: stack.names.tables.registry, ConsistentRead: true }),
  );
  return (answer.Items ?? []).map((item) => unmarshall(item));
}

test('sites add: the site, an API Gateway key with the same value on its tier plan, the key item, a read token', async () => {
  const printed = await admin(
    'sites',
    'add',
    '--site',
    'aws-shop',
    '--tier',
    'scale',
    '--origin',
    'https://aws-shop.example.com',
  );

  const key = /(li_aws-shop_[A-Za-z0-9]{32})/.exec(printed.join('\n'))?.[1] ?? '';
  expect(key).not.toBe('');
  expect(calls('cloudformation')[0]).toMatchObject({
    operation: 'DescribeStacks',
    body: { Action: 'DescribeStacks', StackName: STAGE },
  });
  expect(calls('apigateway')).toEqual([
    {
      service: 'apigateway',
      method: 'POST',
      path: '/apikeys',
      operation: '',
      body: expect.objectContaining({
        value: key,
        enabled: true,
        name: expect.stringContaining('aws-shop'),
      }),
    },
    {
      service: 'apigateway',
      method: 'POST',
      path: `/usageplans/${PLANS.scale}/keys`,
      operation: '',
      body: { keyId: 'agk1', keyType: 'API_KEY' },
    },
  ]);
  const [sitePut, keyWrite, tokenPut] = writes();
  expect(sitePut).toMatchObject({
    operation: 'PutItem',
    body: {
      TableName: stack.names.tables.registry,
      ConditionExpression: 'attribute_not_exists(pk)',
      Item: { pk: { S: 'aws-shop' }, sk: { S: 'site' }, tier: { S: 'scale' } },
    },
  });
  const put = (keyWrite?.body as { TransactItems: { Put?: { Item: unknown } }[] }).TransactItems[1]
    ?.Put;
  expect(keyWrite?.operation).toBe('TransactWriteItems');
  expect(put).toMatchObject({
    TableName: stack.names.tables.registry,
    ConditionExpression: 'attribute_not_exists(sk)',
    Item: {
      pk: { S: 'aws-shop' },
      sk: { S: `ingestKey#${hashIngestKey(key)}` },
      apiGatewayKeyId: { S: 'agk1' },
      tier: { S: 'scale' },
      status: { S: 'active' },
    },
  });
  expect(JSON.stringify(writes())).not.toContain(key);
  expect(tokenPut).toMatchObject({
    operation: 'PutItem',
    body: { TableName: stack.names.tables.readTokens },
  });
  // API Gateway is called before the key item is written: never a usable key without its plan.
  const order = recorded.map((r) =>
    r.service === 'dynamodb' ? r.operation : `${r.method} ${r.path}`,
  );
  expect(order.indexOf('TransactWriteItems')).toBeGreaterThan(
    order.indexOf(`POST /usageplans/${PLANS.scale}/keys`),
  );
  const text = printed.join('\n');
  expect(text).toContain(`src="${TRACKER.url}" integrity="${TRACKER.integrity}"`);
  expect(text).toContain(`data-key="${key}"`);
  expect(text).toContain(
    'data-api="https://abc123.execute-api.eu-west-1.amazonaws.com/shape-stage"',
  );
  expect(text).toMatch(/dashboard: https:\/\/d111\.cloudfront\.net\/\?siteId=aws-shop#token=lirt_/);
});

test('keys revoke: the key item revoked, then its API Gateway key disabled', async () => {
  const added = await admin('keys', 'add', '--site', 'aws-shop');
  const keyId = /ingest key (k_[0-9a-f]{8})/.exec(added.join('\n'))?.[1] ?? '';
  const apiKeyId = (
    calls('apigateway').find((r) => r.path === '/apikeys')?.body as { name: string } | undefined
  )?.name;
  expect(apiKeyId).toContain(keyId);
  recorded = [];

  await admin('keys', 'revoke', '--site', 'aws-shop', '--key-id', keyId);

  const [revoke] = writes();
  expect(revoke).toMatchObject({
    operation: 'UpdateItem',
    body: {
      TableName: stack.names.tables.registry,
      ConditionExpression: 'attribute_exists(sk)',
      ExpressionAttributeValues: { ':revoked': { S: 'revoked' } },
    },
  });
  expect(writes()).toHaveLength(1);
  expect(calls('apigateway')).toEqual([
    {
      service: 'apigateway',
      method: 'PATCH',
      path: '/apikeys/agk2',
      operation: '',
      body: { patchOperations: [{ op: 'replace', path: '/enabled', value: 'false' }] },
    },
  ]);
});

test('a usage plan API Gateway refuses: the new API key is deleted and no key item is written', async () => {
  missingPlans = new Set([PLANS.scale]);
  const before = (await registryItems()).length;

  await expect(admin('keys', 'add', '--site', 'aws-shop')).rejects.toThrow(
    /creating the API Gateway key .* on usage plan plan-scale-3 \(scale\).*Invalid Usage Plan ID/,
  );

  expect(calls('apigateway').map((r) => `${r.method} ${r.path}`)).toEqual([
    'POST /apikeys',
    `POST /usageplans/${PLANS.scale}/keys`,
    `DELETE /apikeys/agk${apiKeyCount}`,
  ]);
  expect(writes()).toEqual([]);
  expect((await registryItems()).length).toBe(before);
});

test('a stage without the tier plan output: refused naming it, before any change', async () => {
  delete outputs[ADMIN_USAGE_PLAN_OUTPUTS.scale];

  await expect(admin('keys', 'add', '--site', 'aws-shop')).rejects.toThrow(
    `stack ${STAGE} in eu-west-1 has no output ${ADMIN_USAGE_PLAN_OUTPUTS.scale}`,
  );
  expect(calls('apigateway')).toEqual([]);
  expect(writes()).toEqual([]);
});

test('sites set-tier: each active key leaves the old plan, joins the new one, then the items move', async () => {
  await admin('sites', 'set-tier', '--site', 'aws-shop', '--tier', 'starter');

  // agk1 is the active key of `sites add`; agk2 was revoked and stays where it was.
  expect(calls('apigateway')).toEqual([
    {
      service: 'apigateway',
      method: 'DELETE',
      path: `/usageplans/${PLANS.scale}/keys/agk1`,
      operation: '',
      body: {},
    },
    {
      service: 'apigateway',
      method: 'POST',
      path: `/usageplans/${PLANS.starter}/keys`,
      operation: '',
      body: { keyId: 'agk1', keyType: 'API_KEY' },
    },
  ]);
  const updates = writes();
  expect(updates.map((w) => w.operation)).toEqual(['UpdateItem', 'UpdateItem', 'UpdateItem']);
  expect(updates[0]).toMatchObject({
    body: { Key: { sk: { S: 'site' } }, ExpressionAttributeValues: { ':tier': { S: 'starter' } } },
  });
  const order = recorded.map((r) => (r.service === 'dynamodb' ? r.operation : r.method));
  expect(order.indexOf('UpdateItem')).toBeGreaterThan(order.lastIndexOf('POST'));
});

test('an unknown site and a duplicate site are refused before API Gateway is called', async () => {
  await expect(admin('keys', 'add', '--site', 'nope-shop')).rejects.toThrow(
    /no site "nope-shop" in .*expected a site added with `sites add`/,
  );
  await expect(admin('sites', 'add', '--site', 'aws-shop')).rejects.toThrow(
    'site "aws-shop" already exists',
  );
  expect(calls('apigateway')).toEqual([]);
});
