/**
 * Read tokens on DynamoDB Local, through the Lambda authorizer's own entry (`authorize`): a
 * site's token reads its site only, an unknown token or site is denied (403), a missing one is
 * refused (401), a revoked token stops working, and only the token's hash is ever stored.
 */
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { dynamoReadTokenStore, issueReadToken, revokeReadToken } from './dynamo-read-tokens';
import { authorize } from './index';
import { generateReadToken } from './read-token';

const methodArn = 'arn:aws:execute-api:us-east-1:123456789012:api123/prod/GET/realtime';
const nowMs = Date.now();
let stack: TestStack;
let table: string;

function event(
  siteId: string | undefined,
  authorization?: string,
): APIGatewayRequestAuthorizerEvent {
  return {
    type: 'REQUEST',
    methodArn,
    resource: '/realtime',
    path: '/realtime',
    httpMethod: 'GET',
    headers: authorization === undefined ? {} : { Authorization: authorization },
    multiValueHeaders: {},
    pathParameters: {},
    queryStringParameters: siteId === undefined ? {} : { siteId },
    multiValueQueryStringParameters: {},
    stageVariables: {},
    requestContext: {} as APIGatewayRequestAuthorizerEvent['requestContext'],
  };
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'read-tokens' });
  table = stack.names.tables.readTokens;
});

afterAll(() => stack.dispose());

describe('read tokens on DynamoDB Local', () => {
  it('let a site’s token read that site and nothing of another', async () => {
    const store = dynamoReadTokenStore(stack.clients.dynamodb, table);
    const tokenA = await issueReadToken(stack.clients.dynamodb, table, 'site-a', {
      nowMs,
      label: 'test',
    });
    await issueReadToken(stack.clients.dynamodb, table, 'site-b', { nowMs, label: 'test' });

    const own = await authorize(event('site-a', `Bearer ${tokenA}`), store, nowMs);
    const other = await authorize(event('site-b', `Bearer ${tokenA}`), store, nowMs);
    const unknown = await authorize(event('site-a', `Bearer ${generateReadToken()}`), store, nowMs);

    expect(own.policyDocument.Statement[0]?.Effect).toBe('Allow');
    expect(own.context).toEqual({ siteId: 'site-a' });
    expect(other.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(unknown.policyDocument.Statement[0]?.Effect).toBe('Deny');
  });

  it('refuses a request without a token or site with API Gateway’s 401 error', async () => {
    const store = dynamoReadTokenStore(stack.clients.dynamodb, table);
    const token = await issueReadToken(stack.clients.dynamodb, table, 'site-c', {
      nowMs,
      label: 'test',
    });

    await expect(authorize(event('site-c'), store, nowMs)).rejects.toThrow(/^Unauthorized$/);
    await expect(authorize(event(undefined, `Bearer ${token}`), store, nowMs)).rejects.toThrow(
      /^Unauthorized$/,
    );
  });

  it('stop reading once revoked or expired', async () => {
    const store = dynamoReadTokenStore(stack.clients.dynamodb, table);
    const revoked = await issueReadToken(stack.clients.dynamodb, table, 'site-d', {
      nowMs,
      label: 'test',
    });
    const shortLived = await issueReadToken(stack.clients.dynamodb, table, 'site-d', {
      nowMs,
      label: 'test',
      ttlSeconds: 60,
    });

    await revokeReadToken(stack.clients.dynamodb, table, 'site-d', revoked);

    const afterRevoke = await authorize(event('site-d', `Bearer ${revoked}`), store, nowMs);
    const inTime = await authorize(event('site-d', `Bearer ${shortLived}`), store, nowMs + 59_000);
    const late = await authorize(event('site-d', `Bearer ${shortLived}`), store, nowMs + 61_000);
    expect(afterRevoke.policyDocument.Statement[0]?.Effect).toBe('Deny');
    expect(inTime.policyDocument.Statement[0]?.Effect).toBe('Allow');
    expect(late.policyDocument.Statement[0]?.Effect).toBe('Deny');
  });

  it('store only hashes, never a token', async () => {
    const token = await issueReadToken(stack.clients.dynamodb, table, 'site-e', {
      nowMs,
      label: 'test',
    });

    // A Scan is fine here: the test inspects everything the table holds.
    const { Items = [] } = await stack.clients.dynamodb.send(new ScanCommand({ TableName: table }));

    expect(Items.length).toBeGreaterThan(0);
    expect(JSON.stringify(Items)).not.toContain(token.slice(5));
    expect(Items.every((item) => /^[0-9a-f]{64}$/.test(item['sk']?.S ?? ''))).toBe(true);
  });
});
