/**
 * The wire side of the edge's Kinesis integration, against a node:http server that records what
 * it receives and answers what a test tells it to: the emulators can show neither the bytes they
 * were sent nor a malformed answer. (The real answers, faults included, are covered against the
 * emulators by ingest-*.int.test.ts.)
 */
import { createHash, createHmac } from 'node:crypto';
import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KinesisAnswerError, KinesisBackend, PUT_RECORDS_TARGET } from './kinesis-backend';

interface Received {
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

interface Canned {
  status: number;
  body: string;
  /** Never answer (the timeout case). */
  silent?: boolean;
}

let server: Server;
let endpoint: string;
const received: Received[] = [];
let canned: Canned;

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      if (canned.silent === true) return;
      res.writeHead(canned.status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(canned.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});
beforeEach(() => {
  received.length = 0;
});

const OK_ANSWER =
  '{"FailedRecordCount":0,"Records":[{"SequenceNumber":"1","ShardId":"shardId-0"}]}';
/** Rendered templates keep their whitespace; API Gateway sends them as they are. */
const RENDERED =
  '{\n  "StreamName": "events",\n  "Records": [\n    {"PartitionKey": "s1", "Data": "e30="}\n  ]\n}\n';

function withBackend<T>(
  run: (backend: KinesisBackend) => Promise<T>,
  options = {},
): () => Promise<T> {
  return async () => {
    const backend = KinesisBackend.connect({ endpoint, region: 'eu-west-1' }, options);
    try {
      return await run(backend);
    } finally {
      backend.destroy();
    }
  };
}

/** SigV4 computed from the AWS documentation, independently of the SDK's signer. */
function expectedSignature(headers: IncomingHttpHeaders, body: string, signedHeaders: string) {
  const amzDate = String(headers['x-amz-date']);
  const day = amzDate.slice(0, 8);
  const names = signedHeaders.split(';');
  const canonicalHeaders = names
    .map((name) => `${name}:${String(headers[name]).trim()}\n`)
    .join('');
  const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
  const canonicalRequest = ['POST', '/', '', canonicalHeaders, signedHeaders, sha(body)].join('\n');
  const scope = `${day}/eu-west-1/kinesis/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha(canonicalRequest)].join('\n');
  const hmac = (key: Buffer | string, data: string) =>
    createHmac('sha256', key).update(data, 'utf8').digest();
  const key = ['eu-west-1', 'kinesis', 'aws4_request'].reduce(hmac, hmac('AWS4test', day));
  return createHmac('sha256', key).update(stringToSign, 'utf8').digest('hex');
}

it(
  'sends the rendered text byte for byte as AWS JSON 1.1 PutRecords, SigV4-signed',
  withBackend(async (backend) => {
    canned = { status: 200, body: OK_ANSWER };

    const outcome = await backend.putRecords(RENDERED);

    expect(outcome).toMatchObject({
      kind: 'answered',
      response: { status: 200, body: OK_ANSWER },
    });
    const [request] = received;
    expect(request?.body).toBe(RENDERED);
    expect(request?.headers['content-type']).toBe('application/x-amz-json-1.1');
    expect(request?.headers['x-amz-target']).toBe(PUT_RECORDS_TARGET);
    const authorization = String(request?.headers.authorization);
    const parts =
      /^AWS4-HMAC-SHA256 Credential=test\/(\d{8})\/eu-west-1\/kinesis\/aws4_request, SignedHeaders=([a-z0-9;-]+), Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    expect(parts).not.toBeNull();
    const signedHeaders = parts?.[2] ?? '';
    expect(signedHeaders.split(';')).toEqual(
      expect.arrayContaining(['host', 'x-amz-date', 'x-amz-target', 'content-type']),
    );
    expect(parts?.[3]).toBe(expectedSignature(request?.headers ?? {}, RENDERED, signedHeaders));
  }),
);

it(
  'hands an AWS error answer to the response templates as Kinesis wrote it',
  withBackend(async (backend) => {
    const body = '{"__type":"ResourceNotFoundException","message":"Stream events not found."}';
    canned = { status: 400, body };

    const outcome = await backend.putRecords(RENDERED);

    expect(outcome).toMatchObject({ kind: 'answered', response: { status: 400, body } });
  }),
);

it.each([
  [200, '<html>busy</html>', 'expected a PutRecords answer'],
  [200, '{"FailedRecordCount":0,"Records":"none"}', 'Records: expected'],
  [502, 'Bad Gateway', 'expected an AWS JSON error answer with __type'],
  [500, '{"message":"no type"}', '__type'],
])(
  'turns an answer of another shape (%d %s) into an integration failure naming it',
  (status, body, expected) =>
    withBackend(async (backend) => {
      canned = { status, body };

      const outcome = await backend.putRecords(RENDERED);

      expect(outcome.kind).toBe('unreachable');
      const error = outcome.kind === 'answered' ? undefined : outcome.error;
      expect(error).toBeInstanceOf(KinesisAnswerError);
      expect((error as Error).message).toContain(`Kinesis answered ${status}`);
      expect((error as Error).message).toContain(expected);
    })(),
);

it(
  'reports a timeout when Kinesis does not answer in time',
  withBackend(
    async (backend) => {
      canned = { status: 200, body: OK_ANSWER, silent: true };

      const outcome = await backend.putRecords(RENDERED);

      expect(outcome.kind).toBe('timeout');
      expect(received).toHaveLength(1);
    },
    { requestTimeoutMs: 200 },
  ),
);
