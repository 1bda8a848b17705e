import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toQueryRequest } from './index';

type Context = APIGatewayProxyEvent['requestContext'];

/** A REST API proxy request context as API Gateway sends it (authorizer context varies). */
function requestContext(authorizer: Context['authorizer']): Context {
  return {
    accountId: '123456789012',
    apiId: 'api123',
    authorizer,
    protocol: 'HTTP/1.1',
    httpMethod: 'GET',
    identity: {
      accessKey: null,
      accountId: null,
      apiKey: null,
      apiKeyId: null,
      caller: null,
      clientCert: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '203.0.113.7',
      user: null,
      userAgent: 'test',
      userArn: null,
    },
    path: '/prod/realtime',
    stage: 'prod',
    requestId: 'request-1',
    requestTimeEpoch: 1_800_000_000_000,
    resourceId: 'res1',
    resourcePath: '/realtime',
  };
}

function proxyEvent(overrides: Partial<APIGatewayProxyEvent>): APIGatewayProxyEvent {
  return {
    body: null,
    headers: {},
    multiValueHeaders: {},
    httpMethod: 'GET',
    isBase64Encoded: false,
    path: '/prod/realtime',
    pathParameters: null,
    queryStringParameters: { siteId: 'site-a' },
    multiValueQueryStringParameters: null,
    stageVariables: null,
    resource: '/realtime',
    requestContext: requestContext({ siteId: 'site-a', principalId: 'site:site-a' }),
    ...overrides,
  };
}

describe('toQueryRequest', () => {
  it('takes the route from the resource and the granted site from the authorizer context', () => {
    expect(toQueryRequest(proxyEvent({}))).toEqual({
      method: 'GET',
      path: '/realtime',
      query: { siteId: 'site-a' },
      grantedSiteId: 'site-a',
    });
  });

  it('grants nothing when no authorizer ran (GET /health) and tolerates no query string', () => {
    const request = toQueryRequest(
      proxyEvent({
        resource: '/health',
        queryStringParameters: null,
        requestContext: requestContext(null),
      }),
    );

    expect(request).toEqual({
      method: 'GET',
      path: '/health',
      query: {},
      grantedSiteId: undefined,
    });
  });
});
