/**
 * The wire side of API Gateway's AWS service integration, locally: an AWS JSON 1.1 request
 * (`X-Amz-Target: <service>_<version>.<Action>`) whose body goes out exactly as given, SigV4-signed
 * (sigv4.ts), over kept-alive HTTP/1.1 connections, and the whole answer read back as bytes. No SDK
 * client in between: the body is not parsed, decoded or re-encoded on the way out, as API Gateway
 * sends the text its request template rendered.
 */
import { Agent as HttpAgent, type IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import type { AwsCredentialIdentity } from '@smithy/types';
import { SigV4Signer } from './sigv4';

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

/** A request to send: POST to the endpoint's path; header names in lowercase. */
export interface JsonRequest {
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: string;
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

function headersOf(message: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export class SignedJsonClient {
  private readonly url: URL;
  private readonly signer: SigV4Signer;
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
    this.signer = new SigV4Signer(options.credentials, options.region, options.service);
    const agentOptions = { keepAlive: true, maxSockets: options.maxSockets ?? 50 };
    this.agent =
      this.url.protocol === 'https:' ? new HttpsAgent(agentOptions) : new HttpAgent(agentOptions);
    this.connectionTimeoutMs = options.connectionTimeoutMs ?? 3_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  }

  /** The unsigned request: POST to the endpoint with the target and the body as given. */
  request(target: string, body: string): JsonRequest {
    return {
      path: this.url.pathname === '' ? '/' : this.url.pathname,
      headers: {
        host: this.url.host,
        'content-type': AWS_JSON_1_1,
        'content-length': String(Buffer.byteLength(body, 'utf8')),
        'x-amz-target': target,
      },
      body,
    };
  }

  /** Signs in place (adds x-amz-date and authorization). */
  sign(request: JsonRequest): JsonRequest {
    this.signer.sign(request);
    return request;
  }

  /** Sends a (signed) request; rejects when there is no complete answer (network, timeouts). */
  send(request: JsonRequest): Promise<RawAnswer> {
    const send = this.url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<RawAnswer>((resolve, reject) => {
      const outgoing = send(
        {
          agent: this.agent,
          method: 'POST',
          hostname: this.url.hostname,
          ...(this.url.port === '' ? {} : { port: Number(this.url.port) }),
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
      outgoing.end(request.body);
    });
  }

  /** Closes the kept-alive connections. */
  destroy(): void {
    this.agent.destroy();
  }
}
