/**
 * Lambda REQUEST authorizer of the query API. Identity sources are the Authorization header and
 * the siteId query parameter, so API Gateway caches each decision per (token, site) and a
 * cached Allow for site A can never serve a request for site B.
 *
 * Answers API Gateway's way: `throw new Error('Unauthorized')` → 401 (no usable token), a Deny
 * policy → 403 (a token that does not grant the site), an Allow policy with `context.siteId`.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { match } from 'ts-pattern';
import { createAwsClients } from '../aws-clients';
import { readAuthorizerConfig } from '../config';
import { allowPolicy, denyPolicy, type AuthorizerPolicy } from './authorizer-policy';
import { decideRead, type ReadTokenStore } from './decide-read';
import { dynamoReadTokenStore } from './dynamo-read-tokens';

let store: ReadTokenStore | undefined;

/** Config is read and clients made once per process, on the first invocation. */
function storeOnce(): ReadTokenStore {
  if (store === undefined) {
    const config = readAuthorizerConfig();
    store = dynamoReadTokenStore(createAwsClients(config.aws).dynamodb, config.readTokensTable);
  }
  return store;
}

/** Header names arrive as the client sent them; HTTP says they are case-insensitive. */
export function headerValue(
  headers: APIGatewayRequestAuthorizerEvent['headers'],
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

export async function authorize(
  event: APIGatewayRequestAuthorizerEvent,
  readTokens: ReadTokenStore,
  nowMs: number,
): Promise<AuthorizerPolicy> {
  const decision = await decideRead(
    {
      authorization: headerValue(event.headers, 'authorization'),
      siteId: event.queryStringParameters?.['siteId'] ?? undefined,
    },
    readTokens,
    nowMs,
  );
  return match(decision)
    .with({ kind: 'allow' }, ({ siteId }) => allowPolicy(event.methodArn, siteId))
    .with({ kind: 'forbidden' }, () => denyPolicy(event.methodArn))
    .with({ kind: 'unauthorized' }, () => {
      // The exact message API Gateway turns into a 401.
      throw new Error('Unauthorized');
    })
    .exhaustive();
}

export function handler(event: APIGatewayRequestAuthorizerEvent): Promise<AuthorizerPolicy> {
  return authorize(event, storeOnce(), Date.now());
}
