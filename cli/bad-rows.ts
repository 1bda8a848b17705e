/**
 * Bad rows for the operator: list and show them by arrival day (and reason), and replay the ones
 * our own bug made bad through the current validation.
 *
 * Reading: the BadRows key is `${day}#${bucket}` / `${kind}#${shard}#${sequenceNumber}`
 * (pipeline/items.ts), so a day is BAD_ROW_BUCKETS paged Queries — never a Scan; the reason is a
 * filter on those Queries.
 *
 * Replay: each row's original record (payload byte for byte, stream position and arrival, so the
 * same keys) goes through the consumer's own batch function (cli/consumer-runner.ts):
 * - it now passes: the event is stored under its deterministic key and applied to its session
 *   once (the consumer's guards), then the row is copied to `replayed-bad-rows/<pk>/<sk>.json` in
 *   the failures bucket and deleted from BadRows — so `accepted = stored + bad` stays true
 *   (the record is counted as stored, no longer as bad). A crash between the two leaves both; the
 *   next replay applies nothing twice and deletes the row.
 * - it still fails: the consumer writes its bad row again under the same key, with the current
 *   reason and message; nothing else changes.
 */
import {
  DeleteItemCommand,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  type QueryCommandOutput,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { fromItem } from '../handlers/adapters/item-codec';
import { BAD_ROW_BUCKETS } from '../pipeline/items';
import type { KinesisInputRecord } from '../pipeline/kinesis-record';
import { fnv1a32 } from '../pipeline/stable-hash';
import { BAD_ROW_REASONS, type BadRowItem, type BadRowReason, BadRowItemSchema } from '../schemas';
import type { ConsumerRunner } from './consumer-runner';
import { CliUsageError, explainAwsError } from './errors';

/** Where replayed rows are kept after they leave BadRows (an audit trail, in the failures bucket). */
export const REPLAYED_PREFIX = 'replayed-bad-rows/';

const DAY_PATTERN = /^\d{4}-\d{2}-\d{2}$/;

export function parseDay(value: unknown): string {
  if (typeof value !== 'string' || !DAY_PATTERN.test(value) || Number.isNaN(Date.parse(value))) {
    throw new CliUsageError(
      `--day ${JSON.stringify(value)} is invalid (expected the UTC arrival day as YYYY-MM-DD)`,
    );
  }
  return value;
}

export function parseReason(value: unknown): BadRowReason | undefined {
  if (value === undefined) return undefined;
  const found = BAD_ROW_REASONS.find((reason) => reason === value);
  if (found === undefined) {
    throw new CliUsageError(
      `--reason ${JSON.stringify(value)} is unknown (expected one of ${BAD_ROW_REASONS.join(', ')})`,
    );
  }
  return found;
}

export interface BadRowQuery {
  readonly table: string;
  readonly day: string;
  readonly reason?: BadRowReason | undefined;
  /** Items per Query page (DynamoDB's Limit: counted before the reason filter). */
  readonly pageSize?: number;
  /** Resume after this row (`bucket:sk`, as `list` prints it). */
  readonly after?: string | undefined;
}

export interface ListedRow {
  readonly bucket: number;
  readonly row: BadRowItem;
  /** `bucket:sk`: where a later listing resumes. */
  readonly cursor: string;
}

/** A day's bad rows, bucket by bucket, page by page: one page in memory at a time. */
export async function* badRowsOfDay(
  dynamodb: DynamoDBClient,
  query: BadRowQuery,
): AsyncGenerator<ListedRow> {
  let firstBucket = 0;
  let startSk: string | undefined;
  if (query.after !== undefined) {
    const match = /^(\d+):(.+)$/.exec(query.after);
    const bucket = Number(match?.[1]);
    if (match === null || !Number.isInteger(bucket) || bucket >= BAD_ROW_BUCKETS) {
      throw new CliUsageError(
        `--after ${JSON.stringify(query.after)} is invalid (expected a cursor as list prints it: <bucket>:<sk>)`,
      );
    }
    firstBucket = bucket;
    startSk = match[2];
  }
  for (let bucket = firstBucket; bucket < BAD_ROW_BUCKETS; bucket += 1) {
    const pk = `${query.day}#${bucket}`;
    let exclusiveStartKey: QueryCommandOutput['LastEvaluatedKey'] =
      bucket === firstBucket && startSk !== undefined
        ? { pk: { S: pk }, sk: { S: startSk } }
        : undefined;
    do {
      let page: QueryCommandOutput;
      try {
        page = await dynamodb.send(
          new QueryCommand({
            TableName: query.table,
            KeyConditionExpression: 'pk = :pk',
            ExpressionAttributeValues: {
              ':pk': { S: pk },
              ...(query.reason === undefined ? {} : { ':reason': { S: query.reason } }),
            },
            ...(query.reason === undefined
              ? {}
              : {
                  FilterExpression: '#reason = :reason',
                  ExpressionAttributeNames: { '#reason': 'reason' },
                }),
            Limit: query.pageSize ?? 100,
            ...(exclusiveStartKey === undefined ? {} : { ExclusiveStartKey: exclusiveStartKey }),
          }),
        );
      } catch (error) {
        throw explainAwsError(error, `bad rows of ${query.day} in ${query.table}`);
      }
      for (const item of page.Items ?? []) {
        const row = fromItem(BadRowItemSchema, query.table, item);
        yield { bucket, row, cursor: `${bucket}:${row.sk}` };
      }
      exclusiveStartKey = page.LastEvaluatedKey;
    } while (exclusiveStartKey !== undefined);
  }
}

/** The pk of a row of `day` whose sk is `sk` (the bucket follows from the position). */
export function badRowKey(day: string, sk: string): { pk: string; sk: string } {
  const position = sk.slice(sk.indexOf('#') + 1);
  if (!sk.includes('#') || position === '') {
    throw new CliUsageError(
      `--id ${JSON.stringify(sk)} is invalid (expected a bad row's sk as list prints it: <kind>#<shard>#<sequenceNumber>)`,
    );
  }
  return { pk: `${day}#${fnv1a32(position) % BAD_ROW_BUCKETS}`, sk };
}

export async function getBadRow(
  dynamodb: DynamoDBClient,
  table: string,
  key: { pk: string; sk: string },
): Promise<BadRowItem | undefined> {
  const answer = await dynamodb.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: key.pk }, sk: { S: key.sk } } }),
  );
  return answer.Item === undefined ? undefined : fromItem(BadRowItemSchema, table, answer.Item);
}

