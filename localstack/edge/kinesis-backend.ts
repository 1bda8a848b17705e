/**
 * The AWS service integration of POST /events, locally: sends the PutRecords request that the
 * mapping template rendered to Kinesis as API Gateway does — the rendered text verbatim as the
 * body (AWS JSON 1.1, `X-Amz-Target: Kinesis_20131202.PutRecords`, SigV4-signed) — and hands
 * back what API Gateway's integration response stage would see: the HTTP status and the body of
 * Kinesis' answer. Like API Gateway it makes one attempt; a request Kinesis cannot read gets
 * Kinesis' own answer (SerializationException), not ours.
 *
 * The wire is the SDK's KinesisClient (HTTP/1.1 keep-alive as handlers/aws-clients.ts, one
 * attempt): it signs and sends a PutRecordsCommand whose serialized body is swapped for the
 * rendered text, and the answer's bytes are kept as they came (the SDK's own reading of them is
 * not used: the response templates read Kinesis' text).
 *
 * Test faults go in a Smithy middleware stack (`middlewareStack`) at the rendered request's level;
 * a call with faults installed runs the integration's steps as middleware in the SDK's places
 * (serialize → deserialize → HTTP) with `commandName` `PutRecordsCommand`, so
 * handlers/test-support (`installFaultInjector([backend])`, operation `PutRecords`) acts on it
 * exactly as on an SDK client: crashes before sending, error answers and delays per attempt, read
 * by the same reader as a real answer.
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import {
  KinesisClient,
  PutRecordsCommand,
  type PutRecordsCommandInput,
  type ServiceInputTypes,
  type ServiceOutputTypes,
} from '@aws-sdk/client-kinesis';
import { constructStack } from '@smithy/core/client';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type {
  BuildHandler,
  BuildHandlerArguments,
  DeserializeHandler,
  DeserializeHandlerArguments,
  DeserializeHandlerOutput,
  HandlerExecutionContext,
  HttpRequest,
  HttpResponse,
  MiddlewareStack,
  SerializeHandler,
  SerializeHandlerArguments,
} from '@smithy/types';
import { Type } from '@sinclair/typebox';
import { formatIssues, isValid, parseWith } from '../../schemas/validator';

/** Kinesis' answer, unread: status and body bytes (what API Gateway's response stage sees). */
interface RawAnswer {
  readonly statusCode: number;
  readonly body: Uint8Array;
}

export interface KinesisConnectOptions {
  /** Connections kept per endpoint (default 50, as handlers/aws-clients.ts). */
  readonly maxSockets?: number;
  /** Longest wait for Kinesis' answer (default 10 s). */
  readonly requestTimeoutMs?: number;
}

/** What the integration answered: API Gateway's "endpoint response". */
export interface EndpointResponse {
  readonly status: number;
  readonly body: string;
}

export type IntegrationOutcome =
  | { readonly kind: 'answered'; readonly response: EndpointResponse; readonly latencyMs: number }
  /** No (usable) answer: API Gateway's INTEGRATION_FAILURE / INTEGRATION_TIMEOUT responses. */
  | {
      readonly kind: 'unreachable' | 'timeout';
      readonly error: unknown;
      readonly latencyMs: number;
    };

/**
 * The PutRecords request as middleware sees it: the rendered JSON, parsed but unchecked (it is
 * the template's output; Kinesis judges it). `{}` when the text is not a JSON object.
 */
export type PutRecordsCall = Readonly<Record<string, unknown>>;

export const PUT_RECORDS_TARGET = 'Kinesis_20131202.PutRecords';
const COMMAND_NAME = 'PutRecordsCommand';

/** Kinesis' 2xx answer to PutRecords (AWS JSON; unknown fields allowed, as AWS adds some). */
const PutRecordsAnswerSchema = Type.Object({
  FailedRecordCount: Type.Integer({ minimum: 0 }),
  Records: Type.Array(
    Type.Union([
      Type.Object({ SequenceNumber: Type.String(), ShardId: Type.String() }),
      Type.Object({ ErrorCode: Type.String(), ErrorMessage: Type.Optional(Type.String()) }),
    ]),
  ),
});

/** An AWS JSON protocol error answer. */
const ErrorAnswerSchema = Type.Object({
  __type: Type.String({ minLength: 1 }),
  message: Type.Optional(Type.String()),
  Message: Type.Optional(Type.String()),
});

