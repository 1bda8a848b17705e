/**
 * DynamoDB Local 3.x runs a TTL job of its own: about once a second it deletes every expired
 * item — with no lag, unlike AWS's deletes that lag up to about two days — and puts stream
 * records with eventName "UNKNOWN_TO_SDK_VERSION" and no userIdentity, which no Lambda event
 * schema accepts. So the one endpoint keeps TTL away from it: UpdateTimeToLive reaches
 * DynamoDB Local for a shadow attribute (`__liveinsight_ttl__expiresAt`) that no item has, and
 * the answers are translated back. Clients see exactly the TTL they configured (errors and
 * persistence stay DynamoDB Local's own); our sweeper (ttl-sweeper.ts) does the deleting, with
 * a configurable lag and AWS's REMOVE records.
 */
import type { JsonInterceptor } from '../router/router';
import { parseJsonObject, type JsonObject } from './json-object-body';

export const SHADOW_PREFIX = '__liveinsight_ttl__';

const UPDATE = 'DynamoDB_20120810.UpdateTimeToLive';
const DESCRIBE = 'DynamoDB_20120810.DescribeTimeToLive';

/** The attribute clients configured, from what DynamoDB Local stores. */
export function clientTtlAttribute(stored: string): string {
  return stored.startsWith(SHADOW_PREFIX) ? stored.slice(SHADOW_PREFIX.length) : stored;
}

function mapAttributeName(holder: unknown, map: (name: string) => string): boolean {
  if (typeof holder !== 'object' || holder === null) return false;
  const record = holder as JsonObject;
  if (typeof record.AttributeName !== 'string') return false;
  record.AttributeName = map(record.AttributeName);
  return true;
}

export function ttlShadowInterceptor(): JsonInterceptor {
  return {
    matches: (target) => target === UPDATE || target === DESCRIBE,
    transformRequest(target, body) {
      if (target !== UPDATE) return body;
      const request = parseJsonObject(body);
      // Unparseable: let DynamoDB Local answer with its own validation error.
      if (request === undefined) return body;
      const mapped = mapAttributeName(request.TimeToLiveSpecification, (name) =>
        name.startsWith(SHADOW_PREFIX) ? name : `${SHADOW_PREFIX}${name}`,
      );
      return mapped ? Buffer.from(JSON.stringify(request), 'utf8') : body;
    },
    transform(target, _requestBody, responseBody) {
      const response = parseJsonObject(responseBody);
      if (response === undefined) return responseBody;
      const holder =
        target === UPDATE ? response.TimeToLiveSpecification : response.TimeToLiveDescription;
      return mapAttributeName(holder, clientTtlAttribute)
        ? Buffer.from(JSON.stringify(response), 'utf8')
        : responseBody;
    },
  };
}
