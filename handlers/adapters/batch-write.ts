/**
 * Idempotent puts in BatchWriteItem requests of at most 25 items (several tables may share one
 * request). DynamoDB may leave items unprocessed when a partition is hot; those are retried with
 * capped exponential backoff and full jitter until none is left or the deadline comes, and only
 * what is still unwritten then is reported as failed, with the tags (record positions) it carries.
 *
 * A ValidationException refuses the whole request for one invalid item. The request is then
 * split in halves, each written on its own, until the refused items stand alone: the good items
 * of the request are stored, and only the refused ones come back, marked `permanent` (about
 * 2·log2(25) ≈ 10 more requests per invalid item, paid only on such data).
 */
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { LimitFunction } from 'p-limit';
import {
  type Backoff,
  DEFAULT_BACKOFF,
  type Deadline,
  backoffDelayMs,
  sleepWithin,
  withinDeadline,
} from './deadline';
import type { Item } from './item-size';
import { WriteFailedError, isPermanentWriteError, isWriteFailure } from './write-errors';

/** DynamoDB's limit of items per BatchWriteItem request. */
export const MAX_BATCH_WRITE_ITEMS = 25;

export interface PutRequest<Tag> {
  readonly table: string;
  /** Must hold the table's key as `pk` (string) and, if the table has one, `sk` (string). */
  readonly item: Item;
  /** What the item came from (e.g. Kinesis sequence numbers), returned on failure. */
  readonly tags: readonly Tag[];
}

export interface FailedPut<Tag> {
  readonly table: string;
  readonly tags: readonly Tag[];
  readonly error: Error;
  /**
   * DynamoDB refused this very item as invalid (isPermanentWriteError): no retry can store it.
   * False: a transient failure (throttling, 5xx, unprocessed at the deadline); retry later.
   */
  readonly permanent: boolean;
}

export interface BatchWriteOptions {
  readonly deadline: Deadline;
  /** Shared limiter of the invocation: bounds concurrent requests. */
  readonly limit: LimitFunction;
  readonly backoff?: Backoff;
}

export interface BatchWriteResult<Tag> {
  readonly failed: readonly FailedPut<Tag>[];
  /** Distinct items after removing duplicate keys. */
  readonly distinctItems: number;
}

function keyString(table: string, item: Item): string {
  const pk = item['pk']?.S;
  if (pk === undefined) {
    throw new TypeError(
      `Put into ${table}: item has no string attribute "pk" (received attributes ${JSON.stringify(Object.keys(item))})`,
    );
  }
  return JSON.stringify([table, pk, item['sk']?.S ?? null]);
}

/**
 * DynamoDB refuses a BatchWriteItem that names one key twice ("Provided list of item keys
 * contains duplicates"), and a record re-put by a producer is exactly that. Same key = same
 * deterministic content, so one put serves all of their tags (last one wins).
 */
export function dedupeByKey<Tag>(requests: readonly PutRequest<Tag>[]): PutRequest<Tag>[] {
  const byKey = new Map<string, PutRequest<Tag>>();
  for (const request of requests) {
    const key = keyString(request.table, request.item);
    const seen = byKey.get(key);
    byKey.set(
      key,
      seen === undefined ? request : { ...request, tags: [...seen.tags, ...request.tags] },
    );
  }
  return [...byKey.values()];
}

export async function batchWriteAll<Tag>(
  client: DynamoDBClient,
  requests: readonly PutRequest<Tag>[],
  options: BatchWriteOptions,
): Promise<BatchWriteResult<Tag>> {
  const distinct = dedupeByKey(requests);
  const chunks: PutRequest<Tag>[][] = [];
  for (let i = 0; i < distinct.length; i += MAX_BATCH_WRITE_ITEMS) {
    chunks.push(distinct.slice(i, i + MAX_BATCH_WRITE_ITEMS));
  }
  // allSettled: no request of this call may still be running when it returns or throws.
  const results = await Promise.allSettled(
    chunks.map((chunk) => options.limit(() => writeChunk(client, chunk, options))),
  );
  const failed: FailedPut<Tag>[] = [];
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
    failed.push(...result.value);
  }
  return { failed, distinctItems: distinct.length };
}

async function writeChunk<Tag>(
  client: DynamoDBClient,
  chunk: readonly PutRequest<Tag>[],
  options: BatchWriteOptions,
): Promise<FailedPut<Tag>[]> {
  const backoff = options.backoff ?? DEFAULT_BACKOFF;
  let pending = chunk;
  for (let attempt = 0; ; attempt += 1) {
    const requestItems: Record<string, { PutRequest: { Item: Item } }[]> = {};
    for (const request of pending) {
      (requestItems[request.table] ??= []).push({ PutRequest: { Item: request.item } });
    }
    let unprocessedKeys: Set<string>;
    try {
      const output = await withinDeadline(options.deadline, 'BatchWriteItem', (abortSignal) =>
        client.send(new BatchWriteItemCommand({ RequestItems: requestItems }), { abortSignal }),
      );
      unprocessedKeys = new Set(
        Object.entries(output.UnprocessedItems ?? {}).flatMap(([table, writes]) =>
          writes.flatMap((write) =>
            write.PutRequest?.Item === undefined ? [] : [keyString(table, write.PutRequest.Item)],
          ),
        ),
      );
    } catch (error) {
      if (isPermanentWriteError(error)) return isolateRefused(client, pending, options, error);
      if (!isWriteFailure(error)) throw error;
      return failAll(pending, error as Error, false);
    }
    pending = pending.filter((request) =>
      unprocessedKeys.has(keyString(request.table, request.item)),
    );
    if (pending.length === 0) return [];
    const waited = await sleepWithin(options.deadline, backoffDelayMs(attempt, backoff));
    if (!waited) {
      return failAll(
        pending,
        new WriteFailedError(
          'BatchWriteItem',
          [...new Set(pending.map((r) => r.table))].join(', '),
          `${pending.length} item(s) still unprocessed after ${attempt + 1} attempt(s) when the deadline came (expected DynamoDB to accept them on retry)`,
        ),
        false,
      );
    }
  }
}

/**
 * The request was refused as invalid: one item alone is that item's verdict; more are written
 * in two halves, one after the other (this runs inside the caller's limiter slot, so it takes no
 * new one), until each refused item stands alone.
 */
async function isolateRefused<Tag>(
  client: DynamoDBClient,
  pending: readonly PutRequest<Tag>[],
  options: BatchWriteOptions,
  error: unknown,
): Promise<FailedPut<Tag>[]> {
  if (pending.length === 1) return failAll(pending, error as Error, true);
  const middle = Math.ceil(pending.length / 2);
  const first = await writeChunk(client, pending.slice(0, middle), options);
  const second = await writeChunk(client, pending.slice(middle), options);
  return [...first, ...second];
}

function failAll<Tag>(
  pending: readonly PutRequest<Tag>[],
  error: Error,
  permanent: boolean,
): FailedPut<Tag>[] {
  return pending.map((request) => ({
    table: request.table,
    tags: request.tags,
    error,
    permanent,
  }));
}
