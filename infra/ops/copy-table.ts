/**
 * The copy-back step of a restore (docs/operations/restore.md): every item of a table restored
 * beside the original (PITR and AWS Backup always restore into a new table) is put into the
 * original table, overwriting the damaged items with their restored state. Items that exist
 * only in the target stay. A parallel Scan (strongly consistent) feeds BatchWriteItem through
 * the adapters' batchWriteAll, which retries unprocessed items with backoff. Every table of ours
 * keys items by `pk` (and `sk`), which batchWriteAll relies on.
 */
import { type AttributeValue, type DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { batchWriteAll } from '../../handlers/adapters/batch-write';
import { deadlineFrom } from '../../handlers/adapters/deadline';

export interface CopyTableOptions {
  readonly source: string;
  readonly target: string;
  /**
   * Parallel Scan segments (1–1,000,000, DynamoDB's range).
   * @default 4
   */
  readonly segments?: number;
  /**
   * Items per Scan page.
   * @default undefined (DynamoDB's 1 MB pages)
   */
  readonly pageSize?: number;
  /**
   * Time one page's writes may take, retries included.
   * @default 120_000
   */
  readonly pageTimeoutMs?: number;
  /** Called after each page with the running totals. */
  readonly onProgress?: (progress: CopyProgress) => void;
}

export interface CopyProgress {
  readonly scanned: number;
  readonly written: number;
}

export class CopyTableError extends Error {
  override readonly name = 'CopyTableError';
}

export async function copyTable(
  dynamodb: DynamoDBClient,
  options: CopyTableOptions,
): Promise<CopyProgress> {
  const segments = options.segments ?? 4;
  if (!Number.isInteger(segments) || segments < 1 || segments > 1_000_000) {
    throw new CopyTableError(`segments is ${segments} (expected an integer from 1 to 1,000,000)`);
  }
  if (options.source === options.target) {
    throw new CopyTableError(
      `source and target are both ${JSON.stringify(options.source)} (expected the restored table and the original)`,
    );
  }
  const totals = { scanned: 0, written: 0 };
  const limit = pLimit(8);
  const copySegment = async (segment: number): Promise<void> => {
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(
        new ScanCommand({
          TableName: options.source,
          Segment: segment,
          TotalSegments: segments,
          ConsistentRead: true,
          ...(options.pageSize === undefined ? {} : { Limit: options.pageSize }),
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      const items = page.Items ?? [];
      totals.scanned += items.length;
      const { failed } = await batchWriteAll(
        dynamodb,
        items.map((item) => ({ table: options.target, item, tags: [] as const })),
        { deadline: deadlineFrom(options.pageTimeoutMs ?? 120_000), limit },
      );
      if (failed.length > 0) {
        const first = failed[0];
        throw new CopyTableError(
          `${failed.length} of ${items.length} items of a page of ${options.source} could not be written to ${options.target} (first error: ${first?.error.message ?? 'unknown'}); the copy is idempotent: run it again`,
          { cause: first?.error },
        );
      }
      totals.written += items.length;
      options.onProgress?.({ ...totals });
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
  };
  // allSettled: no segment may still be writing when the copy returns or throws.
  const results = await Promise.allSettled(
    Array.from({ length: segments }, (_, segment) => copySegment(segment)),
  );
  for (const result of results) {
    if (result.status === 'rejected') throw result.reason;
  }
  return { ...totals };
}
