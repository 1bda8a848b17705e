/**
 * Requests Node's HTTP parser refuses (oversized or too many headers, a method it does not know,
 * broken framing) are answered in the error contract with the status that says what was wrong,
 * then the connection is closed — not with Node's bare 400/431 or a reset. Sent over raw
 * sockets: fetch and node:http will not send such requests.
 */
import { ErrorBodySchema } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { KinesisBackend } from './kinesis-backend';
import { type RunningEdge, startEdge } from './server';
import { memoryRegistryReader } from '../../pipeline/ingest-authorization';
import { type SocketAnswer, exchangeRaw } from './test-support/raw-socket';

let edge: RunningEdge;
let kinesis: KinesisBackend;
beforeAll(async () => {
  // No request here reaches the integration: nothing listens on the endpoint.
  kinesis = KinesisBackend.connect({ endpoint: 'http://127.0.0.1:9', region: 'us-east-1' });
  edge = await startEdge({
    port: 0,
    streamName: 'unused',
    kinesis,
    registry: memoryRegistryReader(),
    accessLog: () => undefined,
    logError: () => undefined,
  });
});
afterAll(async () => {
  await edge?.stop();
  kinesis?.destroy();
});

const head = (lines: readonly string[]) => `${lines.join('\r\n')}\r\n\r\n`;

function expectErrorContract(answer: SocketAnswer | undefined, status: number, code: string) {
  expect(answer?.status).toBe(status);
  expect(answer?.headers['content-type']).toBe('application/json');
  expect(answer?.headers['x-content-type-options']).toBe('nosniff');
  const body = parseWith(ErrorBodySchema, JSON.parse(answer?.body ?? 'null'));
  if (!body.ok) throw new Error(`not the error contract: ${answer?.body}`);
  expect(body.value.error.code).toBe(code);
  return body.value.error;
}

describe('HTTP-level refusals use the error contract', () => {
  it('a 64 KB header → 431 headers_too_large, read before the connection closes', async () => {
    const { answers, error } = await exchangeRaw(edge.url, [
      head(['POST /events HTTP/1.1', 'Host: edge', `X-Big: ${'a'.repeat(64 * 1024)}`]),
    ]);

    expect(error).toBeUndefined();
    expect(answers).toHaveLength(1);
    expectErrorContract(answers[0], 431, 'headers_too_large');
    expect(answers[0]?.headers.connection).toBe('close');
  });

  it('3,000 headers → 431 headers_too_large', async () => {
    const many = Array.from({ length: 3000 }, (_, i) => `X-Header-${i}: ${i}`);

    const { answers } = await exchangeRaw(edge.url, [
      head(['POST /events HTTP/1.1', 'Host: edge', ...many]),
    ]);

    expectErrorContract(answers[0], 431, 'headers_too_large');
  });

  it('a method Node does not know → 405 method_not_allowed with Allow', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head(['BREW /events HTTP/1.1', 'Host: edge']),
    ]);

    const error = expectErrorContract(answers[0], 405, 'method_not_allowed');
    expect(answers[0]?.headers.allow).toBe('POST, OPTIONS');
    expect(error.message).toContain('"BREW"');
  });

  it('an unknown method on an unknown path → 404 not_found', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head(['BREW /coffee HTTP/1.1', 'Host: edge']),
    ]);

    expectErrorContract(answers[0], 404, 'not_found');
  });

  it('Content-Length: -1 → 400 naming the value', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head(['POST /events HTTP/1.1', 'Host: edge', 'Content-Length: -1']),
    ]);

    const error = expectErrorContract(answers[0], 400, 'bad_request');
    expect(error.message).toContain('Content-Length');
    expect(error.message).toContain('"-1"');
  });

  it('Transfer-Encoding: chunked with Content-Length → 400 saying to send one of them', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head([
        'POST /events HTTP/1.1',
        'Host: edge',
        'Content-Length: 5',
        'Transfer-Encoding: chunked',
      ]) + '5\r\nhello\r\n0\r\n\r\n',
    ]);

    const error = expectErrorContract(answers[0], 400, 'bad_request');
    expect(error.message).toContain('Transfer-Encoding and Content-Length');
  });

  it('two different Content-Lengths → 400', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head(['POST /events HTTP/1.1', 'Host: edge', 'Content-Length: 5', 'Content-Length: 6']) +
        'hello!',
    ]);

    expectErrorContract(answers[0], 400, 'bad_request');
  });

  it('a malformed chunk in the body of a routed request → 400 through its own response', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head([
        'POST /events HTTP/1.1',
        'Host: edge',
        'Content-Type: application/json',
        'Transfer-Encoding: chunked',
      ]) + 'zz\r\nhello\r\n0\r\n\r\n',
    ]);

    expect(answers).toHaveLength(1);
    expectErrorContract(answers[0], 400, 'bad_request');
  });

  it('bytes that are not a request line → 400', async () => {
    const { answers } = await exchangeRaw(edge.url, ['hello there\r\n\r\n']);

    expectErrorContract(answers[0], 400, 'bad_request');
  });

  it('a broken request after a good one on the same connection: both answered, in order', async () => {
    const { answers } = await exchangeRaw(edge.url, [
      head(['GET /nowhere HTTP/1.1', 'Host: edge']) + head(['BREW /events HTTP/1.1', 'Host: edge']),
    ]);

    expect(answers.map((a) => a.status)).toEqual([404, 405]);
    expectErrorContract(answers[0], 404, 'not_found');
    expectErrorContract(answers[1], 405, 'method_not_allowed');
  });
});
