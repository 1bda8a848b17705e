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
