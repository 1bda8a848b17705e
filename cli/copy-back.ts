/**
 * Copy back a restored table: PITR (and AWS Backup) restore into a *new* table, which the stack
 * does not use; this copies its items into the stack's table.
 *
 * - Shape first: both tables must exist and have the same key schema (names, types, HASH/RANGE);
 *   otherwise nothing is written and the error names both shapes.
 * - Throttled: a token bucket of `rateWcu` write units per second (one unit per started KB of
 *   each item, as DynamoDB bills standard tables), so the copy leaves the live table's traffic
 *   room; BatchWriteItem (25 puts) with UnprocessedItems and throttling answers
 *   (ProvisionedThroughputExceeded, Throttling, RequestLimitExceeded, 5xx) retried with capped
 *   exponential backoff and full jitter.
 * - Resumable: the Scan's LastEvaluatedKey and the counts are written to a checkpoint file after
 *   each page is fully written (write to a temporary file, then rename: a crash leaves the old or
 *   the new checkpoint, never half of one). A second run starts after the last finished page; a
 *   page cut off by the crash is written again, which changes nothing (puts of the same items).
 * - Counted and verified: items and write units copied; then both tables are scanned and their
 *   item counts and order-independent checksums (sum of 64-bit hashes of each item's canonical
 *   JSON, canonical-json.ts) compared.
 * - Bounded memory: one Scan page being written and the next being read; the verification holds
 *   one page per Scan segment.
 *
 * Puts overwrite: an item of the live table with the same key takes the restored version; items
 * only the live table has are kept (and then make the verification differ — the report says so).
 */
import { randomBytes } from 'node:crypto';
import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  BatchWriteItemCommand,
  DescribeTableCommand,
  type DynamoDBClient,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { type Backoff, backoffDelayMs } from '../handlers/adapters/deadline';
import { type Item, itemSize, writeUnits } from '../handlers/adapters/item-size';
import { TableChecksum } from './canonical-json';
import { CliTargetError, CliUsageError, explainAwsError } from './errors';

/** DynamoDB's limit of items per BatchWriteItem. */
const BATCH = 25;
/** Items per Scan page (DynamoDB also stops a page at 1 MB). */
export const DEFAULT_PAGE_SIZE = 500;
/** BatchWriteItem requests in flight (the admin client keeps 16 sockets). */
export const DEFAULT_CONCURRENCY = 8;
/** Attempts per BatchWriteItem chunk (throttling or unprocessed items) before giving up. */
const MAX_ATTEMPTS = 12;
const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
]);

export interface CopyBackOptions {
  readonly from: string;
  readonly to: string;
  /** Write units per second spent on the target. */
  readonly rateWcu: number;
  readonly checkpointFile: string;
  readonly dryRun?: boolean;
  readonly pageSize?: number;
  readonly concurrency?: number;
  readonly print?: (line: string) => void;
  readonly backoff?: Backoff;
  /** Injected by tests of the rate; real time otherwise. */
  readonly clock?: { now(): number; sleep(ms: number): Promise<void> };
}

export interface Checkpoint {
  readonly version: 1;
  readonly from: string;
  readonly to: string;
  /** Where the next page starts; null: at the beginning. */
  readonly startKey: Item | null;
  readonly copied: number;
  readonly writeUnits: number;
  readonly done: boolean;
}

export interface CopyBackReport {
  /** Items copied over all runs (by the checkpoint). */
  readonly copied: number;
  /** Items written by this run (a resumed run: the rest). */
  readonly copiedThisRun: number;
  readonly writeUnits: number;
  readonly resumedAt: number;
  readonly retries: number;
  readonly source: TableChecksum;
  readonly target: TableChecksum | undefined;
  readonly verified: boolean;
}

const REAL_CLOCK = {
  now: () => Date.now(),
  sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)),
};

