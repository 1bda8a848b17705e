/**
 * Lambda REQUEST authorizer of `POST /events?key=` (issue 13). Identity source: the `key` query
 * parameter, so API Gateway caches each answer per key for AUTHORIZER_CACHE_TTL_SECONDS and a
 * request without a key never reaches this function (UNAUTHORIZED). Thin: the decision is
 * pipeline/ingest-authorization.ts over the registry table.
 *
 * Answers: an Allow for the method with `context` = site, keyId, tier and origins (the request
 * template compares the body's siteId and the Origin with them) and `usageIdentifierKey` = the
 * key (the API's key source is AUTHORIZER, so the key's usage plan and per-key throttle apply);
 * a Deny (403, ACCESS_DENIED) for an unknown, revoked or malformed key or a disabled site. A
 * registry failure throws: API Gateway answers AUTHORIZER_FAILURE and caches nothing.
 */
import type { APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { INGEST_KEY_PARAMETER } from '../../schemas/ingest-request-form';
import {
  type RegistryReader,
  authorizeIngestKey,
  authorizerContext,
} from '../../pipeline/ingest-authorization';
import { dynamoRegistryReader } from '../adapters/dynamo-registry-reader';
import { createAwsClients } from '../aws-clients';
import { readIngestAuthorizerConfig } from '../config';
import type { RestAuthorizerAnswer } from '../rest-authorizer-answer';

export type IngestAuthorizerAnswer = RestAuthorizerAnswer;

let registry: RegistryReader | undefined;

/** Config is read and the client made once per process, on the first invocation. */
function registryOnce(): RegistryReader {
  if (registry === undefined) {
    const config = readIngestAuthorizerConfig();
    registry = dynamoRegistryReader(createAwsClients(config.aws).dynamodb, config.registryTable);
  }
  return registry;
}

function policy(effect: 'Allow' | 'Deny', methodArn: string) {
  // Only POST /events uses this authorizer, so the cached policy names exactly that method.
  return {
    Version: '2012-10-17' as const,
    Statement: [{ Action: 'execute-api:Invoke' as const, Effect: effect, Resource: methodArn }],
  };
}

export async function authorizeIngest(
  event: APIGatewayRequestAuthorizerEvent,
  reader: RegistryReader,
): Promise<IngestAuthorizerAnswer> {
  const key = event.queryStringParameters?.[INGEST_KEY_PARAMETER] ?? '';
  const decision = await authorizeIngestKey(key, reader);
  if (decision.kind === 'deny') {
    // The keyId (never the key) names the caller in API Gateway's logs.
    return {
      principalId: decision.keyId ?? 'unknown',
      policyDocument: policy('Deny', event.methodArn),
    };
  }
  return {
    principalId: decision.keyId,
    policyDocument: policy('Allow', event.methodArn),
    context: { ...authorizerContext(decision) },
    usageIdentifierKey: key,
  };
}

export function handler(event: APIGatewayRequestAuthorizerEvent): Promise<IngestAuthorizerAnswer> {
  return authorizeIngest(event, registryOnce());
}
