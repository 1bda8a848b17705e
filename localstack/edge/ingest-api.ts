/**
 * POST /events and OPTIONS /events as API Gateway runs them, step by step (the order of
 * LocalStack's API Gateway, which is checked against AWS): the REQUEST authorizer (identity
 * source `?key=`, cached per key) → usage plan of the key it returned and method throttle →
 * required parameters → body against the draft-04 model of its media type → mapping template →
 * integration (Kinesis PutRecords) → integration response template. Everything a template
 * decides comes from the same .vtl files CDK deploys; everything API Gateway decides without a
 * template (gateway responses, static headers, limits) comes from infra/api/ingest-api-spec.ts.
 */
import { isUtf8 } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import Ajv4 from 'ajv-draft-04';
import { match } from 'ts-pattern';
import {
  ACCESS_LOG_FIELDS,
  EVENTS_INTEGRATION_RESPONSES,
  EVENTS_PATH,
  INGEST_KEY_PARAMETER,
  JSON_MEDIA_TYPE,
  PREFLIGHT_INTEGRATION_RESPONSES,
  REQUEST_MEDIA_TYPES,
  STAGE_VARIABLES,
  readTemplate,
  type AccessLogField,
  type GatewayResponseType,
  type IntegrationResponseSpec,
  type TemplateName,
} from '../../infra/api/ingest-api-spec';
import { ingestRequestModel } from '../../schemas/draft04';
import { IngestRequestSchema } from '../../schemas/ingest';
import { authorizerContext } from '../../pipeline/ingest-authorization';
import { formatIssues, parseWith } from '../../schemas/validator';
import type { AuthorizerCache } from './authorizer-cache';
import {
  edgeErrorResponse,
  evaluateHeaders,
  gatewayResponse,
  requestHeader,
  type GatewayErrorContext,
} from './http-answer';
import type { EndpointResponse, KinesisBackend } from './kinesis-backend';
import type { EdgeRequest, EdgeResponse, Route } from './router';
import type { UsageLimiter } from './usage-limiter';
import { firstInvalidUtf8, hexBytes } from './utf8-check';
import { CompiledTemplate } from './vtl/render-template';
import { TemplateRenderError } from './vtl/errors';
import { createVtlContext, type VtlContext } from './vtl/vtl-context';
import { type RequestParameters, VtlInput } from './vtl/vtl-input';

export interface IngestApiOptions {
  /** The REQUEST authorizer with API Gateway's result cache. */
  readonly authorizer: AuthorizerCache;
  readonly limiter: UsageLimiter;
  /** The integration's Kinesis (one attempt per request, as API Gateway makes). */
  readonly kinesis: KinesisBackend;
  readonly streamName: string;
  /** Stage name, as in `$context.stage` (default `local`). */
  readonly stage?: string;
  readonly clock?: () => number;
  /** One JSON line per request, with the fields of the deployed stage's access log. */
  readonly accessLog?: (line: string) => void;
  /** Failures API Gateway would log (a template that throws, an unreachable stream). */
  readonly logError?: (error: unknown, requestId: string) => void;
}

type AccessLogEntry = Partial<Record<AccessLogField, string>>;

const compileAll = (): Readonly<Record<TemplateName, CompiledTemplate>> => ({
  'events-request': CompiledTemplate.compile('events-request', readTemplate('events-request')),
  'events-response-ok': CompiledTemplate.compile(
    'events-response-ok',
    readTemplate('events-response-ok'),
  ),
  'events-response-error': CompiledTemplate.compile(
    'events-response-error',
    readTemplate('events-response-error'),
  ),
  'preflight-request': CompiledTemplate.compile(
    'preflight-request',
    readTemplate('preflight-request'),
  ),
  'preflight-response': CompiledTemplate.compile(
    'preflight-response',
    readTemplate('preflight-response'),
  ),
});

