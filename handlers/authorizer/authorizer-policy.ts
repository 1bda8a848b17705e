/**
 * The IAM policy a REST API Lambda authorizer returns. API Gateway caches the policy under the
 * identity sources (Authorization header + siteId), then evaluates the cached policy against
 * every later method of the API. A policy naming only the first method ARN would deny the other
 * read routes from the cache, so an Allow covers every GET of the stage; the site stays pinned
 * because siteId is part of the cache key and the query handler checks it again.
 */
import type { RestAuthorizerAnswer } from '../rest-authorizer-answer';

export type AuthorizerPolicy = RestAuthorizerAnswer;

export class MethodArnError extends Error {
  override readonly name = 'MethodArnError';
}

/** `arn:aws:execute-api:region:account:api/stage/GET/realtime` → `…:api/stage/GET/*`. */
export function stageGetResource(methodArn: string): string {
  const [apiArn, stage] = methodArn.split('/');
  if (apiArn === undefined || stage === undefined || !apiArn.startsWith('arn:') || stage === '') {
    throw new MethodArnError(
      `methodArn ${JSON.stringify(methodArn)} is not an execute-api method ARN (expected arn:…:api-id/stage/METHOD/path)`,
    );
  }
  return `${apiArn}/${stage}/GET/*`;
}

export function allowPolicy(methodArn: string, siteId: string): AuthorizerPolicy {
  return {
    principalId: `site:${siteId}`,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageGetResource(methodArn) },
      ],
    },
    // Reaches the query handler as requestContext.authorizer.siteId.
    context: { siteId },
  };
}

export function denyPolicy(methodArn: string): AuthorizerPolicy {
  return {
    principalId: 'anonymous',
    policyDocument: {
      Version: '2012-10-17',
      Statement: [
        { Action: 'execute-api:Invoke', Effect: 'Deny', Resource: stageGetResource(methodArn) },
      ],
    },
  };
}
