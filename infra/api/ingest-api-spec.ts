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

export const EVENTS_PATH = '/events';

/** Media type of the request model, the request templates and every answer. */
export const JSON_MEDIA_TYPE = 'application/json';

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

/** Stage variable names allow only letters, digits and underscores. */
export function originsStageVariable(siteId: string): string {
  return `origins_${siteId.replace(/-/g, '_')}`;
}

/** In a site's allow-list, this entry admits every origin (stage variable values can't hold `*`). */
export const ANY_ORIGIN = 'any';

/** API Gateway's rules for stage variable values: these characters, at most 512 of them. */
const STAGE_VALUE_PATTERN = /^[A-Za-z0-9\-._~:/?#&=,]{1,512}$/;
const ORIGIN_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(?::\d{1,5})?$/;

export class IngestApiSpecError extends Error {
  override readonly name = 'IngestApiSpecError';
}

/** The stage variable value for a site's allow-list; throws on what API Gateway would refuse. */
export function originsStageValue(siteId: string, origins: readonly string[]): string {
  for (const origin of origins) {
    if (origin !== ANY_ORIGIN && !ORIGIN_PATTERN.test(origin)) {
      throw new IngestApiSpecError(
        `Allowed origin ${JSON.stringify(origin)} of site ${siteId} is invalid (expected ` +
          `scheme://host[:port] without a path, e.g. "https://shop.example.com", or "${ANY_ORIGIN}")`,
      );
    }
  }
  const value = origins.join(',');
  if (!STAGE_VALUE_PATTERN.test(value)) {
    throw new IngestApiSpecError(
      `Allowed origins of site ${siteId} make a stage variable of ${value.length} characters ` +
        '(expected 1–512 characters; list fewer origins)',
    );
  }
  return value;
}

// ---------------------------------------------------------------------------------------------
// Ingest keys: li_<siteId>_<secret>. The site a key belongs to is part of its value, which
// API Gateway exposes to the request template as $context.identity.apiKey (events-request.vtl).

export const INGEST_KEY_PREFIX = 'li_';
/** 32 characters of [A-Za-z0-9]: about 190 bits, and no `_` to confuse the site boundary. */
export const INGEST_KEY_SECRET_PATTERN = /^[A-Za-z0-9]{32}$/;

export function formatIngestKey(siteId: string, secret: string): string {
  if (!INGEST_KEY_SECRET_PATTERN.test(secret)) {
    throw new IngestApiSpecError(
      `Ingest key secret of ${secret.length} characters is invalid (expected 32 letters or digits)`,
    );
  }
  return `${INGEST_KEY_PREFIX}${siteId}_${secret}`;
}

/** The site a key names, read the way events-request.vtl reads it; undefined if malformed. */
export function siteOfIngestKey(key: string): string | undefined {
  const end = key.lastIndexOf('_');
  if (!key.startsWith(INGEST_KEY_PREFIX) || end <= INGEST_KEY_PREFIX.length) return undefined;
  return key.substring(INGEST_KEY_PREFIX.length, end);
}

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
  'Access-Control-Allow-Headers': 'Content-Type,X-Api-Key',
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
  'INVALID_API_KEY',
  'ACCESS_DENIED',
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
  INVALID_API_KEY: {
    type: 'INVALID_API_KEY',
    statusCode: 403,
    code: 'invalid_api_key',
    message: 'The x-api-key header is missing, unknown or revoked',
  },
  ACCESS_DENIED: {
    type: 'ACCESS_DENIED',
    statusCode: 403,
    code: 'forbidden',
    message: 'Access denied',
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
    message: 'Send the body as Content-Type: application/json',
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
} as const satisfies Record<string, UsagePlanTier>;

export type TierName = keyof typeof USAGE_PLAN_TIERS;
export const TIER_NAMES = Object.keys(USAGE_PLAN_TIERS) as readonly TierName[];
export const DEFAULT_TIER: TierName = 'standard';

export function isTierName(value: string): value is TierName {
  return (TIER_NAMES as readonly string[]).includes(value);
}

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