/** The integration response whose pattern matches the whole status, else the default one. */
export function selectIntegrationResponse(
  specs: readonly IntegrationResponseSpec[],
  status: number,
): IntegrationResponseSpec | undefined {
  const code = String(status);
  return (
    specs.find(
      (spec) =>
        spec.selectionPattern !== undefined &&
        new RegExp(`^(?:${spec.selectionPattern})$`).test(code),
    ) ?? specs.find((spec) => spec.selectionPattern === undefined)
  );
}

/** The media type without parameters (`text/plain;charset=UTF-8` → `text/plain`). */
function mediaType(contentType: string | undefined): string | undefined {
  return contentType?.split(';')[0]?.trim().toLowerCase();
}

function isRequestMediaType(media: string | undefined): boolean {
  return (REQUEST_MEDIA_TYPES as readonly (string | undefined)[]).includes(media);
}

export function ingestApiRoutes(options: IngestApiOptions): readonly Route[] {
  const clock = options.clock ?? Date.now;
  const stage = options.stage ?? 'local';
  const templates = compileAll();
  // API Gateway validates with the draft-04 model; the TypeBox schema only words the details.
  // allErrors: a 400 names every bad field, not the first one (the details are bounded below).
  const validateModel = new Ajv4({ allErrors: true, strict: false }).compile(ingestRequestModel());
  // API Gateway's stage variables: only the stream now (sites' origins are in the registry).
  const stageVariables = { [STAGE_VARIABLES.eventsStream]: options.streamName };

  const logError =
    options.logError ??
    ((error: unknown, requestId: string) => {
      process.stderr.write(
        `${JSON.stringify({ level: 'error', source: 'edge', requestId, error: String(error), cause: String((error as Error).cause ?? '') })}\n`,
      );
    });

  function parameters(request: EdgeRequest): RequestParameters {
    return { path: {}, querystring: request.query, header: request.headers };
  }

  function contextFor(
    request: EdgeRequest,
    key: { apiKey: string; apiKeyId: string; authorizer: Record<string, string> } | undefined,
  ): VtlContext {
    return createVtlContext({
      requestId: request.requestId,
      extendedRequestId: request.requestId,
      requestTimeEpoch: request.receivedAt,
      httpMethod: request.method,
      resourcePath: EVENTS_PATH,
      path: `/${stage}${EVENTS_PATH}`,
      stage,
      protocol: request.protocol,
      domainName: requestHeader(request, 'host') ?? 'localhost',
      apiId: 'local',
      accountId: '000000000000',
      identity: {
        sourceIp: request.sourceIp,
        userAgent: requestHeader(request, 'user-agent') ?? '',
        apiKey: key?.apiKey ?? null,
        apiKeyId: key?.apiKeyId ?? null,
      },
      ...(key === undefined ? {} : { authorizer: key.authorizer }),
    });
  }

  function log(request: EdgeRequest, response: EdgeResponse, entry: AccessLogEntry): EdgeResponse {
    if (options.accessLog === undefined) return response;
    const fields: Record<AccessLogField, string> = {
      requestId: request.requestId,
      extendedRequestId: request.requestId,
      requestTimeEpoch: String(request.receivedAt),
      httpMethod: request.method,
      resourcePath: EVENTS_PATH,
      status: String(response.status),
      responseLength: String(Buffer.byteLength(response.body)),
      responseLatency: String(clock() - request.receivedAt),
      integrationStatus: '-',
      integrationLatency: '-',
      apiKeyId: '-',
      errorType: '-',
      errorMessage: '-',
      xrayTraceId: '-',
      ...entry,
    };
    // Same keys, same order as the deployed stage's format (accessLogFormat()).
    const ordered = Object.fromEntries(
      Object.keys(ACCESS_LOG_FIELDS).map((k) => [k, fields[k as AccessLogField]]),
    );
    options.accessLog(JSON.stringify(ordered));
    return response;
  }

  function refused(
    request: EdgeRequest,
    type: GatewayResponseType,
    entry: AccessLogEntry = {},
    error: GatewayErrorContext = {},
  ): EdgeResponse {
    const response = gatewayResponse(type, request, error);
    return log(request, response, {
      ...entry,
      errorType: type,
      errorMessage: error.message ?? type,
    });
  }

  function notUtf8(request: EdgeRequest, entry: AccessLogEntry): EdgeResponse {
    const found = firstInvalidUtf8(request.body);
    const offset = found?.offset ?? 0;
    const message =
      `The body is not valid UTF-8: the bytes at offset ${offset} (${hexBytes(found?.bytes ?? [])}) ` +
      'are not a UTF-8 character; send the JSON encoded as UTF-8';
    const response = edgeErrorResponse(
      { status: 400, code: 'invalid_utf8', message, details: { offset } },
      request,
    );
    return log(request, response, { ...entry, errorMessage: message });
  }

  function integrationAnswer(
    request: EdgeRequest,
    specs: readonly IntegrationResponseSpec[],
    endpoint: EndpointResponse,
    context: VtlContext,
    entry: AccessLogEntry,
  ): EdgeResponse {
    const spec = selectIntegrationResponse(specs, endpoint.status);
    if (spec === undefined) {
      return refused(request, 'API_CONFIGURATION_ERROR', entry, {
        message: `No integration response for status ${endpoint.status}`,
      });
    }
    let body: string;
    try {
      body = templates[spec.template].render({
        context,
        input: new VtlInput(endpoint.body, parameters(request)),
        stageVariables,
      });
    } catch (error) {
      logError(error, request.requestId);
      return refused(request, 'API_CONFIGURATION_ERROR', entry, {
        message: 'Internal server error',
      });
    }
    const override = context.responseOverride();
    const response: EdgeResponse = {
      status: override.status ?? spec.statusCode,
      headers: {
        ...evaluateHeaders(spec.headers, request),
        ...override.headers,
        'Content-Type': JSON_MEDIA_TYPE,
        'x-amzn-RequestId': request.requestId,
      },
      body: body.trim(),
    };
    return log(request, response, entry);
  }

  async function postEvents(request: EdgeRequest): Promise<EdgeResponse> {
    const now = clock();

    // 1. The REQUEST authorizer. Its identity source must be present and non-empty, else API
    //    Gateway answers UNAUTHORIZED without calling it (the old x-api-key form ends here).
    const apiKey = request.query[INGEST_KEY_PARAMETER];
    if (apiKey === undefined || apiKey === '') return refused(request, 'UNAUTHORIZED');
    let authorization;
    try {
      authorization = await options.authorizer.authorize(apiKey);
    } catch (error) {
      logError(error, request.requestId);
      return refused(request, 'AUTHORIZER_FAILURE', {}, { message: 'Authorizer failed' });
    }
    if (authorization.kind === 'deny') {
      return refused(request, 'ACCESS_DENIED', {}, { message: authorization.reason });
    }
    const entry: AccessLogEntry = { apiKeyId: authorization.keyId };

    // 2. Usage plan of the key the authorizer returned (usageIdentifierKey), quota, method
    //    throttle (per stage).
    const admission = options.limiter.admit(authorization.keyId, authorization.tier, now);
    const limited = match(admission)
      .with({ kind: 'admitted' }, () => undefined)
      .with({ kind: 'throttled' }, () => refused(request, 'THROTTLED', entry))
      .with({ kind: 'quota-exceeded' }, () => refused(request, 'QUOTA_EXCEEDED', entry))
      .exhaustive();
    if (limited !== undefined) return limited;

    // 3. Required request parameters, then the body against the model of its media type. API
    //    Gateway validates only media types that have a model (application/json, text/plain);
    //    any other has no template either and is refused at step 4.
    const contentType = requestHeader(request, 'content-type');
    if (contentType === undefined) {
      return refused(request, 'BAD_REQUEST_PARAMETERS', entry, {
        message: 'Missing required request parameters: [Content-Type]',
      });
    }
    // 4. Integration request: only media types with a template (passthrough NEVER).
    if (!isRequestMediaType(mediaType(contentType))) {
      return refused(request, 'UNSUPPORTED_MEDIA_TYPE', entry);
    }
    // API Gateway decodes the body as UTF-8 and silently turns bytes that are not UTF-8 into
    // U+FFFD; the local edge refuses them and says where (README: known differences).
    if (!isUtf8(request.body)) return notUtf8(request, entry);
    const text = request.body.toString('utf8');
    let body: unknown;
    try {
      body = JSON.parse(text === '' ? '{}' : text) as unknown;
    } catch {
      return refused(request, 'BAD_REQUEST_BODY', entry, {
        message: 'Invalid request body',
        validationErrorString: 'the body is not JSON',
      });
    }
    if (!validateModel(body)) {
      const described = parseWith(IngestRequestSchema, body);
      return refused(request, 'BAD_REQUEST_BODY', entry, {
        message: 'Invalid request body',
        validationErrorString: described.ok
          ? JSON.stringify(validateModel.errors ?? [])
          : formatIssues(described.issues, described.more),
      });
    }

    const context = contextFor(request, {
      apiKey,
      apiKeyId: authorization.keyId,
      authorizer: { ...authorizerContext(authorization) },
    });
    let rendered: string;
    try {
      rendered = templates['events-request'].render({
        context,
        input: new VtlInput(text, parameters(request), body),
        stageVariables,
      });
    } catch (error) {
      logError(error, request.requestId);
      return refused(request, 'API_CONFIGURATION_ERROR', entry, {
        message: 'Internal server error',
      });
    }

    // 5. Integration: Kinesis PutRecords.
    const outcome = await options.kinesis.putRecords(rendered);
    if (outcome.kind !== 'answered') {
      logError(outcome.error, request.requestId);
      const failed = { ...entry, integrationLatency: String(outcome.latencyMs) };
      return outcome.kind === 'timeout'
        ? refused(request, 'INTEGRATION_TIMEOUT', failed, { message: 'Endpoint request timed out' })
        : refused(request, 'INTEGRATION_FAILURE', failed, { message: 'Internal server error' });
    }

    // 6. Integration response.
    return integrationAnswer(request, EVENTS_INTEGRATION_RESPONSES, outcome.response, context, {
      ...entry,
      integrationStatus: String(outcome.response.status),
      integrationLatency: String(outcome.latencyMs),
    });
  }

  /** MOCK integration: the request template names the status, nothing leaves the gateway. */
  function preflight(request: EdgeRequest): Promise<EdgeResponse> {
    const context = contextFor(request, undefined);
    try {
      const rendered = templates['preflight-request'].render({
        context,
        input: new VtlInput(request.body.toString('utf8'), parameters(request)),
        stageVariables,
      });
      const status = (JSON.parse(rendered) as { statusCode?: unknown }).statusCode;
      if (typeof status !== 'number') {
        throw new TemplateRenderError(
          `preflight-request rendered ${rendered.trim()} (expected {"statusCode": <number>})`,
        );
      }
      return Promise.resolve(
        integrationAnswer(
          request,
          PREFLIGHT_INTEGRATION_RESPONSES,
          { status, body: '{}' },
          context,
          {},
        ),
      );
    } catch (error) {
      logError(error, request.requestId);
      return Promise.resolve(
        refused(request, 'API_CONFIGURATION_ERROR', {}, { message: 'Internal server error' }),
      );
    }
  }

  return [
    { method: 'POST', path: EVENTS_PATH, handler: postEvents },
    { method: 'OPTIONS', path: EVENTS_PATH, handler: preflight },
  ];
}

/** A fresh request id, as API Gateway gives every request. */
export const newRequestId = (): string => randomUUID();
