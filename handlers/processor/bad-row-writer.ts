/**
 * Bad rows of malformed stream records → the BadRows table, the same way the consumer keeps its
 * own: deterministic keys (a redelivered record rewrites its row), BatchWriteItem with
 * UnprocessedItems retried within the deadline, payloads over 64 KB kept in the failures bucket.
 * Reports which records could not be kept, so the handler can hand them back to Lambda.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { toBadRowItem } from '../../pipeline/items';
import type { BadRow } from '../../schemas';
import { type PutRequest, batchWriteAll } from '../adapters/batch-write';
import { BadRowPayloadStore } from '../adapters/bad-row-payloads';
import type { Deadline } from '../adapters/deadline';
import { toItem } from '../adapters/item-codec';
import { isWriteFailure } from '../adapters/write-errors';

/** A bad row and the position of its record in the batch. */
export interface PendingBadRow {
  readonly index: number;
  readonly row: BadRow;
}

export interface BadRowWriter {
  /** Positions of the records whose bad row is not durably written (transient failures). */
  write(rows: readonly PendingBadRow[], deadline: Deadline): Promise<ReadonlySet<number>>;
}

/** Concurrent BatchWriteItem / PutObject calls per invocation; malformed records are rare. */
const CONCURRENCY = 4;

export class DynamoBadRowWriter implements BadRowWriter {
  constructor(
    private readonly clients: { readonly dynamodb: DynamoDBClient; readonly s3: S3Client },
    private readonly table: string,
    private readonly failureBucket: string,
  ) {}

  async write(rows: readonly PendingBadRow[], deadline: Deadline): Promise<ReadonlySet<number>> {
    const failed = new Set<number>();
    if (rows.length === 0) return failed;
    const limit = pLimit(CONCURRENCY);
    const payloads = new BadRowPayloadStore(this.clients.s3, this.failureBucket, deadline);
    const prepared = await Promise.all(
      rows.map(({ index, row }) =>
        limit(async (): Promise<PutRequest<number> | undefined> => {
          try {
            const item = await payloads.prepare(toBadRowItem(row));
            return { table: this.table, item: toItem(item), tags: [index] };
          } catch (error) {
            // Anything but a failed write (a bug) escapes: Lambda retries and bisects the batch.
            if (!isWriteFailure(error)) throw error;
            failed.add(index);
            return undefined;
          }
        }),
      ),
    );
    const requests = prepared.filter((request) => request !== undefined);
    const result = await batchWriteAll(this.clients.dynamodb, requests, { deadline, limit });
    for (const failure of result.failed) failure.tags.forEach((index) => failed.add(index));
    return failed;
  }
}
