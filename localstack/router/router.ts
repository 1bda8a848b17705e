/**
 * The one endpoint: an HTTP server on one port (default 4566) that forwards every AWS API call
 * to the emulator that serves it (see route.ts), so every SDK client and the AWS CLI work with
 * a single AWS_ENDPOINT_URL. Requests go upstream byte for byte with the Host header unchanged
 * (s3rver verifies SigV4 signatures, which cover the host); responses — errors included — come
 * back unchanged. The only rewrites are opt-in interceptors for named JSON operations: the
 * TTL support (localstack/ttl) amends TTL requests and marks TTL REMOVE stream records, as AWS
 * does. Error responses are never rewritten.
 */
import {
  Agent,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  createServer,
  request as httpRequest,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import type { EmulatedService } from '../supervisor/emulator-definition';
import { PortInUseError } from '../errors';
import { type RouteDecision, routeRequest } from './route';

export interface JsonInterceptor {
  /** Whether requests/responses of this `X-Amz-Target` are buffered and passed on here. */
  matches(target: string): boolean;
  /** Returns the request body to send upstream instead (optional). */
  transformRequest?(target: string, requestBody: Buffer): Buffer;
  /** Returns the body to send instead; called for 2xx responses only. */
  transform(target: string, requestBody: Buffer, responseBody: Buffer): Buffer;
}

export type InternalHandler = (
  request: IncomingMessage,
  body: Buffer,
) => Promise<{ status: number; body: unknown }>;

export interface RouterOptions {
  /** Upstream base URL per service, e.g. `{ dynamodb: 'http://127.0.0.1:41234', ... }`. */
  readonly upstreams: Readonly<Record<EmulatedService, string>>;
  /** Port to listen on; 0 picks a free one. */
  readonly port: number;
  readonly host?: string;
  readonly interceptors?: readonly JsonInterceptor[];
  /** Answers for `/_localstack/*` and `/_liveinsight/*` paths, keyed by exact path. */
  readonly internal?: Readonly<Record<string, InternalHandler>>;
}

export interface RunningRouter {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers (RFC 9110 section 7.6.1) are per connection; none of them is signed. */
const HOP_BY_HOP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'te',
  'trailer',
  'expect',
]);

function forwardableRawHeaders(raw: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = raw[i] ?? '';
    if (!HOP_BY_HOP.has(name.toLowerCase())) out.push(name, raw[i + 1] ?? '');
  }
  return out;
}

function readBody(stream: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => resolve(Buffer.concat(chunks)));
    stream.on('error', reject);
  });
}

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Error shape of AWS JSON protocols, so SDKs surface `__type` and `message`. */
function sendRouterError(response: ServerResponse, status: number, type: string, message: string) {
  if (response.headersSent) {
    response.destroy(new Error(message));
    return;
  }
  sendJson(response, status, { __type: type, message });
}