/** What the SDK's deserializer is given to read (see the constructor). */
const EMPTY_ANSWER = new TextEncoder().encode('{}');

/** Static credentials: the local emulators accept any, but a request must be signed. */
const LOCAL_CREDENTIALS = { accessKeyId: 'test', secretAccessKey: 'test' } as const;

/** Kinesis answered something that is not a PutRecords answer or an AWS error answer. */
export class KinesisAnswerError extends Error {
  override readonly name = 'KinesisAnswerError';
}

function excerpt(text: string): string {
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}

/** The trust boundary: only an answer of the expected shape reaches the response templates. */
function readAnswer(raw: RawAnswer): EndpointResponse {
  const text = Buffer.from(raw.body.buffer, raw.body.byteOffset, raw.body.byteLength).toString(
    'utf8',
  );
  const success = raw.statusCode >= 200 && raw.statusCode < 300;
  const expected = success ? 'a PutRecords answer' : 'an AWS JSON error answer with __type';
  let json: unknown;
  try {
    json = JSON.parse(text) as unknown;
  } catch (cause) {
    throw new KinesisAnswerError(
      `Kinesis answered ${raw.statusCode} with ${JSON.stringify(excerpt(text))} (expected ${expected})`,
      { cause },
    );
  }
  const schema = success ? PutRecordsAnswerSchema : ErrorAnswerSchema;
  if (!isValid(schema, json)) {
    const parsed = parseWith(schema, json);
    throw new KinesisAnswerError(
      `Kinesis answered ${raw.statusCode} with ${JSON.stringify(excerpt(text))} (expected ${expected}: ${
        parsed.ok ? '' : formatIssues(parsed.issues)
      })`,
    );
  }
  return { status: raw.statusCode, body: text };
}

function isTimeout(error: unknown): boolean {
  const { name, code } = error as { name?: unknown; code?: unknown };
  return name === 'TimeoutError' || code === 'ETIMEDOUT' || code === 'ESOCKETTIMEDOUT';
}

function parseCall(renderedBody: string): PutRecordsCall {
  try {
    const value: unknown = JSON.parse(renderedBody);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as PutRecordsCall)
      : {};
  } catch {
    return {};
  }
}

export class KinesisBackend {
  /**
   * Where test faults go (handlers/faults, test-support/fail-records.ts). It holds only what
   * others add: a call finds it empty and runs the integration's own steps directly, without
   * parsing the rendered text; otherwise those steps join a copy of it, in the SDK's places.
   */
  readonly middlewareStack: MiddlewareStack<PutRecordsCall, EndpointResponse> = constructStack<
    PutRecordsCall,
    EndpointResponse
  >();
  /** The text each call's input was rendered as: sent verbatim unless a middleware replaced it. */
  private readonly renderedText = new WeakMap<PutRecordsCall, string>();

  /** Each call's rendered text and Kinesis' answer, keyed by the call's command input. */
  private readonly bodies = new WeakMap<ServiceInputTypes, string>();
  private readonly answers = new WeakMap<ServiceInputTypes, RawAnswer>();

  constructor(
    private readonly client: KinesisClient,
    private readonly clock: () => number = Date.now,
  ) {
    // On the client, not per command, so the client's cached handler (cacheMiddleware) runs them.
    client.middlewareStack.add(
      (next: BuildHandler<ServiceInputTypes, ServiceOutputTypes>) =>
        (args: BuildHandlerArguments<ServiceInputTypes>) => {
          const body = this.bodies.get(args.input);
          if (body !== undefined) {
            const request = args.request as HttpRequest;
            request.body = body;
            request.headers['content-length'] = String(Buffer.byteLength(body, 'utf8'));
          }
          return next(args);
        },
      // After the SDK's content-length middleware, before signing (finalizeRequest).
      { step: 'build', priority: 'low', name: 'liveinsightRenderedBody' },
    );
    client.middlewareStack.add(
      (next: DeserializeHandler<ServiceInputTypes, ServiceOutputTypes>) =>
        async (args: DeserializeHandlerArguments<ServiceInputTypes>) => {
          const result = await next(args);
          const response = result.response as HttpResponse;
          const bytes = await client.config.streamCollector(response.body);
          this.answers.set(args.input, { statusCode: response.statusCode, body: bytes });
          // The SDK's deserializer reads an empty answer instead: its reading is not used (the
          // templates get Kinesis' text), and parsing or throwing for the real one costs CPU.
          return { ...result, response: { statusCode: 200, headers: {}, body: EMPTY_ANSWER } };
        },
      // Innermost: the HTTP answer before the SDK's deserializer.
      { step: 'deserialize', priority: 'low', name: 'liveinsightRawAnswer' },
    );
  }

