/**
 * The table of API-Gateway-side cases of POST /events: the answers API Gateway gives without
 * running Kinesis (keys, limits, validation, template verdicts). Both sides test against it:
 * the local edge by sending each request (localstack/edge/ingest-refuses.int.test.ts), the CDK
 * template by asserting what in the deployed API produces the answer
 * (infra/constructs/ingest-api.test.ts).
 */
import type { GatewayResponseType } from '../ingest-api-spec';

/**
 * Which of the harness's keys to send as `?key=` (`none`: no key; `header`: the shop's key in the
 * old `x-api-key` header only).
 */
export type CaseKey =
  'shop' | 'other-site' | 'revoked' | 'unknown' | 'malformed' | 'none' | 'header';

export type CaseBody =
  | { readonly kind: 'events'; readonly count: number; readonly siteId?: string }
  | {
      readonly kind: 'padded-to-bytes';
      readonly bytes: number;
      /** The padding character (default `r`, ASCII); `€` is 3 bytes of UTF-8 for 1 UTF-16 unit. */
      readonly unit?: string;
    }
  | { readonly kind: 'raw'; readonly text: string };

/** What in the deployed API gives the answer. */
export type DeployedBy =
  | { readonly kind: 'gateway-response'; readonly type: GatewayResponseType }
  | {
      readonly kind: 'template-verdict';
      readonly verdict: 'site-mismatch' | 'origin-not-allowed' | 'payload-too-large';
    };

/** Limits a case needs (the deployed limits are too large to reach in a test). */
export type CaseLimits = 'tiny-throttle' | 'tiny-quota';

export interface IngestCase {
  readonly name: string;
  readonly key: CaseKey;
  readonly body: CaseBody;
  readonly headers?: Readonly<Record<string, string>>;
  /** Omit Content-Type. */
  readonly noContentType?: boolean;
  readonly path?: string;
  readonly limits?: CaseLimits;
  /** Requests sent before the one whose answer is checked (to use up a limit). */
  readonly warmUp?: number;
  readonly expect: { readonly status: number; readonly code: string; readonly retryAfter?: string };
  readonly deployedBy: DeployedBy;
}

const one: CaseBody = { kind: 'events', count: 1 };

