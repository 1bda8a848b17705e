/**
 * The wire side of API Gateway's AWS service integration, locally: an AWS JSON 1.1 request
 * (`X-Amz-Target: <service>_<version>.<Action>`) whose body goes out exactly as given, signed
 * with SigV4 (@smithy/signature-v4, which caches the derived signing key per day), over kept-alive
 * HTTP/1.1 connections, and the whole answer read back as bytes. No SDK client in between: the
 * body is not parsed, decoded or re-encoded on the way out, as API Gateway sends the text its
 * request template rendered.
 */
import { createHash, createHmac, type Hash as NodeHash, type Hmac } from 'node:crypto';
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { SignatureV4 } from '@smithy/signature-v4';
import type { AwsCredentialIdentity, Checksum, HttpRequest, SourceData } from '@smithy/types';

export const AWS_JSON_1_1 = 'application/x-amz-json-1.1';

export interface SignedJsonClientOptions {
  /** Where the service listens, e.g. `http://127.0.0.1:4566`. */
  readonly endpoint: string;
  readonly region: string;
  /** SigV4 signing name, e.g. `kinesis`. */
  readonly service: string;
  readonly credentials: AwsCredentialIdentity;
  /** Connections kept per endpoint (default 50, as handlers/aws-clients.ts). */
  readonly maxSockets?: number;
  /** Default 3 s. */
  readonly connectionTimeoutMs?: number;
  /** Longest silence on a connection while a request is out (default 10 s). */
  readonly requestTimeoutMs?: number;
}

/** The service's answer, unread: status, headers (lowercase names) and body bytes. */
export interface RawAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Uint8Array;
}

/** No answer in time; `name` is the SDK's (`TimeoutError`), which callers already recognise. */
export class RequestTimeoutError extends Error {
  override readonly name = 'TimeoutError';
}

/** SHA-256 and HMAC-SHA256 from node:crypto in the shape SignatureV4 wants. */
class NodeSha256 implements Checksum {
  private hash: NodeHash | Hmac;

  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }

  update(data: Uint8Array): void {
    this.hash.update(data);
  }

  digest(): Promise<Uint8Array> {
    return Promise.resolve(this.hash.digest());
  }

  reset(): void {
    this.hash = this.fresh();
  }

  private fresh(): NodeHash | Hmac {
    if (this.secret === undefined) return createHash('sha256');
    const key =
      typeof this.secret === 'string'
        ? Buffer.from(this.secret, 'utf8')
        : ArrayBuffer.isView(this.secret)
          ? Buffer.from(this.secret.buffer, this.secret.byteOffset, this.secret.byteLength)
          : Buffer.from(this.secret);
    return createHmac('sha256', key);
  }
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class SignedJsonClient {
  private readonly url: URL;
  private readonly signer: SignatureV4;
  private readonly agent: HttpAgent | HttpsAgent;
  private readonly connectionTimeoutMs: number;
  private readonly requestTimeoutMs: number;

  constructor(options: SignedJsonClientOptions) {
    this.url = new URL(options.endpoint);
    if (this.url.protocol !== 'http:' && this.url.protocol !== 'https:') {
      throw new RangeError(
        `endpoint is ${options.endpoint} (expected an http:// or https:// URL of the service)`,
      );
    }
    this.signer = new SignatureV4({
      credentials: options.credentials,
      region: options.region,
      service: options.service,
      sha256: NodeSha256,
      // The JSON protocols sign the body hash without sending it as a header (as the SDK does).
      applyChecksum: false,
    });
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
    this.agent =
      this.url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.connectionTimeoutMs = options.connectionTimeoutMs ?? 3_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** The unsigned request: POST / with the target and the body as given. */
  request(target: string, body: string): HttpRequest {
    return {
      method: 'POST',
      protocol: this.url.protocol,
      hostname: this.url.hostname,
      ...(this.url.port === '' ? {} : { port: Number(this.url.port) }),
      path: this.url.pathname === '' ? '/' : this.url.pathname,
      query: {},
      headers: {
        host: this.url.host,
        'content-type': AWS_JSON_1_1,
        'x-amz-target': target,
        'content-length': String(Buffer.byteLength(body, 'utf8')),
      },
      body,
    };
  }

  sign(request: HttpRequest): Promise<HttpRequest> {
    return this.signer.sign(request);
  }

  /** Sends a (signed) request; rejects when there is no complete answer (network, timeouts). */
  send(request: HttpRequest): Promise<RawAnswer> {
    const body: unknown = request.body;
    if (typeof body !== 'string') {
      return Promise.reject(
        new TypeError(`request body is ${typeof body} (expected the JSON text, a string)`),
      );
    }
    const send = request.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<RawAnswer>((resolve, reject) => {
      const outgoing = send(
        {
          agent: this.agent,
          method: request.method,
          hostname: request.hostname,
          ...(request.port === undefined ? {} : { port: request.port }),
          path: request.path,
          headers: request.headers,
        },
        (incoming) => {
          const chunks: Buffer[] = [];
          incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
          incoming.on('error', reject);
          incoming.on('end', () =>
            resolve({
              statusCode: incoming.statusCode ?? 0,
              headers: headersOf(incoming),
              body: chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks),
            }),
          );
        },
      );
      outgoing.on('error', reject);
      outgoing.setTimeout(this.requestTimeoutMs, () =>
        outgoing.destroy(
          new RequestTimeoutError(
            `No answer from ${this.url.host} within ${this.requestTimeoutMs} ms`,
          ),
        ),
      );
      outgoing.on('socket', (socket) => {
        if (!socket.connecting) return;
        const timer = setTimeout(
          () =>
            outgoing.destroy(
              new RequestTimeoutError(
                `No connection to ${this.url.host} within ${this.connectionTimeoutMs} ms`,
              ),
            ),
          this.connectionTimeoutMs,
        );
        socket.once('connect', () => clearTimeout(timer));
        socket.once('close', () => clearTimeout(timer));
      });
      // One write: Node sends the headers and a string body together.
      outgoing.end(body);
    });
  }

  /** Closes the kept-alive connections. */
  destroy(): void {
    this.agent.destroy();
  }
}
