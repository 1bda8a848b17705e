/**
 * RealtimeRollups table: per-site, per-minute counter buckets (pk = siteId, sk = the epoch minute,
 * zero-padded so that string order is time order) and the rollup function's chunk markers.
 *
 * Writing: one chunk of stream records is one TransactWriteItems — a marker item named by the
 * chunk's first record (`attribute_not_exists`), plus one `ADD` update per touched bucket. The
 * transaction makes "counters moved" and "chunk done" one fact: a redelivered chunk finds its
 * marker, whose `lastSequence` says which records it covered, and adds nothing again.
 *
 * Bounded buckets: each breakdown of a bucket holds at most NAMES_PER_BREAKDOWN named cells
 * (pipeline/realtime/bucket-names.ts). Which names have a cell is read from the item (strongly
 * consistent, one GetItem per unknown bucket of the chunk) and remembered per process —
 * cells never leave a live bucket, so what was seen stays true; an update that opens cells
 * carries the condition that the breakdown's `N:` counter stays within the cap, and a bucket
 * that fails it is read again and the transaction rebuilt.
 *
 * Reading: one Query of a site's buckets in a minute range (at most 32 small items).
 */
import { createHash } from 'node:crypto';
import pLimit from 'p-limit';
import {
  type AttributeValue,
  type DynamoDBClient,
  GetItemCommand,
  QueryCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import {
  NAMES_PER_BREAKDOWN,
  afterWrite,
  knownFromCells,
  namesCounterCell,
  resolveNames,
  type KnownNames,
} from '../../pipeline/realtime/bucket-names';
import {
  bucketExpiresAt,
  type BreakdownKind,
  type BucketCells,
  type SiteDelta,
} from '../../pipeline/realtime/rollup';
import { epochMinute } from '../../pipeline/session-aggregate';
import type { RollupBucket } from '../../pipeline/realtime/rollup-answer';
import { backoffDelayMs, type Deadline, sleepWithin, withinDeadline } from './deadline';
import { WriteFailedError } from './write-errors';

/** TransactWriteItems holds at most 100 actions; one is the marker. */
export const MAX_BUCKETS_PER_CHUNK = 99;
/**
 * Cells per bucket update: keeps the update expression (with the cap counters added) well under
 * DynamoDB's 4 KB.
 */
export const MAX_CELLS_PER_BUCKET = 200;

/** Buckets whose named cells a process remembers (a site has ~32 live ones). */
const KNOWN_BUCKETS = 2_048;

/**
 * Named cells a process remembers over all those buckets. A full bucket holds up to
 * 14 × NAMES_PER_BREAKDOWN names of ≤ 160 bytes (BREAKDOWNS in pipeline/realtime/rollup.ts), so
 * 2,048 full buckets would not fit the function's 256 MB; 100,000 names (~40 MB at most) hold
 * ~110 full buckets or thousands of ordinary ones. Forgetting only costs a read.
 */
const KNOWN_NAMES = 100_000;

/** Bucket reads in flight at once for one chunk. */
const READ_CONCURRENCY = 16;

/** How long a chunk marker is kept: longer than the stream's 24 h retention. */
const MARKER_LIFETIME_SECONDS = 2 * 86_400;

/** Key attributes and the TTL attribute; every other attribute of a bucket is a counter cell. */
const RESERVED = new Set(['pk', 'sk', 'expiresAt']);

export interface RollupChunk {
  /** The first record's eventID: a redelivered chunk starts with the same record. */
  readonly firstEventId: string;
  /** The last record's sequence number: what the chunk covers when it is found applied. */
  readonly lastSequence: string;
  /**
   * Rollup key → delta; only cells to write (see `visibleFrom`). The key is the bucket's
   * partition key: the site id, or one of a split site's keys (pipeline/realtime/rollup-keys.ts).
   */
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

  /** What this process knows of each live bucket's named cells (`site\nminute` → names). */
  private readonly known = new Map<string, KnownNames>();
  /** Named cells held in `known`, bounded by KNOWN_NAMES. */
  private knownNames = 0;

  /**
   * Applies a chunk once. A transaction cancelled only by conflicts or throttling is tried again
   * (with backoff) until the deadline; one cancelled because a breakdown's cap filled meanwhile
   * is rebuilt from a fresh read. A bucket DynamoDB refuses as invalid is left out and the rest
   * applied, so one site's bucket never blocks the stream for every other site (the layout keeps
   * buckets far below 400 KB, so this is a last defence). Anything else throws a
   * WriteFailedError.
   */
  async applyChunk(chunk: RollupChunk, deadline: Deadline, nowMs: number): Promise<ChunkOutcome> {
    this.forgetBefore(epochMinute(nowMs));
    const dropped: string[] = [];
    const leftOut = new Set<string>();
    for (let attempt = 1; ; attempt += 1) {
      const plan = await this.plan(chunk, leftOut, deadline);
      const items = this.transactionItems(chunk, plan, nowMs);
      try {
        await withinDeadline(deadline, `TransactWriteItems ${this.tableName}`, (abortSignal) =>
          this.client.send(
            new TransactWriteItemsCommand({
              TransactItems: items,
              // The same transaction sent again within 10 minutes (an attempt whose answer was
              // lost) succeeds without applying twice.
              ClientRequestToken: requestToken(chunk, items),
            }),
            { abortSignal },
          ),
        );
        for (const bucket of plan) {
          if (bucket.known !== undefined) {
            this.remember(bucket.key, afterWrite(bucket.known, bucket.creating));
          }
        }
        return { kind: 'applied', buckets: items.length - 1, dropped };
      } catch (error) {
        if (!(error instanceof TransactionCanceledException)) throw error;
        const reasons = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
        if (reasons[0] === 'ConditionalCheckFailed') {
          return { kind: 'already-applied', lastSequence: await this.markedLast(chunk, deadline) };
        }
        const failing = reasons.filter((code) => code !== 'None').length;
        const invalid = reasons.flatMap((code, index) =>
          index > 0 && code === 'ValidationError' ? [index] : [],
        );
        if (invalid.length > 0 && invalid.length === failing) {
          for (const index of invalid) {
            const bucket = plan[index - 1];
            if (bucket === undefined) continue;
            leftOut.add(bucket.key);
            dropped.push(`${bucket.siteId}/${minuteKey(bucket.minute)}`);
          }
          continue;
        }
        // A cap condition failed: another writer opened cells since the read. Read again.
        const full = reasons.flatMap((code, index) =>
          index > 0 && code === 'ConditionalCheckFailed' ? [index] : [],
        );
        for (const index of full) {
          const bucket = plan[index - 1];
          if (bucket !== undefined) this.forget(bucket.key);
        }
        // No reasons at all is not a known transient answer: never retried blindly.
        const transient =
          reasons.length > 0 &&
          reasons.every(
            (code) =>
              code === 'None' ||
              code === 'ConditionalCheckFailed' ||
              RETRYABLE_CANCELLATIONS.has(code),
          );
        // The consumer's backoff (capped exponential, full jitter), never past the deadline.
        const retrying = transient && (await sleepWithin(deadline, backoffDelayMs(attempt)));
        if (!retrying) {
          throw new WriteFailedError(
            'TransactWriteItems',
            this.tableName,
            `chunk from ${chunk.firstEventId} cancelled after ${attempt} attempt(s) (reasons: ${reasons.join(', ') || 'none given'}; expected only conflicts, throttling or a cap filled meanwhile to retry)`,
            { cause: error },
          );
        }
      }
    }
  }

  /**
   * The cells each bucket of the chunk gets, names resolved against the cap: from what this
   * process knows, and for buckets where that is not enough, from one strongly consistent read.
   */
  private async plan(
    chunk: RollupChunk,
    leftOut: ReadonlySet<string>,
    deadline: Deadline,
  ): Promise<PlannedBucket[]> {
    const buckets: { key: string; siteId: string; minute: number; delta: BucketCells }[] = [];
    for (const [siteId, delta] of chunk.deltas) {
      for (const [minute, cells] of delta) {
        const key = bucketKey(siteId, minute);
        if (!leftOut.has(key)) buckets.push({ key, siteId, minute, delta: cells });
      }
    }
    const unknown = buckets.filter(
      (bucket) => resolveNames(bucket.delta, this.known.get(bucket.key)).kind === 'needs-read',
    );
    const read = await this.readKnown(unknown, deadline);
    return buckets.map((bucket) => {
      const known = read.get(bucket.key) ?? this.known.get(bucket.key);
      const resolution = resolveNames(bucket.delta, known);
      if (resolution.kind === 'needs-read') {
        throw new RollupContractError(
          `bucket ${bucket.siteId}/${bucket.minute} still needs a read after reading it (expected a fresh read to settle every name)`,
        );
      }
      return { ...bucket, cells: resolution.cells, creating: resolution.creating, known };
    });
  }

  /**
   * Strongly consistent reads of buckets: what each says of its named cells (fresh). One GetItem
   * per bucket, a few at a time — the function's role already allows GetItem on the table
   * (ROLLUP_TABLE_ACTIONS: infra/constructs/rollup-function.ts), BatchGetItem it does not.
   */
  private async readKnown(
    buckets: readonly { key: string; siteId: string; minute: number }[],
    deadline: Deadline,
  ): Promise<Map<string, KnownNames>> {
    const known = new Map<string, KnownNames>();
    const limit = pLimit(READ_CONCURRENCY);
    await Promise.all(
      buckets.map((bucket) =>
        limit(async () => {
          const output = await withinDeadline(
            deadline,
            `GetItem ${this.tableName}`,
            (abortSignal) =>
              this.client.send(
                new GetItemCommand({
                  TableName: this.tableName,
                  Key: { pk: { S: bucket.siteId }, sk: { S: minuteKey(bucket.minute) } },
                  ConsistentRead: true,
                }),
                { abortSignal },
              ),
          );
          const names = knownFromCells(
            output.Item === undefined ? new Map() : this.toBucket(output.Item).cells,
          );
          known.set(bucket.key, names);
          this.remember(bucket.key, names);
        }),
      ),
    );
    return known;
  }

  private remember(key: string, names: KnownNames): void {
    this.forget(key);
    this.known.set(key, { ...names, fresh: false });
    this.knownNames += names.cells.size;
    // Oldest first (Map order): forget the least recently written, never the one just learnt.
    while (
      (this.known.size > KNOWN_BUCKETS || this.knownNames > KNOWN_NAMES) &&
      this.known.size > 1
    ) {
      const oldest = this.known.keys().next().value;
      if (oldest === undefined) break;
      this.forget(oldest);
    }
  }

  private forget(key: string): void {
    const names = this.known.get(key);
    if (names === undefined) return;
    this.knownNames -= names.cells.size;
    this.known.delete(key);
  }

  /** Buckets of past minutes are written no more (`visibleFrom`): nothing to remember. */
  private forgetBefore(minute: number): void {
    for (const key of this.known.keys()) {
      if (Number(key.slice(key.lastIndexOf('\n') + 1)) < minute) this.forget(key);
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

  private transactionItems(
    chunk: RollupChunk,
    plan: readonly PlannedBucket[],
    nowMs: number,
  ): TransactWriteItem[] {
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
    for (const { siteId, minute, cells, creating } of plan) {
      if (cells.size > MAX_CELLS_PER_BUCKET + creating.size) {
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
      // Opening cells: the breakdown's counter must stay within the cap once raised.
      const conditions: string[] = [];
      for (const [kind, made] of creating)
        conditions.push(capCondition(kind, made.length, names, values));
      items.push({
        Update: {
          TableName: this.tableName,
          Key: { pk: { S: siteId }, sk: { S: minuteKey(minute) } },
          UpdateExpression: `SET #e = :e ADD ${adds.join(', ')}`,
          ...(conditions.length === 0 ? {} : { ConditionExpression: conditions.join(' AND ') }),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        },
      });
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

/**
 * Idempotency token of one transaction: the chunk and exactly what it writes (a rebuilt
 * transaction — buckets left out, names resolved anew — is another request to DynamoDB, and
 * the same token with other parameters would be refused).
 */
function requestToken(chunk: RollupChunk, items: readonly TransactWriteItem[]): string {
  return createHash('sha256')
    .update(`${chunk.firstEventId}\n${chunk.lastSequence}\n${JSON.stringify(items)}`)
    .digest('base64url')
    .slice(0, 36);
}

/** A bucket of a chunk with its cells to add and the cells it opens. */
interface PlannedBucket {
  readonly key: string;
  readonly siteId: string;
  readonly minute: number;
  readonly cells: BucketCells;
  readonly creating: ReadonlyMap<BreakdownKind, readonly string[]>;
  /** What the plan was made from (nothing: the bucket's cells needed no names resolved). */
  readonly known: KnownNames | undefined;
}

function bucketKey(siteId: string, minute: number): string {
  return `${siteId}\n${minute}`;
}

/** `N:<kind>` absent or low enough that opening `opening` cells keeps it within the cap. */
function capCondition(
  kind: BreakdownKind,
  opening: number,
  names: Record<string, string>,
  values: Record<string, AttributeValue>,
): string {
  names[`#n${kind}`] = namesCounterCell(kind);
  values[`:n${kind}`] = { N: String(NAMES_PER_BREAKDOWN - opening) };
  return `(attribute_not_exists(#n${kind}) OR #n${kind} <= :n${kind})`;
}

/** The table holds something the rollup never writes: a bug or a foreign writer, not transient. */
export class RollupContractError extends Error {
  override readonly name = 'RollupContractError';
}
