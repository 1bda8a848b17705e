/**
 * Decides which emulator serves an AWS API request, the way LocalStack's edge does: by
 * `X-Amz-Target` (JSON protocols), by the Smithy RPC v2 path, by the SigV4 credential scope
 * (header or presigned query), by host name, and S3 for everything else (S3's REST API has no
 * target header, and unsigned browser GETs of dashboard assets are S3 too). Pure: no I/O.
 */
import type { EmulatedService } from '../supervisor/emulator-definition';

export interface RouteInput {
  readonly method: string;
  /** Path with query, as in `IncomingMessage.url`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
}

export type RouteDecision =
  | {
      readonly kind: 'service';
      readonly service: EmulatedService;
      /** `X-Amz-Target` value when present, e.g. `DynamoDBStreams_20120810.GetRecords`. */
      readonly target: string | undefined;
      readonly via: 'target' | 'rpc-v2-path' | 'credential-scope' | 'host' | 'default';
    }
  | { readonly kind: 'internal'; readonly path: string }
  | { readonly kind: 'unsupported'; readonly service: string; readonly via: string };

/** Paths the router answers itself (health, TTL sweeper control). */
export const INTERNAL_PATH_PREFIXES = ['/_localstack/', '/_liveinsight/'] as const;

const TARGET_PREFIXES: Readonly<Record<string, EmulatedService>> = {
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodb',
  Kinesis_20131202: 'kinesis',
};

/** SigV4 signing names → emulated service (DynamoDB Streams signs as `dynamodb`). */
const SIGNING_NAMES: Readonly<Record<string, EmulatedService>> = {
  dynamodb: 'dynamodb',
  kinesis: 'kinesis',
  s3: 's3',
};

/** Smithy RPC v2 CBOR service names (`/service/<Name>/operation/<Op>`). */
const RPC_V2_SERVICES: Readonly<Record<string, EmulatedService>> = {
  Kinesis_20131202: 'kinesis',
  DynamoDB_20120810: 'dynamodb',
  DynamoDBStreams_20120810: 'dynamodb',
};

function header(input: RouteInput, name: string): string | undefined {
  const value = input.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function credentialService(credential: string): string | undefined {
  // Credential=AKID/20240101/us-east-1/kinesis/aws4_request
  const parts = credential.split('/');
  return parts.length >= 5 ? parts[parts.length - 2] : undefined;
}

function byCredentialScope(input: RouteInput, query: URLSearchParams): string | undefined {
  const authorization = header(input, 'authorization');
  const match = authorization === undefined ? null : /Credential=([^,\s]+)/.exec(authorization);
  if (match?.[1] !== undefined) return credentialService(match[1]);
  const presigned = query.get('X-Amz-Credential');
  return presigned === null ? undefined : credentialService(presigned);
}

function byHost(host: string | undefined): EmulatedService | undefined {
  if (host === undefined) return undefined;
  const name = host.split(':')[0]?.toLowerCase() ?? '';
  if (/^(?:streams\.)?dynamodb\./.test(name)) return 'dynamodb';
  if (/^kinesis\./.test(name)) return 'kinesis';
  if (/(?:^|\.)s3[.-]/.test(name)) return 's3';
  return undefined;
}

export function routeRequest(input: RouteInput): RouteDecision {
  const url = new URL(input.url, 'http://router.invalid');
  if (INTERNAL_PATH_PREFIXES.some((prefix) => url.pathname.startsWith(prefix))) {
    return { kind: 'internal', path: url.pathname };
  }

  const target = header(input, 'x-amz-target');
  if (target !== undefined) {
    const prefix = target.split('.')[0] ?? '';
    const service = TARGET_PREFIXES[prefix];
    return service === undefined
      ? { kind: 'unsupported', service: prefix, via: 'X-Amz-Target' }
      : { kind: 'service', service, target, via: 'target' };
  }

  const rpc = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(url.pathname);
  if (rpc?.[1] !== undefined && header(input, 'smithy-protocol') !== undefined) {
    const service = RPC_V2_SERVICES[rpc[1]];
    return service === undefined
      ? { kind: 'unsupported', service: rpc[1], via: 'Smithy RPC v2 path' }
      : { kind: 'service', service, target: `${rpc[1]}.${rpc[2]}`, via: 'rpc-v2-path' };
  }

  const signingName = byCredentialScope(input, url.searchParams);
  if (signingName !== undefined) {
    const service = SIGNING_NAMES[signingName];
    return service === undefined
      ? { kind: 'unsupported', service: signingName, via: 'SigV4 credential scope' }
      : { kind: 'service', service, target: undefined, via: 'credential-scope' };
  }

  const hostService = byHost(header(input, 'host'));
  if (hostService !== undefined) {
    return { kind: 'service', service: hostService, target: undefined, via: 'host' };
  }
  return { kind: 'service', service: 's3', target: undefined, via: 'default' };
}