/** Write units per second, spent ahead and paid back by waiting (bursts of up to one second). */
export class WriteRate {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly clock: { now(): number; sleep(ms: number): Promise<void> },
  ) {
    if (!Number.isFinite(perSecond) || perSecond <= 0) {
      throw new CliUsageError(`--rate ${perSecond} (expected write units per second, > 0)`);
    }
    this.tokens = perSecond;
    this.last = clock.now();
  }

  async take(units: number): Promise<void> {
    const now = this.clock.now();
    this.tokens = Math.min(
      this.perSecond,
      this.tokens + ((now - this.last) / 1000) * this.perSecond,
    );
    this.last = now;
    this.tokens -= units;
    if (this.tokens < 0) await this.clock.sleep(Math.ceil((-this.tokens / this.perSecond) * 1000));
  }
}

function keyShape(table: {
  KeySchema?: { AttributeName?: string; KeyType?: string }[];
  AttributeDefinitions?: { AttributeName?: string; AttributeType?: string }[];
}): string {
  const types = new Map(
    (table.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]),
  );
  return (table.KeySchema ?? [])
    .map((k) => `${k.AttributeName} ${k.KeyType} ${types.get(k.AttributeName) ?? '?'}`)
    .join(', ');
}

/** Both tables exist and share one key schema; returns it. */
export async function checkSameShape(
  dynamodb: DynamoDBClient,
  from: string,
  to: string,
): Promise<string> {
  const describe = async (name: string, role: string) => {
    try {
      const table = (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
      if (table === undefined) throw new CliTargetError(`${role} table ${name}: no description`);
      return table;
    } catch (error) {
      if (error instanceof Error && error.name === 'ResourceNotFoundException') {
        throw new CliTargetError(
          `copy-back: the ${role} table ${JSON.stringify(name)} does not exist (expected ${
            role === 'source'
              ? 'the table the restore created, e.g. <table>-restored'
              : "the stack's table to copy into"
          })`,
          { cause: error },
        );
      }
      throw explainAwsError(error, `copy-back: ${role} table ${name}`);
    }
  };
  const [source, target] = [await describe(from, 'source'), await describe(to, 'target')];
  const [a, b] = [keyShape(source), keyShape(target)];
  if (a !== b) {
    throw new CliTargetError(
      `copy-back: wrong table shape — ${from} has key [${a}] but ${to} has key [${b}] ` +
        '(expected the same key schema: restore the table that is being copied back into)',
    );
  }
  if (source.TableStatus !== 'ACTIVE' || target.TableStatus !== 'ACTIVE') {
    throw new CliTargetError(
      `copy-back: ${from} is ${source.TableStatus}, ${to} is ${target.TableStatus} (expected both ACTIVE; a restore takes a while)`,
    );
  }
  return a;
}

async function loadCheckpoint(file: string, from: string, to: string): Promise<Checkpoint> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      return { version: 1, from, to, startKey: null, copied: 0, writeUnits: 0, done: false };
    }
    throw error;
  }
  let parsed: Partial<Checkpoint>;
  try {
    parsed = JSON.parse(text) as Partial<Checkpoint>;
  } catch (error) {
    throw new CliTargetError(
      `copy-back: checkpoint ${file} is not JSON (delete it to start over)`,
      {
        cause: error,
      },
    );
  }
  if (
    parsed.version !== 1 ||
    typeof parsed.copied !== 'number' ||
    typeof parsed.writeUnits !== 'number' ||
    typeof parsed.done !== 'boolean' ||
    (parsed.startKey !== null && typeof parsed.startKey !== 'object')
  ) {
    throw new CliTargetError(
      `copy-back: checkpoint ${file} has an unexpected shape (expected {version: 1, from, to, startKey, copied, writeUnits, done}; delete it to start over)`,
    );
  }
  if (parsed.from !== from || parsed.to !== to) {
    throw new CliTargetError(
      `copy-back: checkpoint ${file} is of a copy from ${String(parsed.from)} to ${String(parsed.to)} ` +
        `(expected ${from} to ${to}; pass another --checkpoint or delete it)`,
    );
  }
  return parsed as Checkpoint;
}

