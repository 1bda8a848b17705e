import { answerClientError, rawHttpAnswer } from './client-error-answer';

const methodsOf = (path: string) => (path === '/events' ? ['POST', 'OPTIONS'] : undefined);

describe('answerClientError', () => {
  it('answers a request that did not arrive in time with 408', () => {
    expect(answerClientError({ code: 'ERR_HTTP_REQUEST_TIMEOUT' }, methodsOf)).toMatchObject({
      status: 408,
      code: 'request_timeout',
    });
  });

  it('answers an HTTP version it cannot speak with 505', () => {
    expect(answerClientError({ code: 'HPE_INVALID_VERSION' }, methodsOf)?.status).toBe(505);
  });

  it("answers any other parser error with 400 quoting the parser's reason", () => {
    const answer = answerClientError(
      { code: 'HPE_LF_EXPECTED', reason: 'Missing expected LF after header value' },
      methodsOf,
    );

    expect(answer).toMatchObject({ status: 400, code: 'bad_request' });
    expect(answer?.message).toContain('Missing expected LF after header value');
  });

  it('finds the request line of the error among pipelined requests', () => {
    const rawPacket = Buffer.from('GET /nowhere HTTP/1.1\r\n\r\nBREW /events HTTP/1.1\r\n\r\n');

    const answer = answerClientError(
      { code: 'HPE_INVALID_METHOD', rawPacket, bytesParsed: 26 },
      methodsOf,
    );

    expect(answer).toMatchObject({ status: 405, headers: { Allow: 'POST, OPTIONS' } });
  });

  it('does not answer a connection the client reset', () => {
    expect(answerClientError({ code: 'ECONNRESET' }, methodsOf)).toBeUndefined();
  });

  it('writes a complete HTTP/1.1 response that closes the connection', () => {
    const text = rawHttpAnswer({
      status: 405,
      code: 'method_not_allowed',
      message: 'no',
      headers: { Allow: 'POST' },
    });

    const [head = '', body] = text.split('\r\n\r\n');
    expect(head.split('\r\n')[0]).toBe('HTTP/1.1 405 Method Not Allowed');
    expect(head).toContain('\r\nAllow: POST');
    expect(head).toContain('\r\nConnection: close');
    expect(head).toContain(`\r\nContent-Length: ${Buffer.byteLength(body ?? '')}`);
    expect(JSON.parse(body ?? '')).toEqual({
      error: { code: 'method_not_allowed', message: 'no' },
    });
  });
});
