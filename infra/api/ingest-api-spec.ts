/**
 * The ingest API (`POST /events`, `OPTIONS /events`) as plain data, read by both sides that must
 * behave alike: the CDK construct that deploys it (infra/constructs/ingest-api.ts) and the local
 * edge that emulates it (localstack/edge/). The mapping templates live in ./templates/*.vtl and
 * are read from there by both; everything API Gateway does without a template (gateway
 * responses, static headers, usage plans, throttling, access-log fields) is defined here once.
 *
 * No aws-cdk-lib import on purpose: the local edge loads this without loading CDK.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { INGEST_KEY_PARAMETER } from '../../schemas/ingest-request-form';
import type { TierName } from '../../schemas/registry';

export const EVENTS_PATH = '/events';

/** Media type of every answer, and of requests from servers. */
export const JSON_MEDIA_TYPE = 'application/json';

/**
 * What `navigator.sendBeacon(url, string)` and a header-less `fetch` send: a CORS-safelisted
 * Content-Type, so a browser sends the POST without a preflight. The body is the same JSON.
 */
export const TEXT_MEDIA_TYPE = 'text/plain';

/** Request media types with a model and a request template (any other: 415). */
export const REQUEST_MEDIA_TYPES = [JSON_MEDIA_TYPE, TEXT_MEDIA_TYPE] as const;

// ---------------------------------------------------------------------------------------------
// Mapping templates

export const TEMPLATE_NAMES = [
  'events-request',
  'events-response-ok',
  'events-response-error',
  'preflight-request',
  'preflight-response',
] as const;
export type TemplateName = (typeof TEMPLATE_NAMES)[number];

export function templateFile(name: TemplateName): string {
  return join(__dirname, 'templates', `${name}.vtl`);
}

/** The template's text exactly as deployed (CDK inlines it into the CloudFormation template). */
export function readTemplate(name: TemplateName): string {
  return readFileSync(templateFile(name), 'utf8');
}

// ---------------------------------------------------------------------------------------------
// Stage variables: per-deployment data the templates read

export const STAGE_VARIABLES = {
  /** Name of the Kinesis stream PutRecords writes to. */
  eventsStream: 'eventsStream',
} as const;

// ---------------------------------------------------------------------------------------------
// The key check: a Lambda REQUEST authorizer (handlers/ingest-authorizer/; locally the edge runs
// the same pure decision, pipeline/ingest-authorization.ts) reads the key from the query string,
// looks it up in the registry table and hands the site to the request template in
// $context.authorizer. Sites' origins live in the registry, not in stage variables.

export { INGEST_KEY_PARAMETER };

/** The authorizer's identity source: API Gateway's cache key, and required (else 401, no call). */
export const INGEST_KEY_IDENTITY_SOURCE = `method.request.querystring.${INGEST_KEY_PARAMETER}`;

/**
 * How long API Gateway (and the local edge) reuses an authorizer answer for the same key. A key
 * revoked, a site disabled or an origin changed in the registry takes effect within this time;
 * an unknown key's Deny is cached as well, which spares the registry from repeated guesses.
 */
export const AUTHORIZER_CACHE_TTL_SECONDS = 300;

// ---------------------------------------------------------------------------------------------
// Headers. Values are static (API Gateway: a quoted literal) or copied from the method
// request (API Gateway: method.request.header.<name>).

export type HeaderValue =
  | { readonly kind: 'static'; readonly value: string }
  | { readonly kind: 'request-header'; readonly name: string };

export type HeaderMap = Readonly<Record<string, HeaderValue>>;

const fixed = (value: string): HeaderValue => ({ kind: 'static', value });

/** On every answer (OWASP REST Security: an API answers JSON nobody may sniff, frame or cache). */
export const SECURITY_HEADERS = {
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cache-Control': 'no-store',
} as const;

/**
 * CORS headers of every answer. Access-Control-Allow-Origin itself is set per answer: by the
 * response templates (only for origins the request template admitted) and by gateway responses
 * (which echo the Origin: an error body carries no data, and the tracker must be able to read a
 * 429's Retry-After). Retry-After is not a CORS-safelisted header, hence Expose-Headers.
 */
export const CORS_HEADERS = {
  Vary: 'Origin',
  'Access-Control-Expose-Headers': 'Retry-After,x-amzn-RequestId',
} as const;

