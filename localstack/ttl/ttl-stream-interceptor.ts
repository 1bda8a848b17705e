/**
 * Router interceptor that makes DynamoDB Streams read through the one endpoint look like AWS
 * for TTL deletions: a REMOVE record of an item the TTL sweeper deleted gets
 * `userIdentity {"PrincipalId": "dynamodb.amazonaws.com", "Type": "Service"}` (the API's
 * casing; Lambda events spell it `principalId`/`type`). Any stream reader — our
 * event-source-mapping runner, a test, the AWS CLI — sees it without extra calls.
 *
 * GetRecords names no table, so the interceptor follows iterators: GetShardIterator's request
 * names the stream ARN, and each GetRecords response hands the ARN on to its NextShardIterator
 * (DynamoDB Local's iterators also start with the ARN, the fallback).
 *
 * Records that DynamoDB Local's own TTL job wrote (eventName "UNKNOWN_TO_SDK_VERSION"; see
 * ttl-shadow.ts for why that job normally finds nothing) become the REMOVE records AWS writes.
 */
import type { JsonInterceptor } from '../router/router';
import type { TtlDeletionLog, WireItem } from './ttl-deletion-log';
import { asJsonObject, parseJsonObject } from './json-object-body';

const STREAMS_PREFIX = 'DynamoDBStreams_20120810.';
const MAX_TRACKED_ITERATORS = 50_000;

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
export function tableNameFromStreamArn(arn: string): string | undefined {
  return /:table\/([^/]+)\/stream\//.exec(arn)?.[1];
}

/** What DynamoDB Local 3.x puts as eventName on the records of its own TTL deletes. */
const DYNAMODB_LOCAL_TTL_EVENT_NAME = 'UNKNOWN_TO_SDK_VERSION';

const TTL_IDENTITY_WIRE = { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' } as const;

function streamArnOfIterator(iterator: string): string | undefined {
  return /^(arn:aws:dynamodb:[^|]+\/stream\/[^|]+)\|/.exec(iterator)?.[1];
}

export function ttlStreamInterceptor(log: TtlDeletionLog): JsonInterceptor {
  // Insertion-ordered map as a small LRU: iterators are short-lived (15 min on AWS).
  const iteratorStreams = new Map<string, string>();
  const remember = (iterator: unknown, streamArn: string): void => {
    if (typeof iterator !== 'string') return;
    iteratorStreams.set(iterator, streamArn);
    if (iteratorStreams.size > MAX_TRACKED_ITERATORS) {
      const oldest = iteratorStreams.keys().next().value;
      if (oldest !== undefined) iteratorStreams.delete(oldest);
    }
  };

  return {
    matches: (target) =>
      target === `${STREAMS_PREFIX}GetShardIterator` || target === `${STREAMS_PREFIX}GetRecords`,
    transform(target, requestBody, responseBody) {
      const request = parseJsonObject(requestBody);
      const response = parseJsonObject(responseBody);
      if (request === undefined || response === undefined) return responseBody;

      if (target === `${STREAMS_PREFIX}GetShardIterator`) {
        if (typeof request.StreamArn === 'string') {
          remember(response.ShardIterator, request.StreamArn);
        }
        return responseBody;
      }

      const iterator = request.ShardIterator;
      const streamArn =
        typeof iterator === 'string'
          ? (iteratorStreams.get(iterator) ?? streamArnOfIterator(iterator))
          : undefined;
      if (streamArn !== undefined) remember(response.NextShardIterator, streamArn);
      const tableName = streamArn === undefined ? undefined : tableNameFromStreamArn(streamArn);
      if (!Array.isArray(response.Records)) return responseBody;

      let changed = false;
      for (const candidate of response.Records) {
        const record = asJsonObject(candidate);
        const change = asJsonObject(record?.dynamodb);
        if (record === undefined || change === undefined) continue;
        if (record.eventName === DYNAMODB_LOCAL_TTL_EVENT_NAME) {
          record.eventName = 'REMOVE';
          record.userIdentity = { ...TTL_IDENTITY_WIRE };
          changed = true;
          continue;
        }
        if (record.eventName !== 'REMOVE' || tableName === undefined) continue;
        const keys = asJsonObject(change.Keys);
        if (keys === undefined) continue;
        const created = change.ApproximateCreationDateTime;
        const isTtl = log.isTtlDeletion({
          tableName,
          keys: keys as WireItem,
          oldImage: asJsonObject(change.OldImage),
          approximateCreationDateTime: typeof created === 'number' ? created : undefined,
        });
        if (isTtl) {
          record.userIdentity = { ...TTL_IDENTITY_WIRE };
          changed = true;
        }
      }
      return changed ? Buffer.from(JSON.stringify(response), 'utf8') : responseBody;
    },
  };
}