/** The row's original payload, base64: inline, or from the failures bucket when it was too large. */
export async function payloadOf(s3: S3Client, row: BadRowItem): Promise<string> {
  if (row.payloadObject === undefined) return row.payloadBase64;
  const object = await s3.send(
    new GetObjectCommand({ Bucket: row.payloadObject.bucket, Key: row.payloadObject.key }),
  );
  return (await object.Body?.transformToString('utf8')) ?? '';
}

/** The Kinesis record Lambda delivered, rebuilt from the row (same position, same arrival). */
export function recordOf(row: BadRowItem, data: string): KinesisInputRecord | undefined {
  const origin = row.origin;
  if (origin.kind !== 'kinesis') return undefined;
  return {
    eventID: `${origin.shardId}:${origin.sequenceNumber}`,
    eventSourceARN: origin.streamArn,
    kinesis: {
      data,
      sequenceNumber: origin.sequenceNumber,
      partitionKey: origin.partitionKey,
      approximateArrivalTimestamp: origin.arrivedAt / 1000,
    },
  };
}

export interface ReplayOptions {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly table: string;
  readonly failureBucket: string;
  readonly day: string;
  readonly reason: BadRowReason;
  readonly dryRun?: boolean;
  /** Rows replayed per consumer batch. */
  readonly batchSize?: number;
  readonly print?: (line: string) => void;
}

export interface ReplayReport {
  /** Rows of that day and reason. */
  rows: number;
  /** Rows that pass now: stored as events (or already applied) and removed from BadRows. */
  nowValid: number;
  /** Of those, events applied to their session for the first time. */
  stored: number;
  /** Rows that still fail: kept (rewritten by the consumer with its current reason). */
  stillBad: number;
  /** Rows not from Kinesis (the processor's stream records): not the consumer's to replay. */
  skipped: number;
}

export async function replayBadRows(
  consumer: ConsumerRunner,
  options: ReplayOptions,
): Promise<ReplayReport> {
  const print = options.print ?? (() => undefined);
  const report: ReplayReport = { rows: 0, nowValid: 0, stored: 0, stillBad: 0, skipped: 0 };
  const batchSize = options.batchSize ?? 100;
  let batch: { row: BadRowItem; record: KinesisInputRecord }[] = [];
  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const current = batch;
    batch = [];
    const records = current.map((entry) => entry.record);
    const result =
      options.dryRun === true
        ? { outcomes: await consumer.classify(records), failed: new Set<string>(), newEvents: 0 }
        : await consumer
            .replay(records)
            .then((r) => ({ ...r, newEvents: r.report.written.newEvents }));
    if (result.failed.size > 0) {
      throw explainAwsError(
        new Error(
          `${result.failed.size} of ${records.length} replayed rows failed transiently; ` +
            'nothing of them was removed — run the replay again',
        ),
        `replay of ${options.reason} rows of ${options.day}`,
      );
    }
    report.stored += result.newEvents;
    for (const [index, entry] of current.entries()) {
      const outcome = result.outcomes[index];
      if (outcome?.kind !== 'stored') {
        report.stillBad += 1;
        print(`still bad ${entry.row.sk}: ${outcome?.reason ?? 'unknown'}`);
        continue;
      }
      report.nowValid += 1;
      if (options.dryRun === true) {
        print(`would pass ${entry.row.sk}: event ${outcome.eventId}`);
        continue;
      }
      await options.s3.send(
        new PutObjectCommand({
          Bucket: options.failureBucket,
          Key: `${REPLAYED_PREFIX}${entry.row.pk}/${encodeURIComponent(entry.row.sk)}.json`,
          Body: JSON.stringify({ replayedAt: new Date().toISOString(), row: entry.row }),
          ContentType: 'application/json',
        }),
      );
      await options.dynamodb.send(
        new DeleteItemCommand({
          TableName: options.table,
          Key: { pk: { S: entry.row.pk }, sk: { S: entry.row.sk } },
        }),
      );
      print(`replayed ${entry.row.sk}: event ${outcome.eventId} stored, bad row removed`);
    }
  };
  for await (const { row } of badRowsOfDay(options.dynamodb, {
    table: options.table,
    day: options.day,
    reason: options.reason,
  })) {
    report.rows += 1;
    const record = recordOf(row, await payloadOf(options.s3, row));
    if (record === undefined) {
      report.skipped += 1;
      print(`skip ${row.sk}: a ${row.origin.kind} record (not the consumer's)`);
      continue;
    }
    batch.push({ row, record });
    if (batch.length >= batchSize) await flush();
  }
  await flush();
  return report;
}
