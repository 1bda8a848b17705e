/**
 * The local HTTP edge: one `node:http` server (default port 3000) that emulates the deployed
 * REST API — the ingest API here, the query API and the dashboard mounted by later parts through
 * `routes`. `startEdge(options)` → `{ url, stop() }`.
 */
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { AwsConfig } from '../../handlers/config';
import {
  type ClientError,
  answerClientError,
  clientErrorHeaders,
  rawHttpAnswer,
} from './client-error-answer';
import { edgeErrorBody, gatewayResponse } from './http-answer';
import type { RegistryReader } from '../../pipeline/ingest-authorization';
import { AuthorizerCache, DEFAULT_AUTHORIZER_CACHE_TTL_MS } from './authorizer-cache';
import { ingestApiRoutes } from './ingest-api';
import { KinesisBackend } from './kinesis-backend';
import { EdgeRouter, type EdgeRequest, type EdgeResponse, type Route } from './router';
import { DEFAULT_USAGE_LIMITS, UsageLimiter, type UsageLimits } from './usage-limiter';

export const DEFAULT_EDGE_PORT = 3000;
/** API Gateway REST's payload limit; larger requests get REQUEST_TOO_LARGE before anything else. */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

export interface EdgeOptions {
  /** Default 3000; 0 picks a free port. */
  readonly port?: number;
  /** Default 127.0.0.1 (the edge is for this machine). */
  readonly host?: string;
  /** The events stream the ingest API writes to. */
  readonly streamName: string;
  /** Where Kinesis is (the local endpoint). Ignored when `kinesis` is given. */
  readonly aws?: AwsConfig;
  /** The Kinesis integration to use (tests add fault middleware to it); the caller destroys it. */
  readonly kinesis?: KinesisBackend;
  /**
   * The site and key registry the authorizer reads: the registry table
   * (handlers/adapters/dynamo-registry-reader.ts), or memoryRegistryReader() in tests and benches.
   */
  readonly registry: RegistryReader;
  /**
   * How long an authorizer answer is reused per key (default: the deployed
   * AUTHORIZER_CACHE_TTL_SECONDS). Tests only: a short TTL lets a revocation show at once.
   */
  readonly authorizerCacheTtlMs?: number;
  /** Usage plans and method throttle (default: the deployed ones). */
  readonly limits?: UsageLimits;
  readonly stage?: string;
  /** More routes on the same server (query API, dashboard). */
  readonly routes?: readonly Route[];
  readonly accessLog?: (line: string) => void;
  readonly logError?: (error: unknown, requestId: string) => void;
  readonly clock?: () => number;
}

export interface RunningEdge {
  readonly url: string;
  readonly port: number;
  /** The ingest API's Kinesis integration (tests add fault middleware to it). */
  readonly kinesis: KinesisBackend;
  stop(): Promise<void>;
}

/** How long a connection refused at the HTTP level may stay open for the client to read the answer. */
const REFUSED_CONNECTION_LINGER_MS = 5000;

export class EdgeStartError extends Error {
  override readonly name = 'EdgeStartError';
}

function headersOf(message: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(message.headers)) {
    if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

/** Reads the body; `undefined` when it exceeds the limit (the rest is drained, not stored). */
async function readBody(message: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const declared = Number(message.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    message.resume();
    return undefined;
  }
  // Listeners, not `for await`: the async iterator costs a promise per chunk on the hot path.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    message.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    message.once('error', reject);
    message.once('end', () =>
      resolve(
        tooLarge
          ? undefined
          : chunks.length === 1
            ? (chunks[0] as Buffer)
            : Buffer.concat(chunks, size),
      ),
    );
  });
}

function sourceIpOf(message: IncomingMessage): string {
  const address = message.socket.remoteAddress ?? '';
  // An IPv4 client on a dual-stack socket shows as ::ffff:a.b.c.d; API Gateway reports a.b.c.d.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function send(res: ServerResponse, response: EdgeResponse): void {
  res.writeHead(response.status, response.headers);
  res.end(response.body);
}

