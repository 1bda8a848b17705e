/**
 * `$context` of API Gateway mapping templates, with the two writable parts:
 * `$context.requestOverride.{header,path,querystring}.<name>` (request templates) and
 * `$context.responseOverride.{status,header.<name>}` (response templates). AWS: "Overrides are
 * final. An override may only be applied to each parameter once"; a second assignment fails the
 * request with a 5XX, and so it throws here.
 */
import { TemplateRenderError } from './errors';

export interface ContextIdentity {
  readonly sourceIp: string;
  readonly userAgent: string;
  /** The API key of a key-required method; null otherwise (API Gateway's documented value). */
  readonly apiKey: string | null;
  readonly apiKeyId: string | null;
}

export interface RequestContextFields {
  readonly requestId: string;
  readonly extendedRequestId: string;
  readonly requestTimeEpoch: number;
  readonly httpMethod: string;
  readonly resourcePath: string;
  /** Stage-prefixed path, e.g. `/prod/events`. */
  readonly path: string;
  readonly stage: string;
  readonly protocol: string;
  readonly domainName: string;
  readonly apiId: string;
  readonly accountId: string;
  readonly identity: ContextIdentity;
  /**
   * `$context.authorizer.<key>`: the context a Lambda authorizer returned (strings only, as API
   * Gateway passes them); absent on methods without an authorizer.
   */
  readonly authorizer?: Readonly<Record<string, string>>;
}

export interface ResponseOverride {
  /** Status a response template set; undefined when none (or not an integer 100–599: ignored). */
  readonly status: number | undefined;
  readonly headers: Readonly<Record<string, string>>;
}

export interface RequestOverride {
  readonly header: Readonly<Record<string, string>>;
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
}

export interface VtlContext {
  /** The object templates see as `$context`. */
  readonly variables: Readonly<Record<string, unknown>>;
  requestOverride(): RequestOverride;
  responseOverride(): ResponseOverride;
}

function overrideValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return typeof value === 'string' ? value : String(value);
}

/** A map whose entries can each be written once. */
function finalMap(label: string): Record<string, string> {
  const target: Record<string, string> = {};
  return new Proxy(target, {
    set(map, key, value) {
      const name = String(key);
      if (Object.prototype.hasOwnProperty.call(map, name)) {
        throw new TemplateRenderError(
          `$context.${label}.${name} was already set (overrides are final; set a variable and apply the override once)`,
        );
      }
      map[name] = overrideValue(value);
      return true;
    },
  });
}

/** Common Log Format time, as `$context.requestTime`: 21/Nov/2026:23:54:01 +0000. */
export function clfTime(epochMs: number): string {
  const months = [
    'Jan',
    'Feb',
    'Mar',
    'Apr',
    'May',
    'Jun',
    'Jul',
    'Aug',
    'Sep',
    'Oct',
    'Nov',
    'Dec',
  ];
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return (
    `${two(d.getUTCDate())}/${months[d.getUTCMonth()] ?? ''}/${d.getUTCFullYear()}:` +
    `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`
  );
}

export function createVtlContext(fields: RequestContextFields): VtlContext {
  const requestOverride = {
    header: finalMap('requestOverride.header'),
    path: finalMap('requestOverride.path'),
    querystring: finalMap('requestOverride.querystring'),
  };
  const responseHeaders = finalMap('responseOverride.header');
  let status: unknown;
  const responseOverride: Record<string, unknown> = { header: responseHeaders };
  Object.defineProperty(responseOverride, 'status', {
    enumerable: true,
    get: () => status,
    set: (value: unknown) => {
      if (status !== undefined) {
        throw new TemplateRenderError(
          '$context.responseOverride.status was already set (overrides are final)',
        );
      }
      status = value;
    },
  });
  const variables: Record<string, unknown> = {
    ...fields,
    identity: { ...fields.identity },
    authorizer: { ...fields.authorizer },
    requestTime: clfTime(fields.requestTimeEpoch),
    requestOverride,
    responseOverride,
  };
  return {
    variables,
    requestOverride: () => ({
      header: { ...requestOverride.header },
      path: { ...requestOverride.path },
      querystring: { ...requestOverride.querystring },
    }),
    responseOverride: () => ({
      // AWS ignores a status override that is not an integer from 100 to 599.
      status:
        typeof status === 'number' && Number.isInteger(status) && status >= 100 && status <= 599
          ? status
          : undefined,
      headers: { ...responseHeaders },
    }),
  };
}