export const PREFLIGHT_HEADERS = {
  'Access-Control-Allow-Methods': 'POST,OPTIONS',
  // Only a server-style application/json POST from a browser is preflighted now; the key is in
  // the query string, so no other header is needed.
  'Access-Control-Allow-Headers': 'Content-Type',
  'Access-Control-Max-Age': '7200',
} as const;

function staticHeaders(...groups: readonly Readonly<Record<string, string>>[]): HeaderMap {
  const out: Record<string, HeaderValue> = {};
  for (const group of groups) {
    for (const [name, value] of Object.entries(group)) out[name] = fixed(value);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Integration responses: chosen by a regular expression over the backend's HTTP status code
// (API Gateway does so for AWS service integrations); statusCode is the default status, which a
// template may override with $context.responseOverride.status.

export interface IntegrationResponseSpec {
  readonly statusCode: number;
  /** Matched against the whole status code; undefined marks the default response. */
  readonly selectionPattern?: string;
  readonly template: TemplateName;
  readonly headers: HeaderMap;
}

const ANSWER_HEADERS = staticHeaders(SECURITY_HEADERS, CORS_HEADERS);

export const EVENTS_INTEGRATION_RESPONSES: readonly IntegrationResponseSpec[] = [
  { statusCode: 200, template: 'events-response-ok', headers: ANSWER_HEADERS },
  {
    statusCode: 503,
    selectionPattern: '[45]\\d{2}',
    template: 'events-response-error',
    headers: ANSWER_HEADERS,
  },
];

export const PREFLIGHT_INTEGRATION_RESPONSES: readonly IntegrationResponseSpec[] = [
  {
    statusCode: 204,
    template: 'preflight-response',
    headers: staticHeaders(SECURITY_HEADERS, CORS_HEADERS, PREFLIGHT_HEADERS),
  },
];

/** Every status POST /events can answer from an integration response (method responses). */
export const EVENTS_METHOD_STATUSES = [200, 207, 403, 413, 503] as const;

/** Headers the response templates may override (must be declared on the method responses). */
export const OVERRIDDEN_HEADERS = ['Access-Control-Allow-Origin', 'Retry-After'] as const;

// ---------------------------------------------------------------------------------------------
// Gateway responses: what API Gateway answers itself, before or instead of the integration.
// Their templates are not VTL: API Gateway only substitutes $context variables in them.

export const GATEWAY_RESPONSE_TYPES = [
  'DEFAULT_4XX',
  'DEFAULT_5XX',
  'MISSING_AUTHENTICATION_TOKEN',
  'UNAUTHORIZED',
  'INVALID_API_KEY',
  'ACCESS_DENIED',
  'AUTHORIZER_FAILURE',
  'AUTHORIZER_CONFIGURATION_ERROR',
  'THROTTLED',
  'QUOTA_EXCEEDED',
  'REQUEST_TOO_LARGE',
  'BAD_REQUEST_BODY',
  'BAD_REQUEST_PARAMETERS',
  'UNSUPPORTED_MEDIA_TYPE',
  'INTEGRATION_FAILURE',
  'INTEGRATION_TIMEOUT',
  'API_CONFIGURATION_ERROR',
] as const;
export type GatewayResponseType = (typeof GATEWAY_RESPONSE_TYPES)[number];

export interface GatewayResponseSpec {
  readonly type: GatewayResponseType;
  readonly statusCode: number;
  readonly code: string;
  readonly message: string;
  /** A JSON value (after $context substitution) for `details`; omitted when undefined. */
  readonly details?: string;
  /** Seconds for Retry-After; a static value (gateway responses cannot compute one). */
  readonly retryAfterSeconds?: number;
}

/** Seconds a client waits after a quota refusal; quotas reset daily, so try again in an hour. */
export const QUOTA_RETRY_AFTER_SECONDS = 3600;

export const GATEWAY_RESPONSES: Readonly<Record<GatewayResponseType, GatewayResponseSpec>> = {
  DEFAULT_4XX: {
    type: 'DEFAULT_4XX',
    statusCode: 400,
    code: 'bad_request',
    message: 'The request was refused',
    details: '$context.error.messageString',
  },
  DEFAULT_5XX: {
    type: 'DEFAULT_5XX',
    statusCode: 500,
    code: 'internal_error',
    message: 'The gateway failed; retry later',
    details: '{"retryable":true}',
  },
  // API Gateway answers an unknown path or method with a 403 of this type; it is a 404.
  MISSING_AUTHENTICATION_TOKEN: {
    type: 'MISSING_AUTHENTICATION_TOKEN',
    statusCode: 404,
    code: 'not_found',
    message: 'No such resource or method',
  },
  // A Lambda authorizer's identity source is missing or empty: API Gateway answers without
  // calling it. Gateway responses belong to the whole REST API, which the query API shares, so
  // one message serves both: no ?key= on POST /events (the old x-api-key header form lands
  // here, hence its mention), or no read token on a read. An explicit response keeps the 401
  // (DEFAULT_4XX would otherwise set 400 on it).
  UNAUTHORIZED: {
    type: 'UNAUTHORIZED',
    statusCode: 401,
    code: 'unauthorized',
    message:
      'Credentials are missing: POST /events takes the ingest key as ?key=<ingest key> (the x-api-key header is not read); reads take Authorization: Bearer <read token> and ?siteId=<site id>',
  },
  // The authorizer's usageIdentifierKey is not an API key of a usage plan (AWS only).
  INVALID_API_KEY: {
    type: 'INVALID_API_KEY',
    statusCode: 403,
    code: 'invalid_api_key',
    message: 'The ingest key is not on a usage plan',
  },
  // An authorizer's Deny, for both APIs of the REST API: an unknown, revoked or malformed
  // ingest key or a disabled site (POST /events), a read token that does not grant the site.
  ACCESS_DENIED: {
    type: 'ACCESS_DENIED',
    statusCode: 403,
    code: 'forbidden',
    message:
      'Access denied: the ingest key (?key=) is unknown or revoked or its site is disabled, or the read token does not grant this site',
  },
  // The authorizer failed (the registry could not be read): nothing was stored, retry.
  AUTHORIZER_FAILURE: {
    type: 'AUTHORIZER_FAILURE',
    statusCode: 503,
    code: 'key_check_unavailable',
    message: 'The ingest key could not be checked; nothing was stored, retry the whole batch',
    details: '{"retryable":true}',
    retryAfterSeconds: 1,
  },
  AUTHORIZER_CONFIGURATION_ERROR: {
    type: 'AUTHORIZER_CONFIGURATION_ERROR',
    statusCode: 503,
    code: 'key_check_unavailable',
    message: 'The ingest key could not be checked; nothing was stored, retry the whole batch',
    details: '{"retryable":true}',
    retryAfterSeconds: 1,
  },
  THROTTLED: {
    type: 'THROTTLED',
    statusCode: 429,
    code: 'throttled',
    message: 'Too many requests; retry after the Retry-After seconds',
    retryAfterSeconds: 1,
  },
  QUOTA_EXCEEDED: {
    type: 'QUOTA_EXCEEDED',
    statusCode: 429,
    code: 'quota_exceeded',
    message: "The site's daily request quota is used up",
    retryAfterSeconds: QUOTA_RETRY_AFTER_SECONDS,
  },
  REQUEST_TOO_LARGE: {
    type: 'REQUEST_TOO_LARGE',
    statusCode: 413,
    code: 'payload_too_large',
    message: 'The body exceeds 1048576 bytes; send fewer events per request',
  },
  BAD_REQUEST_BODY: {
    type: 'BAD_REQUEST_BODY',
    statusCode: 400,
    code: 'invalid_request',
    message: 'The body does not match the IngestRequest model',
    details: '"$context.error.validationErrorString"',
  },
  BAD_REQUEST_PARAMETERS: {
    type: 'BAD_REQUEST_PARAMETERS',
    statusCode: 400,
    code: 'invalid_request',
    message: 'A required header is missing',
    details: '$context.error.messageString',
  },
  UNSUPPORTED_MEDIA_TYPE: {
    type: 'UNSUPPORTED_MEDIA_TYPE',
    statusCode: 415,
    code: 'unsupported_media_type',
    message: 'Send the body as Content-Type: text/plain (browsers) or application/json',
  },
  INTEGRATION_FAILURE: {
    type: 'INTEGRATION_FAILURE',
    statusCode: 503,
    code: 'stream_unavailable',
    message: 'The event stream could not be reached; nothing was stored, retry the whole batch',
    details: '{"retryable":true}',
    retryAfterSeconds: 1,
  },
  INTEGRATION_TIMEOUT: {
    type: 'INTEGRATION_TIMEOUT',
    statusCode: 504,
    code: 'stream_timeout',
    message: 'The event stream did not answer in time; retry the whole batch',
    details: '{"retryable":true}',
    retryAfterSeconds: 1,
  },
  API_CONFIGURATION_ERROR: {
    type: 'API_CONFIGURATION_ERROR',
    statusCode: 500,
    code: 'internal_error',
    message: 'The API is misconfigured; retry later',
    details: '{"retryable":true}',
  },
};

/** The body template of a gateway response (API Gateway substitutes the $context variables). */
export function gatewayResponseTemplate(spec: GatewayResponseSpec): string {
  const details = spec.details === undefined ? '' : `,"details":${spec.details}`;
  return `{"error":{"code":"${spec.code}","message":"${spec.message}"${details}}}`;
}

/** Headers of a gateway response: security, CORS (echoing the Origin), Retry-After. */
export function gatewayResponseHeaders(spec: GatewayResponseSpec): HeaderMap {
  return {
    ...staticHeaders(SECURITY_HEADERS, CORS_HEADERS),
    'Access-Control-Allow-Origin': { kind: 'request-header', name: 'Origin' },
    ...(spec.retryAfterSeconds === undefined
      ? {}
      : { 'Retry-After': fixed(String(spec.retryAfterSeconds)) }),
  };
}

// ---------------------------------------------------------------------------------------------
// Throttling (token buckets: rateLimit tokens/s, at most burstLimit tokens) and quotas.

export interface ThrottleSpec {
  /** Steady-state requests per second. */
  readonly rateLimit: number;
  /** Bucket size: requests that may arrive at once. */
  readonly burstLimit: number;
}

export interface UsagePlanTier {
  readonly description: string;
  /** Per API key (API Gateway: a usage plan's throttle applies to each key separately). */
  readonly throttle: ThrottleSpec;
  /** Requests per API key per UTC day. */
  readonly quotaPerDay: number;
}

export const USAGE_PLAN_TIERS = {
  starter: {
    description: 'Small sites: 100 rps, 1 M requests a day',
    throttle: { rateLimit: 100, burstLimit: 200 },
    quotaPerDay: 1_000_000,
  },
  standard: {
    description: 'Default: 1,000 rps, 20 M requests a day',
    throttle: { rateLimit: 1000, burstLimit: 2000 },
    quotaPerDay: 20_000_000,
  },
  scale: {
    description: 'Large sites: 5,000 rps, 200 M requests a day',
    throttle: { rateLimit: 5000, burstLimit: 10_000 },
    quotaPerDay: 200_000_000,
  },
} as const satisfies Record<TierName, UsagePlanTier>;

// Tier names are part of the registry's item shapes: one definition in schemas/registry.ts.
export { DEFAULT_TIER, TIER_NAMES, isTierName, type TierName } from '../../schemas/registry';

/**
 * Stage-wide ceiling of POST /events (and the stage's default for every method), shared by all
 * keys: a safety net only. Each key's limits are its usage plan's (per key and per method, see
 * USAGE_PLAN_TIERS), so one busy site never starves another. API Gateway applies limits in this
 * order: per-key per-method, per-key (usage plan), per-method (stage), account. The ceiling sits
 * above the largest tier and below the account's 10,000 rps / 5,000 burst, which leaves the read
 * routes room.
 */
export const EVENTS_METHOD_THROTTLE: ThrottleSpec = { rateLimit: 9000, burstLimit: 5000 };

// ---------------------------------------------------------------------------------------------
// Access log: one JSON object per request. No source IP and no user agent: an IP is personal
// data (DESIGN.md section 5) and the stream already carries what enrichment needs.

export const ACCESS_LOG_FIELDS = {
  requestId: 'requestId',
  extendedRequestId: 'extendedRequestId',
  requestTimeEpoch: 'requestTimeEpoch',
  httpMethod: 'httpMethod',
  resourcePath: 'resourcePath',
  status: 'status',
  responseLength: 'responseLength',
  responseLatency: 'responseLatency',
  integrationStatus: 'integration.status',
  integrationLatency: 'integration.latency',
  apiKeyId: 'identity.apiKeyId',
  errorType: 'error.responseType',
  errorMessage: 'error.messageString',
  xrayTraceId: 'xrayTraceId',
} as const;

export type AccessLogField = keyof typeof ACCESS_LOG_FIELDS;

/** The access-log format for API Gateway; `messageString` comes quoted, the rest get quotes. */
export function accessLogFormat(): string {
  const entries = Object.entries(ACCESS_LOG_FIELDS).map(([field, variable]) =>
    variable.endsWith('messageString')
      ? `"${field}":$context.${variable}`
      : `"${field}":"$context.${variable}"`,
  );
  return `{${entries.join(',')}}`;
}