export const INGEST_CASES: readonly IngestCase[] = [
  {
    name: 'no ?key=',
    key: 'none',
    body: one,
    expect: { status: 401, code: 'unauthorized' },
    deployedBy: { kind: 'gateway-response', type: 'UNAUTHORIZED' },
  },
  {
    // The previous form: refused with a message naming ?key= (README: migration).
    name: 'the key in the old x-api-key header',
    key: 'header',
    body: one,
    expect: { status: 401, code: 'unauthorized' },
    deployedBy: { kind: 'gateway-response', type: 'UNAUTHORIZED' },
  },
  {
    name: 'an unknown key',
    key: 'unknown',
    body: one,
    expect: { status: 403, code: 'forbidden' },
    deployedBy: { kind: 'gateway-response', type: 'ACCESS_DENIED' },
  },
  {
    name: 'a malformed key',
    key: 'malformed',
    body: one,
    expect: { status: 403, code: 'forbidden' },
    deployedBy: { kind: 'gateway-response', type: 'ACCESS_DENIED' },
  },
  {
    name: 'a revoked key',
    key: 'revoked',
    body: one,
    expect: { status: 403, code: 'forbidden' },
    deployedBy: { kind: 'gateway-response', type: 'ACCESS_DENIED' },
  },
  {
    name: "another site's key",
    key: 'other-site',
    body: one,
    expect: { status: 403, code: 'site_mismatch' },
    deployedBy: { kind: 'template-verdict', verdict: 'site-mismatch' },
  },
  {
    name: 'an Origin off the site allow-list',
    key: 'shop',
    body: one,
    headers: { origin: 'https://evil.example' },
    expect: { status: 403, code: 'origin_not_allowed' },
    deployedBy: { kind: 'template-verdict', verdict: 'origin-not-allowed' },
  },
  {
    name: 'no Content-Type',
    key: 'shop',
    body: one,
    noContentType: true,
    expect: { status: 400, code: 'invalid_request' },
    deployedBy: { kind: 'gateway-response', type: 'BAD_REQUEST_PARAMETERS' },
  },
  {
    // Another CORS-safelisted type: no model and no template for it.
    name: 'an application/x-www-form-urlencoded body',
    key: 'shop',
    body: one,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    expect: { status: 415, code: 'unsupported_media_type' },
    deployedBy: { kind: 'gateway-response', type: 'UNSUPPORTED_MEDIA_TYPE' },
  },
  {
    name: 'a text/plain body of 501 events',
    key: 'shop',
    body: { kind: 'events', count: 501 },
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    expect: { status: 400, code: 'invalid_request' },
    deployedBy: { kind: 'gateway-response', type: 'BAD_REQUEST_BODY' },
  },
  {
    name: "a text/plain body with another site's key",
    key: 'other-site',
    body: one,
    headers: { 'content-type': 'text/plain;charset=UTF-8' },
    expect: { status: 403, code: 'site_mismatch' },
    deployedBy: { kind: 'template-verdict', verdict: 'site-mismatch' },
  },
  {
    name: 'a body that is not JSON',
    key: 'shop',
    body: { kind: 'raw', text: '{"siteId":' },
    expect: { status: 400, code: 'invalid_request' },
    deployedBy: { kind: 'gateway-response', type: 'BAD_REQUEST_BODY' },
  },
  {
    name: '501 events',
    key: 'shop',
    body: { kind: 'events', count: 501 },
    expect: { status: 400, code: 'invalid_request' },
    deployedBy: { kind: 'gateway-response', type: 'BAD_REQUEST_BODY' },
  },
  {
    name: '1 MB + 1 byte',
    key: 'shop',
    body: { kind: 'padded-to-bytes', bytes: 1_048_577 },
    expect: { status: 413, code: 'payload_too_large' },
    deployedBy: { kind: 'template-verdict', verdict: 'payload-too-large' },
  },
  {
    // About 350,000 characters: under the limit if characters were counted instead of bytes.
    name: '1 MB + 1 byte of 3-byte characters',
    key: 'shop',
    body: { kind: 'padded-to-bytes', bytes: 1_048_577, unit: '€' },
    expect: { status: 413, code: 'payload_too_large' },
    deployedBy: { kind: 'template-verdict', verdict: 'payload-too-large' },
  },
  {
    name: 'more than API Gateway’s 10 MB',
    key: 'shop',
    body: { kind: 'padded-to-bytes', bytes: 10 * 1024 * 1024 + 1 },
    expect: { status: 413, code: 'payload_too_large' },
    deployedBy: { kind: 'gateway-response', type: 'REQUEST_TOO_LARGE' },
  },
  {
    name: 'an unknown path',
    key: 'shop',
    body: one,
    path: '/event',
    expect: { status: 404, code: 'not_found' },
    deployedBy: { kind: 'gateway-response', type: 'MISSING_AUTHENTICATION_TOKEN' },
  },
  {
    name: 'over the key’s throttle',
    key: 'shop',
    body: one,
    limits: 'tiny-throttle',
    warmUp: 2,
    expect: { status: 429, code: 'throttled', retryAfter: '1' },
    deployedBy: { kind: 'gateway-response', type: 'THROTTLED' },
  },
  {
    name: 'over the daily quota',
    key: 'shop',
    body: one,
    limits: 'tiny-quota',
    warmUp: 2,
    expect: { status: 429, code: 'quota_exceeded', retryAfter: '3600' },
    deployedBy: { kind: 'gateway-response', type: 'QUOTA_EXCEEDED' },
  },
];
