/**
 * RealtimeRollups table: per-site, per-minute counter buckets (pk = siteId, sk = the epoch minute,
 * zero-padded so that string order is time order) and the rollup function's chunk markers.
 *
 * Writing: one chunk of stream records is one TransactWriteItems — a marker item named by the
 * chunk's first record (`attribute_not_exists`), plus one `ADD` update per touched bucket. The
 * transaction makes "counters moved" and "chunk done" one fact: a redelivered chunk finds its
 * marker, whose `lastSequence` says which records it covered, and adds nothing again.
 *
 * Reading: one Query of a site's buckets in a minute range (at most 32 small items).
 */
import { createHash } from 'node:crypto';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { bucketExpiresAt, type SiteDelta } from '../../pipeline/realtime/rollup';
import type { RollupBucket } from '../../pipeline/realtime/rollup-answer';
import { backoffDelayMs, type Deadline, sleepWithin, withinDeadline } from './deadline';
import { WriteFailedError } from './write-errors';

/** TransactWriteItems holds at most 100 actions; one is the marker. */
export const MAX_BUCKETS_PER_CHUNK = 99;
/** Cells per bucket update: keeps the update expression well under DynamoDB's 4 KB. */
export const MAX_CELLS_PER_BUCKET = 200;

/** How long a chunk marker is kept: longer than the stream's 24 h retention. */
const MARKER_LIFETIME_SECONDS = 2 * 86_400;

/** Key attributes and the TTL attribute; every other attribute of a bucket is a counter cell. */
const RESERVED = new Set(['pk', 'sk', 'expiresAt']);

export interface RollupChunk {
  /** The first record's eventID: a redelivered chunk starts with the same record. */
  readonly firstEventId: string;
  /** The last record's sequence number: what the chunk covers when it is found applied. */
  readonly lastSequence: string;
  /** siteId → delta; only cells to write (see `visibleFrom`). */
  readonly deltas: ReadonlyMap<string, SiteDelta>;
}

export type ChunkOutcome =
  | {
      readonly kind: 'applied';
      readonly buckets: number;
      /** Buckets DynamoDB refused as invalid (over 400 KB): left out so the chunk could land. */
      readonly dropped: readonly string[];
    }
  | { readonly kind: 'already-applied'; readonly lastSequence: string };

export function minuteKey(minute: number): string {
  return String(minute).padStart(10, '0');
}

function markerKey(firstEventId: string): Record<string, AttributeValue> {
  return { pk: { S: `#chunk#${firstEventId}` }, sk: { S: '#' } };
}

/** Transient reasons a transaction was cancelled: retrying the same transaction can succeed. */
const RETRYABLE_CANCELLATIONS = new Set([
  'TransactionConflict',
  'ThrottlingError',
  'ProvisionedThroughputExceeded',
  'RequestLimitExceeded',
]);

