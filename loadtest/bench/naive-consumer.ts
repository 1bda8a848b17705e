/**
 * The naive consumer the benchmark compares against (DESIGN.md section 6): per event, one
 * PutItem of the raw event and two UpdateItems that bump counters with ADD — one on Sessions,
 * one on ActiveSessions. It uses the same pure pipeline (decode, enrich, in-batch dedupe) and
 * the same item keys, so only the write pattern differs. It is not exactly-once: ADD on a
 * redelivered or re-put event counts it again, which the benchmark reports.
 */
import { PutItemCommand, UpdateItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { KinesisStreamRecord } from 'aws-lambda';
import pLimit from 'p-limit';
import { toItem } from '../../handlers/adapters/item-codec';
import { activeSessionShard, sessionKey, toEventItem } from '../../pipeline/items';
import type { BatchProcessor } from '../../pipeline/process-batch';
import type { EnrichedEvent } from '../../schemas';
import { WINDOWS } from '../../schemas/limits';

export interface NaiveTables {
  readonly events: string;
  readonly sessions: string;
  readonly activeSessions: string;
  readonly activeSessionShards: number;
}

const ACTIVE_SECONDS = WINDOWS.activeSessionMs / 1000;

function counters(event: EnrichedEvent) {
  return {
    ':one': { N: '1' },
    ':pv': { N: event.type === 'pageview' ? '1' : '0' },
    ':eng': { N: String(event.engagedMs ?? 0) },
    ':t': { N: String(event.receivedAt) },
    ':page': { S: event.path },
    ':visitor': { S: event.visitorId },
    ':source': { S: event.source.source },
    ':device': { S: event.device.type },
    ':country': { S: event.country },
  };
}

const SET_FIELDS =
  'startedAt = if_not_exists(startedAt, :t), lastSeen = :t, currentPage = :page, ' +
  'visitorId = if_not_exists(visitorId, :visitor), #source = if_not_exists(#source, :source), ' +
  'deviceType = if_not_exists(deviceType, :device), country = if_not_exists(country, :country)';

export async function naiveConsume(
  records: readonly KinesisStreamRecord[],
  process: BatchProcessor,
  dynamodb: DynamoDBClient,
  tables: NaiveTables,
  concurrency: number,
): Promise<void> {
  const batch = process(records);
  const limit = pLimit(concurrency);
  const events = batch.sessionDeltas.flatMap((delta) => delta.events);
  await Promise.all(
    events.map((event) =>
      limit(async () => {
        const item = toEventItem(event);
        await dynamodb.send(new PutItemCommand({ TableName: tables.events, Item: toItem(item) }));
        await dynamodb.send(
          new UpdateItemCommand({
            TableName: tables.sessions,
            Key: { pk: { S: sessionKey(event.siteId, event.sessionId) } },
            UpdateExpression: `SET ${SET_FIELDS} ADD events :one, pageviews :pv, engagedMs :eng`,
            ExpressionAttributeNames: { '#source': 'source' },
            ExpressionAttributeValues: counters(event),
          }),
        );
        const shard = activeSessionShard(event.sessionId, tables.activeSessionShards);
        await dynamodb.send(
          new UpdateItemCommand({
            TableName: tables.activeSessions,
            Key: { pk: { S: `${event.siteId}#${shard}` }, sk: { S: event.sessionId } },
            UpdateExpression: `SET ${SET_FIELDS}, expiresAt = :expires ADD events :one, pageviews :pv, engagedMs :eng`,
            ExpressionAttributeNames: { '#source': 'source' },
            ExpressionAttributeValues: {
              ...counters(event),
              ':expires': { N: String(Math.floor(event.receivedAt / 1000) + ACTIVE_SECONDS) },
            },
          }),
        );
      }),
    ),
  );
}
