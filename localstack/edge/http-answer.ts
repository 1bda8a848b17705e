/**
 * Answers of the local edge as API Gateway shapes them: header values from the shared spec
 * (static, or copied from the method request), API Gateway's own x-amzn-RequestId, and
 * gateway responses rendered by substitution (API Gateway does not run VTL on them).
 */
import {
  GATEWAY_RESPONSES,
  JSON_MEDIA_TYPE,
  gatewayResponseHeaders,
  gatewayResponseTemplate,
  type GatewayResponseType,
  type HeaderMap,
} from '../../infra/api/ingest-api-spec';
import type { EdgeRequest, EdgeResponse } from './router';

/** Case-insensitive header lookup (Node lowercases incoming header names). */
export function requestHeader(request: EdgeRequest, name: string): string | undefined {
  return request.headers[name.toLowerCase()];
}

/** Evaluates header mappings; a header copied from an absent request header is left out. */
export function evaluateHeaders(map: HeaderMap, request: EdgeRequest): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(map)) {
    if (value.kind === 'static') {
      out[name] = value.value;
    } else {
      const copied = requestHeader(request, value.name);
      if (copied !== undefined) out[name] = copied;
    }
  }
  return out;
}

export interface GatewayErrorContext {
  /** `$context.error.message` (API Gateway's own wording). */
  readonly message?: string;
  /** `$context.error.validationErrorString`. */
  readonly validationErrorString?: string;
}

/** JSON string contents without the quotes. */
function jsonInner(text: string): string {
  return JSON.stringify(text).slice(1, -1);
}

export function gatewayResponse(
  type: GatewayResponseType,
  request: EdgeRequest,
  error: GatewayErrorContext = {},
): EdgeResponse {
  const spec = GATEWAY_RESPONSES[type];
  const body = gatewayResponseTemplate(spec)
    .replace(/\$context\.error\.messageString/g, () =>
      JSON.stringify(error.message ?? spec.message),
    )
    .replace(/\$context\.error\.validationErrorString/g, () =>
      jsonInner(error.validationErrorString ?? ''),
    )
    .replace(/\$context\.requestId/g, () => request.requestId);
  return {
    status: spec.statusCode,
    headers: {
      ...evaluateHeaders(gatewayResponseHeaders(spec), request),
      'Content-Type': JSON_MEDIA_TYPE,
      'x-amzn-RequestId': request.requestId,
    },
    body,
  };
}

/** An error of the local edge's own, in the error contract, with a gateway response's headers. */
export interface EdgeError {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly details?: unknown;
}

export function edgeErrorBody(error: EdgeError): string {
  return JSON.stringify({
    error: {
      code: error.code,
      message: error.message,
      ...(error.details === undefined ? {} : { details: error.details }),
    },
  });
}

/**
 * An answer API Gateway would not give (it has no gateway response for it), shaped like one:
 * the error contract, the security and CORS headers, the Origin echoed.
 */
export function edgeErrorResponse(error: EdgeError, request: EdgeRequest): EdgeResponse {
  return {
    status: error.status,
    headers: {
      ...evaluateHeaders(gatewayResponseHeaders(GATEWAY_RESPONSES.DEFAULT_4XX), request),
      'Content-Type': JSON_MEDIA_TYPE,
      'x-amzn-RequestId': request.requestId,
    },
    body: edgeErrorBody(error),
  };
}