export async function startEdge(options: EdgeOptions): Promise<RunningEdge> {
  const clock = options.clock ?? Date.now;
  const port = options.port ?? DEFAULT_EDGE_PORT;
  const host = options.host ?? '127.0.0.1';

  const authorizer = new AuthorizerCache(
    options.registry,
    options.authorizerCacheTtlMs ?? DEFAULT_AUTHORIZER_CACHE_TTL_MS,
    clock,
  );
  let ownClients: { destroy(): void } | undefined;
  let kinesis = options.kinesis;
  if (kinesis === undefined) {
    const endpoint = options.aws?.endpoint;
    if (options.aws === undefined || endpoint === undefined) {
      throw new EdgeStartError(
        `startEdge needs \`kinesis\` (a KinesisBackend) or \`aws\` with a local endpoint (received aws ${JSON.stringify(options.aws)})`,
      );
    }
    kinesis = KinesisBackend.connect({ endpoint, region: options.aws.region }, {}, clock);
    ownClients = kinesis;
  }

  const router = new EdgeRouter()
    .mount(
      ingestApiRoutes({
        authorizer,
        limiter: new UsageLimiter(options.limits ?? DEFAULT_USAGE_LIMITS, clock()),
        kinesis,
        streamName: options.streamName,
        ...(options.stage === undefined ? {} : { stage: options.stage }),
        clock,
        ...(options.accessLog === undefined ? {} : { accessLog: options.accessLog }),
        ...(options.logError === undefined ? {} : { logError: options.logError }),
      }),
    )
    .mount(options.routes ?? []);

  const handle = async (message: IncomingMessage, res: ServerResponse): Promise<void> => {
    const receivedAt = clock();
    const url = new URL(message.url ?? '/', 'http://edge.local');
    const base = {
      method: (message.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: headersOf(message),
      sourceIp: sourceIpOf(message),
      receivedAt,
      requestId: randomUUID(),
      protocol: `HTTP/${message.httpVersion}`,
    };
    const body = await readBody(message, MAX_PAYLOAD_BYTES);
    const request: EdgeRequest = { ...base, body: body ?? Buffer.alloc(0) };
    if (body === undefined) {
      send(res, gatewayResponse('REQUEST_TOO_LARGE', request));
      return;
    }
    const handler = router.find(request.method, request.path);
    // API Gateway answers an unknown resource or method with MISSING_AUTHENTICATION_TOKEN.
    send(
      res,
      handler === undefined
        ? gatewayResponse('MISSING_AUTHENTICATION_TOKEN', request)
        : await handler(request),
    );
  };

  // The request each connection is being answered for: a parser error in the middle of its body
  // is answered through its response; one after it waits for that response to finish.
  const inFlight = new WeakMap<Socket, { message: IncomingMessage; res: ServerResponse }>();

  const server: Server = createServer((message, res) => {
    const socket = message.socket;
    inFlight.set(socket, { message, res });
    res.once('close', () => {
      if (inFlight.get(socket)?.res === res) inFlight.delete(socket);
    });
    handle(message, res).catch((error: unknown) => {
      // The client broke the request off (a malformed chunk, a reset): answered in clientError.
      if (message.destroyed || !message.complete) {
        if (!res.headersSent) res.destroy();
        return;
      }
      options.logError?.(error, 'unhandled');
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'application/json' });
        res.end('{"error":{"code":"internal_error","message":"The local edge failed"}}');
      } else {
        res.destroy();
      }
    });
  });
  // Trackers keep connections open; keep-alive beyond the bench's pauses.
  server.keepAliveTimeout = 65_000;

  // Requests Node's parser refuses never reach `handle`; answer them in the error contract.
  const refusedSockets = new WeakSet<Socket>();
  server.on('clientError', (error: ClientError, socket: Socket) => {
    // The parser reports the same error again for every later chunk of a refused request.
    if (refusedSockets.has(socket)) return;
    refusedSockets.add(socket);
    const answer = answerClientError(error, (path) => router.methodsOf(path));
    if (answer === undefined || !socket.writable) {
      socket.destroy();
      return;
    }
    const current = inFlight.get(socket);
    if (current !== undefined && !current.message.complete) {
      // The error is in this request's body: answer it through its own response.
      if (current.res.headersSent) {
        socket.destroy();
      } else {
        const body = edgeErrorBody(answer);
        current.res.writeHead(answer.status, clientErrorHeaders(answer, body));
        current.res.end(body);
      }
      return;
    }
    const refuse = () => {
      // end, not destroy: the client reads the answer; what it still sends is read and dropped
      // (destroying with unread bytes would reset the connection before the answer is read).
      socket.end(rawHttpAnswer(answer));
      const linger = setTimeout(() => socket.destroy(), REFUSED_CONNECTION_LINGER_MS);
      linger.unref();
      socket.once('close', () => clearTimeout(linger));
    };
    if (current === undefined) refuse();
    else current.res.once('finish', refuse);
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (cause) {
    ownClients?.destroy();
    const code = (cause as NodeJS.ErrnoException).code;
    throw new EdgeStartError(
      code === 'EADDRINUSE'
        ? `Port ${port} is in use; set another edge port (0 picks a free one)`
        : `The edge could not listen on ${host}:${port}`,
      { cause },
    );
  }
  const bound = (server.address() as AddressInfo).port;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${bound}`,
    port: bound,
    kinesis,
    stop() {
      stopping ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }).finally(() => ownClients?.destroy());
      return stopping;
    },
  };
}
