import { EVENTS_INTEGRATION_RESPONSES } from '../../infra/api/ingest-api-spec';
import { evaluateHeaders, gatewayResponse } from './http-answer';
import { selectIntegrationResponse } from './ingest-api';
import type { EdgeRequest } from './router';

function request(headers: Record<string, string> = {}): EdgeRequest {
  return {
    method: 'POST',
    path: '/events',
    query: {},
    headers,
    body: Buffer.alloc(0),
    sourceIp: '127.0.0.1',
    receivedAt: 0,
    requestId: 'req-1',
    protocol: 'HTTP/1.1',
  };
}

describe('gateway responses, locally', () => {
  it('substitutes the validation message as JSON, whatever it contains', () => {
    const answer = gatewayResponse('BAD_REQUEST_BODY', request(), {
      validationErrorString:
        'events[0].url: expected a string matching ^https?://, received string "x\\"y"',
    });

    expect(answer.status).toBe(400);
    expect(JSON.parse(String(answer.body))).toEqual({
      error: {
        code: 'invalid_request',
        message: 'The body does not match the IngestRequest model',
        details: 'events[0].url: expected a string matching ^https?://, received string "x\\"y"',
      },
    });
  });

  it('echoes the Origin and sets the static headers and Retry-After', () => {
    const answer = gatewayResponse('THROTTLED', request({ origin: 'https://a.example' }));

    expect(answer.headers).toMatchObject({
      'Access-Control-Allow-Origin': 'https://a.example',
      'Retry-After': '1',
      'X-Content-Type-Options': 'nosniff',
      'x-amzn-RequestId': 'req-1',
    });
  });

  it('leaves a header out when the request header it copies is absent', () => {
    expect(
      evaluateHeaders(
        { 'Access-Control-Allow-Origin': { kind: 'request-header', name: 'Origin' } },
        request(),
      ),
    ).toEqual({});
  });
});

describe('integration response selection (regex over the whole status code)', () => {
  it.each([
    [200, 200],
    [400, 503],
    [503, 503],
    [4000, 200],
  ])('status %d selects the response of status %d', (status, selected) => {
    expect(selectIntegrationResponse(EVENTS_INTEGRATION_RESPONSES, status)?.statusCode).toBe(
      selected,
    );
  });
});
