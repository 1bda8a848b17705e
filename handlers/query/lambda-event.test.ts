import type { APIGatewayProxyEvent } from 'aws-lambda';
import { toQueryRequest } from './index';

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
    requestContext: {
      authorizer: { siteId: 'site-a', principalId: 'site:site-a' },
    } as APIGatewayProxyEvent['requestContext'],
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
        requestContext: { authorizer: null } as APIGatewayProxyEvent['requestContext'],
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