  /** A backend for the Kinesis at `endpoint` (the local emulators; test credentials). */
  static connect(
    aws: { readonly endpoint: string; readonly region: string },
    options: KinesisConnectOptions = {},
    clock?: () => number,
  ): KinesisBackend {
    const maxSockets = options.maxSockets ?? 50;
    const client = new KinesisClient({
      region: aws.region,
      endpoint: aws.endpoint,
      credentials: LOCAL_CREDENTIALS,
      // One resolved middleware stack for every call instead of one per command.
      cacheMiddleware: true,
      // One attempt, as API Gateway's integration: an overloaded emulator shows as errors.
      maxAttempts: 1,
      requestHandler: new NodeHttpHandler({
        httpAgent: new HttpAgent({ keepAlive: true, maxSockets }),
        httpsAgent: new HttpsAgent({ keepAlive: true, maxSockets }),
        connectionTimeout: 3_000,
        requestTimeout: options.requestTimeoutMs ?? 10_000,
        // A silent Kinesis is API Gateway's INTEGRATION_TIMEOUT (by default the handler only warns).
        throwOnRequestTimeout: true,
      }),
    });
    return new KinesisBackend(client, clock);
  }

  async putRecords(renderedBody: string): Promise<IntegrationOutcome> {
    const began = this.clock();
    try {
      const response =
        this.middlewareStack.identify().length === 0
          ? readAnswer(await this.send(renderedBody))
          : await this.throughStack(renderedBody);
      return { kind: 'answered', response, latencyMs: this.clock() - began };
    } catch (error) {
      return {
        kind: isTimeout(error) ? 'timeout' : 'unreachable',
        error,
        latencyMs: this.clock() - began,
      };
    }
  }

  /**
   * Sends `body` as the PutRecords request through the SDK client and returns Kinesis' answer as
   * it came; rejects only when there is no answer (network, timeouts).
   */
  private async send(body: string): Promise<RawAnswer> {
    const input: PutRecordsCommandInput = { Records: [] };
    this.bodies.set(input, body);
    await this.client.send(new PutRecordsCommand(input));
    const answer = this.answers.get(input);
    if (answer === undefined) throw new Error('Kinesis call ended without an answer');
    return answer;
  }

  /** The same steps as middleware around what tests added, as an SDK client runs a command. */
  private async throughStack(renderedBody: string): Promise<EndpointResponse> {
    const input = parseCall(renderedBody);
    this.renderedText.set(input, renderedBody);
    const stack = this.middlewareStack.clone();
    stack.add(
      (next: SerializeHandler<PutRecordsCall, EndpointResponse>) =>
        (args: SerializeHandlerArguments<PutRecordsCall>) =>
          next({
            ...args,
            request: this.renderedText.get(args.input) ?? JSON.stringify(args.input),
          }),
      { step: 'serialize', name: 'renderedRequest' },
    );
    stack.add(
      (next: DeserializeHandler<PutRecordsCall, EndpointResponse>) =>
        async (
          args: DeserializeHandlerArguments<PutRecordsCall>,
        ): Promise<DeserializeHandlerOutput<EndpointResponse>> => {
          const { response } = await next(args);
          return { response, output: readAnswer(response as RawAnswer) };
        },
      { step: 'deserialize', name: 'kinesisAnswer' },
    );
    const context: HandlerExecutionContext = {
      clientName: 'LocalEdgeKinesisIntegration',
      commandName: COMMAND_NAME,
    };
    // The innermost handler, as the SDK's: it only carries bytes; the deserializer reads them.
    const send: DeserializeHandler<PutRecordsCall, EndpointResponse> = async (args) => ({
      response: await this.send(args.request as string),
    });
    const { output } = await stack.resolve(send, context)({ input });
    return output;
  }

  destroy(): void {
    this.client.destroy();
  }
}