export function startRouter(options: RouterOptions): Promise<RunningRouter> {
  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const interceptors = options.interceptors ?? [];

  async function handleInternal(request: IncomingMessage, response: ServerResponse, path: string) {
    const handler = options.internal?.[path];
    if (handler === undefined) {
      sendRouterError(
        response,
        404,
        'NotFound',
        `No local endpoint ${path}; known: ${Object.keys(options.internal ?? {}).join(', ')}`,
      );
      return;
    }
    const body = await readBody(request);
    const result = await handler(request, body);
    sendJson(response, result.status, result.body);
  }

  function forward(
    request: IncomingMessage,
    response: ServerResponse,
    decision: Extract<RouteDecision, { kind: 'service' }>,
  ): void {
    const upstream = new URL(options.upstreams[decision.service]);
    const target = decision.target;
    const interceptor =
      target === undefined
        ? undefined
        : interceptors.find((candidate) => candidate.matches(target));
    const headers = forwardableRawHeaders(request.rawHeaders);

    const send = (body: Buffer | undefined): void => {
      const outgoing = [...headers];
      if (body !== undefined) {
        // The body may have been rewritten: frame it by its own length.
        for (let i = outgoing.length - 2; i >= 0; i -= 2) {
          if ((outgoing[i] ?? '').toLowerCase() === 'content-length') outgoing.splice(i, 2);
        }
        outgoing.push('Content-Length', String(body.length));
      } else if (
        request.headers['content-length'] === undefined &&
        request.headers['transfer-encoding'] !== undefined
      ) {
        outgoing.push('Transfer-Encoding', 'chunked');
      }
      const upstreamRequest = httpRequest({
        host: upstream.hostname,
        port: upstream.port,
        method: request.method,
        path: request.url,
        headers: outgoing,
        agent,
      });
      upstreamRequest.on('response', (upstreamResponse) =>
        relay(upstreamResponse, response, target, interceptor, body),
      );
      upstreamRequest.on('error', (error: NodeJS.ErrnoException) => {
        sendRouterError(
          response,
          502,
          'ServiceUnavailableException',
          `Local ${decision.service} emulator at ${upstream.origin} did not answer (${error.code ?? error.message})`,
        );
      });
      if (body === undefined) request.pipe(upstreamRequest);
      else upstreamRequest.end(body);
    };

    if (interceptor === undefined || target === undefined) {
      send(undefined);
      return;
    }
    readBody(request)
      .then((body) => send(interceptor.transformRequest?.(target, body) ?? body))
      .catch((error: unknown) =>
        sendRouterError(
          response,
          400,
          'SerializationException',
          `Unreadable request: ${String(error)}`,
        ),
      );
  }

  function relay(
    upstreamResponse: IncomingMessage,
    response: ServerResponse,
    target: string | undefined,
    interceptor: JsonInterceptor | undefined,
    requestBody: Buffer | undefined,
  ): void {
    const status = upstreamResponse.statusCode ?? 502;
    const responseHeaders = forwardableRawHeaders(upstreamResponse.rawHeaders);
    if (interceptor === undefined || target === undefined || status < 200 || status >= 300) {
      response.writeHead(status, upstreamResponse.statusMessage, responseHeaders);
      upstreamResponse.pipe(response);
      return;
    }
    readBody(upstreamResponse)
      .then((body) => {
        const rewritten = interceptor.transform(target, requestBody ?? Buffer.alloc(0), body);
        const outgoing: string[] = [];
        for (let i = 0; i + 1 < responseHeaders.length; i += 2) {
          const name = (responseHeaders[i] ?? '').toLowerCase();
          // The body may have changed: a CRC32 of the old one would make the SDK reject it.
          if (name === 'content-length' || name === 'x-amz-crc32') continue;
          outgoing.push(responseHeaders[i] ?? '', responseHeaders[i + 1] ?? '');
        }
        outgoing.push('Content-Length', String(rewritten.length));
        response.writeHead(status, upstreamResponse.statusMessage, outgoing);
        response.end(rewritten);
      })
      .catch((error: unknown) => {
        sendRouterError(
          response,
          500,
          'InternalFailure',
          `Local endpoint could not amend the ${target} response: ${String(error)}`,
        );
      });
  }

  const server: Server = createServer((request, response) => {
    const decision = routeRequest({
      method: request.method ?? 'GET',
      url: request.url ?? '/',
      headers: request.headers,
    });
    switch (decision.kind) {
      case 'internal':
        handleInternal(request, response, decision.path).catch((error: unknown) =>
          sendRouterError(response, 500, 'InternalFailure', String(error)),
        );
        return;
      case 'unsupported':
        request.resume();
        sendRouterError(
          response,
          400,
          'UnsupportedService',
          `Service ${JSON.stringify(decision.service)} (from ${decision.via}) is not emulated ` +
            'here; the local endpoint serves DynamoDB, DynamoDB Streams, Kinesis and S3',
        );
        return;
      case 'service':
        forward(request, response, decision);
        return;
    }
  });
  // SDK clients keep sockets alive; without this, close() would wait for them to idle out.
  server.keepAliveTimeout = 5_000;

  return new Promise((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        reject(new PortInUseError(options.port, 'local AWS endpoint', { cause: error }));
      } else {
        reject(error);
      }
    });
    server.listen({ port: options.port, host: options.host ?? '127.0.0.1' }, () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        url: `http://localhost:${port}`,
        close: () =>
          new Promise<void>((done) => {
            agent.destroy();
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