export class DynamoRealtimeRollups {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Applies a chunk once. A transaction cancelled only by conflicts or throttling is tried again
   * (with backoff) until the deadline. A bucket DynamoDB refuses as invalid (an item grown past
   * 400 KB) is left out and the rest applied, so one site's oversized bucket never blocks the
   * stream for every other site (its counters heal when the bucket's minute passes). Anything
   * else throws a WriteFailedError.
   */
  async applyChunk(chunk: RollupChunk, deadline: Deadline, nowMs: number): Promise<ChunkOutcome> {
    let items = this.transactionItems(chunk, nowMs);
    const dropped: string[] = [];
    for (let attempt = 1; ; attempt += 1) {
      try {
        await withinDeadline(deadline, `TransactWriteItems ${this.tableName}`, (abortSignal) =>
          this.client.send(
            new TransactWriteItemsCommand({
              TransactItems: items,
              // The same transaction sent again within 10 minutes (an attempt whose answer was
              // lost) succeeds without applying twice.
              ClientRequestToken: requestToken(chunk, items.length),
            }),
            { abortSignal },
          ),
        );
        return { kind: 'applied', buckets: items.length - 1, dropped };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
        if (reasons[0] === 'ConditionalCheckFailed') {
          return { kind: 'already-applied', lastSequence: await this.markedLast(chunk, deadline) };
        }
        const invalid = reasons.flatMap((code, index) =>
          index > 0 && code === 'ValidationError' ? [index] : [],
        );
        if (invalid.length > 0 && invalid.length === reasons.filter((c) => c !== 'None').length) {
          dropped.push(...invalid.map((index) => describeUpdate(items[index])));
          items = items.filter((_, index) => !invalid.includes(index));
          continue;
        }
        // No reasons at all is not a known transient answer: never retried blindly.
        const transient =
          reasons.length > 0 &&
          reasons.every((code) => code === 'None' || RETRYABLE_CANCELLATIONS.has(code));
        // The consumer's backoff (capped exponential, full jitter), never past the deadline.
        const retrying = transient && (await sleepWithin(deadline, backoffDelayMs(attempt)));
        if (!retrying) {
          throw new WriteFailedError(
            'TransactWriteItems',
            this.tableName,
            `chunk from ${chunk.firstEventId} cancelled after ${attempt} attempt(s) (reasons: ${reasons.join(', ') || 'none given'}; expected only conflicts or throttling to retry)`,
            { cause: error },
          );
        }
      }
    }
  }

  /** Every bucket of a site from minute `from` to `to` inclusive. */
  async readBuckets(siteId: string, from: number, to: number): Promise<RollupBucket[]> {
    const buckets: RollupBucket[] = [];
    let start: Record<string, AttributeValue> | undefined;
    do {
      const answer = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :site AND sk BETWEEN :from AND :to',
          ExpressionAttributeValues: {
            ':site': { S: siteId },
            ':from': { S: minuteKey(from) },
            ':to': { S: minuteKey(to) },
          },
          ExclusiveStartKey: start,
        }),
      );
      for (const item of answer.Items ?? []) buckets.push(this.toBucket(item));
      start = answer.LastEvaluatedKey;
    } while (start !== undefined);
    return buckets;
  }

  private toBucket(item: Record<string, AttributeValue>): RollupBucket {
    const sk = item['sk']?.S;
    if (sk === undefined || !/^[0-9]{10}$/.test(sk)) {
      throw new RollupContractError(
        `${this.tableName} bucket has sk ${JSON.stringify(item['sk'])} (expected a 10-digit epoch minute)`,
      );
    }
    const cells = new Map<string, number>();
    for (const [name, value] of Object.entries(item)) {
      if (RESERVED.has(name)) continue;
      const n = value.N === undefined ? Number.NaN : Number(value.N);
      if (!Number.isSafeInteger(n)) {
        throw new RollupContractError(
          `${this.tableName} bucket ${sk} cell ${JSON.stringify(name)} is ${JSON.stringify(value)} (expected an integer number)`,
        );
      }
      cells.set(name, n);
    }
    return { minute: Number(sk), cells };
  }

  private transactionItems(chunk: RollupChunk, nowMs: number): TransactWriteItem[] {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: this.tableName,
          Item: {
            ...markerKey(chunk.firstEventId),
            lastSequence: { S: chunk.lastSequence },
            expiresAt: { N: String(Math.floor(nowMs / 1000) + MARKER_LIFETIME_SECONDS) },
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
    ];
    for (const [siteId, delta] of chunk.deltas) {
      for (const [minute, cells] of delta) {
        if (cells.size > MAX_CELLS_PER_BUCKET) {
          throw new RangeError(
            `bucket ${siteId}/${minute} has ${cells.size} cells in one chunk (expected at most ${MAX_CELLS_PER_BUCKET}; the chunker must split)`,
          );
        }
        const names: Record<string, string> = { '#e': 'expiresAt' };
        const values: Record<string, AttributeValue> = {
          ':e': { N: String(bucketExpiresAt(minute)) },
        };
        const adds: string[] = [];
        let i = 0;
        for (const [cell, n] of cells) {
          names[`#c${i}`] = cell;
          values[`:c${i}`] = { N: String(n) };
          adds.push(`#c${i} :c${i}`);
          i += 1;
        }
        items.push({
          Update: {
            TableName: this.tableName,
            Key: { pk: { S: siteId }, sk: { S: minuteKey(minute) } },
            UpdateExpression: `SET #e = :e ADD ${adds.join(', ')}`,
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        });
      }
    }
    if (items.length - 1 > MAX_BUCKETS_PER_CHUNK) {
      throw new RangeError(
        `chunk from ${chunk.firstEventId} touches ${items.length - 1} buckets (expected at most ${MAX_BUCKETS_PER_CHUNK}; the chunker must split)`,
      );
    }
    return items;
  }

  /** The sequence number a stored marker covers (strongly consistent: it was just refused). */
  private async markedLast(chunk: RollupChunk, deadline: Deadline): Promise<string> {
    const output = await withinDeadline(deadline, `GetItem ${this.tableName}`, (abortSignal) =>
      this.client.send(
        new GetItemCommand({
          TableName: this.tableName,
          Key: markerKey(chunk.firstEventId),
          ConsistentRead: true,
        }),
        { abortSignal },
      ),
    );
    const last = output.Item?.['lastSequence']?.S;
    if (last === undefined) {
      throw new RollupContractError(
        `${this.tableName} refused the marker of chunk ${chunk.firstEventId} as existing, but it reads ${JSON.stringify(output.Item)} (expected an item with lastSequence)`,
      );
    }
    return last;
  }
}

/** Idempotency token of one transaction: the chunk, and how many of its items are left. */
function requestToken(chunk: RollupChunk, items: number): string {
  return createHash('sha256')
    .update(`${chunk.firstEventId}\n${chunk.lastSequence}\n${items}`)
    .digest('base64url')
    .slice(0, 36);
}

function describeUpdate(item: TransactWriteItem | undefined): string {
  const key = item?.Update?.Key;
  return `${key?.['pk']?.S ?? '?'}/${key?.['sk']?.S ?? '?'}`;
}

/** The table holds something the rollup never writes: a bug or a foreign writer, not transient. */
export class RollupContractError extends Error {
  override readonly name = 'RollupContractError';
}