async function saveCheckpoint(file: string, checkpoint: Checkpoint): Promise<void> {
  const temporary = `${file}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, `${JSON.stringify(checkpoint)}\n`);
  await rename(temporary, file);
}

function isRetryable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return RETRYABLE.has(error.name) || (status !== undefined && status >= 500);
}

/** Writes `items` (≤ 25) until none is unprocessed; returns the retries it needed. */
async function writeChunk(
  dynamodb: DynamoDBClient,
  table: string,
  items: readonly Item[],
  backoff: Backoff,
  clock: { sleep(ms: number): Promise<void> },
): Promise<number> {
  let pending = items.map((item) => ({ PutRequest: { Item: item } }));
  for (let attempt = 0; ; attempt += 1) {
    if (attempt >= MAX_ATTEMPTS) {
      throw new CliTargetError(
        `copy-back: ${pending.length} items of ${table} still unwritten after ${MAX_ATTEMPTS} attempts ` +
          '(throttled throughout; expected the table to take the rate — lower --rate, then run again: it resumes)',
      );
    }
    if (attempt > 0) await clock.sleep(backoffDelayMs(attempt, backoff));
    try {
      const answer = await dynamodb.send(
        new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
      );
      const left = answer.UnprocessedItems?.[table] ?? [];
      if (left.length === 0) return attempt;
      pending = left.flatMap((request) =>
        request.PutRequest?.Item === undefined
          ? []
          : [{ PutRequest: { Item: request.PutRequest.Item } }],
      );
    } catch (error) {
      if (!isRetryable(error)) throw explainAwsError(error, `copy-back: writing ${table}`);
    }
  }
}

/** Count and checksum of every item of `table`, page by page. */
/** Parallel Scan segments of a verification: each table is read by this many requests at once. */
const VERIFY_SEGMENTS = 4;

/**
 * A table's item count and checksum, from a strongly consistent parallel Scan (`segments`
 * segments, one page of each in memory at a time). The checksum is a sum, so the order in which
 * segments deliver items does not matter.
 */
export async function checksumTable(
  dynamodb: DynamoDBClient,
  table: string,
  pageSize = DEFAULT_PAGE_SIZE,
  segments = VERIFY_SEGMENTS,
): Promise<TableChecksum> {
  const sum = new TableChecksum();
  const scanSegment = async (segment: number): Promise<void> => {
    let start: Item | undefined;
    do {
      let page;
      try {
        page = await dynamodb.send(
          new ScanCommand({
            TableName: table,
            ConsistentRead: true,
            Limit: pageSize,
            Segment: segment,
            TotalSegments: segments,
            ExclusiveStartKey: start,
          }),
        );
      } catch (error) {
        throw explainAwsError(error, `copy-back: scanning ${table}`);
      }
      for (const item of page.Items ?? []) sum.add(item);
      start = page.LastEvaluatedKey;
    } while (start !== undefined);
  };
  await Promise.all(Array.from({ length: segments }, (_, segment) => scanSegment(segment)));
  return sum;
}

export async function copyBack(
  dynamodb: DynamoDBClient,
  options: CopyBackOptions,
): Promise<CopyBackReport> {
  const print = options.print ?? (() => undefined);
  const clock = options.clock ?? REAL_CLOCK;
  const backoff = options.backoff ?? { baseMs: 50, capMs: 5_000 };
  const pageSize = options.pageSize ?? DEFAULT_PAGE_SIZE;
  if (options.from === options.to) {
    throw new CliUsageError(
      `copy-back: --from and --to are both ${options.to} (expected two tables)`,
    );
  }
  const rate = new WriteRate(options.rateWcu, clock);
  const limit = pLimit(options.concurrency ?? DEFAULT_CONCURRENCY);
  const shape = await checkSameShape(dynamodb, options.from, options.to);
  print(`copy-back ${options.from} → ${options.to}: key [${shape}], ${options.rateWcu} WCU/s`);

  if (options.dryRun === true) {
    const source = await checksumTable(dynamodb, options.from, pageSize);
    print(`dry run: would copy ${source} (nothing written, no checkpoint)`);
    return {
      copied: 0,
      copiedThisRun: 0,
      writeUnits: 0,
      resumedAt: 0,
      retries: 0,
      source,
      target: undefined,
      verified: false,
    };
  }

  let checkpoint = await loadCheckpoint(options.checkpointFile, options.from, options.to);
  const resumedAt = checkpoint.copied;
  if (checkpoint.done) print(`checkpoint ${options.checkpointFile}: the copy is done; verifying`);
  else if (checkpoint.startKey !== null) {
    print(`checkpoint ${options.checkpointFile}: resuming after ${checkpoint.copied} items`);
  }
  let copiedThisRun = 0;
  let retries = 0;
  const scanPage = async (startKey: Item | null) => {
    try {
      return await dynamodb.send(
        new ScanCommand({
          TableName: options.from,
          Limit: pageSize,
          ...(startKey === null ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
    } catch (error) {
      throw explainAwsError(error, `copy-back: scanning ${options.from}`);
    }
  };
  let nextPage = checkpoint.done ? undefined : scanPage(checkpoint.startKey);
  while (!checkpoint.done && nextPage !== undefined) {
    const page = await nextPage;
    // The next page is read while this one is written (two pages in memory at most); the
    // checkpoint still moves only once this page is fully written.
    nextPage = page.LastEvaluatedKey === undefined ? undefined : scanPage(page.LastEvaluatedKey);
    nextPage?.catch(() => undefined);
    const items = page.Items ?? [];
    let units = 0;
    // The page's chunks go out `concurrency` at a time (one request at a time is bound by the
    // round trip, not by the rate); the checkpoint moves only once all of them are written.
    const writes: Promise<number>[] = [];
    for (let i = 0; i < items.length; i += BATCH) {
      const chunk = items.slice(i, i + BATCH);
      const chunkUnits = chunk.reduce((sum, item) => sum + writeUnits(itemSize(item)), 0);
      await rate.take(chunkUnits);
      units += chunkUnits;
      const write = limit(() => writeChunk(dynamodb, options.to, chunk, backoff, clock));
      // Handled below, once every chunk of the page has settled; this only keeps a chunk that
      // fails while later ones are still being queued from counting as an unhandled rejection.
      write.catch(() => undefined);
      writes.push(write);
    }
    // Wait for every chunk before giving up on one: a failed page must leave no write of ours
    // still in flight behind the error (a second run, or the caller, would race with it).
    const settled = await Promise.allSettled(writes);
    for (const outcome of settled) if (outcome.status === 'rejected') throw outcome.reason;
    for (const outcome of settled) if (outcome.status === 'fulfilled') retries += outcome.value;
    copiedThisRun += items.length;
    checkpoint = {
      ...checkpoint,
      startKey: page.LastEvaluatedKey ?? null,
      copied: checkpoint.copied + items.length,
      writeUnits: checkpoint.writeUnits + units,
      done: page.LastEvaluatedKey === undefined,
    };
    await saveCheckpoint(options.checkpointFile, checkpoint);
    print(`… ${checkpoint.copied} items, ${checkpoint.writeUnits} write units, ${retries} retries`);
  }

  // Both tables at once: the verification reads each in full.
  const [source, target] = await Promise.all([
    checksumTable(dynamodb, options.from, pageSize),
    checksumTable(dynamodb, options.to, pageSize),
  ]);
  const verified = source.equals(target);
  print(`source ${options.from}: ${source}`);
  print(`target ${options.to}: ${target}`);
  print(
    verified
      ? 'verified: same items in both tables'
      : target.count > source.count
        ? `NOT verified: the target holds ${target.count - source.count} more items (written since the restore point?)`
        : 'NOT verified: the tables differ (items changed in the target since the copy? run again to copy once more)',
  );
  return {
    copied: checkpoint.copied,
    copiedThisRun,
    writeUnits: checkpoint.writeUnits,
    resumedAt,
    retries,
    source,
    target,
    verified,
  };
}
