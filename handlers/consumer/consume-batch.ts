/**
 * One Kinesis batch: pure pipeline, then the writes in the order that keeps every state
 * reachable from a crash at any point:
 *
 * 1. raw events and bad rows (BatchWriteItem ≤ 25, deterministic keys: a redelivery overwrites);
 * 2. per session, Sessions (version-guarded, only events whose raw row is stored) and then its
 *    ActiveSessions projection (idempotent, never rolled back).
 *
 * Writes run with bounded concurrency (p-limit) inside a deadline taken from the remaining
 * time. Transient failures (throttling, 5xx, unprocessed items left at the deadline, slow
 * calls) make their records fail: the answer names the lowest failed sequence number, so
 * Lambda re-sends from there and nothing after it is reported done. Bad data never fails the
 * batch (it is a bad row) — also when only DynamoDB can tell: an event item it refuses as
 * invalid (ValidationException, isolated from the good items of its request) becomes an
 * `unwritable` bad row in the same invocation, and a session item it refuses is reported in
 * `rejectedSessions` and not retried. Anything else — a bug, a crash — escapes the invocation,
 * and Lambda retries the whole batch, which is safe because every write is idempotent or guarded.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import pLimit from 'p-limit';
import type { SessionDelta } from '../../pipeline/coalesce';
import { unwritableBadRow } from '../../pipeline/bad-rows';
import { toBadRowItem } from '../../pipeline/items';
import type { KinesisInputRecord } from '../../pipeline/kinesis-record';
import { foldEvents } from '../../pipeline/session-aggregate';
import type { BatchProcessor, BatchStats } from '../../pipeline/process-batch';
import type { BadRow } from '../../schemas';
import type { ShardPlan } from '../../schemas/shard-plan';
import { BadRowPayloadStore } from '../adapters/bad-row-payloads';
import { type FailedPut, type PutRequest, batchWriteAll } from '../adapters/batch-write';
import { type Backoff, type Deadline, deadlineFrom, shareOf } from '../adapters/deadline';
import { DynamoActiveSessionStore } from '../adapters/dynamo-active-session-store';
import { DynamoSessionStore } from '../adapters/dynamo-session-store';
import { toItem } from '../adapters/item-codec';
import { isPermanentWriteError, isWriteFailure } from '../adapters/write-errors';
import { batchResponse } from './batch-item-failures';
import type { SessionCache } from './session-cache';
import { writeSession } from './write-session';

/** Share of the invocation's time budget that raw writes (with their retries) may use. */
export const RAW_PHASE_SHARE = 0.5;

export interface ConsumerTables {
  readonly events: string;
  readonly sessions: string;
  readonly activeSessions: string;
  readonly badRows: string;
  /** Bucket for oversized bad-row payloads (the on-failure destination's bucket). */
  readonly failureBucket: string;
  /** The stage's shard plan (each site's ActiveSessions shards), or one count for all. */
  readonly activeSessionShards: ShardPlan | number;
}

export interface ConsumerDeps {
  readonly dynamodb: DynamoDBClient;
  readonly s3: S3Client;
  readonly tables: ConsumerTables;
  readonly process: BatchProcessor;
  readonly cache: SessionCache;
  /** Concurrent requests per invocation (default 16; below the clients' socket pool). */
  readonly concurrency?: number;
  readonly backoff?: Backoff;
}

export interface BatchReport {
  readonly stats: BatchStats;
  /** Sequence numbers whose writes failed (transient); Lambda re-sends from the lowest. */
  readonly failedSequenceNumbers: readonly string[];
  readonly sessionWrites: number;
  readonly sessionsUnchanged: number;
  readonly activeSessionWrites: number;
  /**
   * What this invocation really wrote, for operators' counts (npm start's live line): `stats`
   * counts what the pipeline made of the records, also when the writes then failed.
   */
  readonly written: WrittenCounts;
  /**
   * Sessions whose Sessions or ActiveSessions item DynamoDB refused as invalid: their raw rows
   * are stored, the session does not count them, and they are not retried (it could never
   * succeed). Expected 0; anything else is worth an alarm.
   */
  readonly rejectedSessions: number;
  readonly firstError?: string;
  /** The first permanent refusal (an unwritable event or a rejected session), if any. */
  readonly firstRejection?: string;
}

export interface WrittenCounts {
  /** Events applied to their session for the first time (their raw row is stored). */
  readonly newEvents: number;
  /**
   * Events written again that their session had already applied (a redelivery or a producer's
   * re-send: the raw row is overwritten, nothing counts twice), plus records repeating an event
   * of the same batch.
   */
  readonly repeatedEvents: number;
  /** Bad rows written. */
  readonly badRows: number;
}

export interface ConsumerResult {
  readonly response: KinesisStreamBatchResponse;
  readonly report: BatchReport;
}

export async function consumeBatch(
  event: KinesisStreamEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
  deps: ConsumerDeps,
): Promise<ConsumerResult> {
  const deadline = deadlineFrom(context.getRemainingTimeInMillis());
  const limit = pLimit(deps.concurrency ?? 16);
  const batch = deps.process(event.Records);
  const failed = new Set<string>();
  let firstError: string | undefined;
  const noteFailure = (sequenceNumbers: Iterable<string>, error: unknown): void => {
    for (const sequenceNumber of sequenceNumbers) failed.add(sequenceNumber);
    firstError ??= describeError(error);
  };
  let firstRejection: string | undefined;

  // Which records carried each event (a producer's double-put makes two records of one event).
  const recordsOfEvent = new Map<string, string[]>();
  for (const outcome of batch.outcomes) {
    if (outcome.kind !== 'stored') continue;
    const records = recordsOfEvent.get(outcome.eventId) ?? [];
    records.push(outcome.sequenceNumber);
    recordsOfEvent.set(outcome.eventId, records);
  }

  // 1. Raw events and bad rows, sharing BatchWriteItem requests.
  const badRowPuts = await settleAll(
    batch.badRows.map((row) => limit(() => badRowPut(row, deps, deadline))),
  );
  // An item that cannot even be encoded is refused here, like one DynamoDB refuses.
  const refused: FailedPut<RawTag>[] = [];
  const rawPuts: PutRequest<RawTag>[] = [];
  for (const item of batch.eventItems) {
    const table = deps.tables.events;
    const tags: RawTag[] = [{ kind: 'event', eventId: item.eventId }];
    try {
      rawPuts.push({ table, item: toItem(item), tags });
    } catch (error) {
      if (!isPermanentWriteError(error)) throw error;
      refused.push({ table, tags, error: error as Error, permanent: true });
    }
  }
  badRowPuts.forEach((settled, index) => {
    const row = batch.badRows[index] as BadRow;
    if (settled.ok) rawPuts.push(settled.value);
    else noteFailure([row.origin.sequenceNumber], settled.error);
  });
  const raw = await batchWriteAll(deps.dynamodb, rawPuts, {
    // Retrying unprocessed items may take at most half of the time left: the sessions of
    // everything that did get stored should still be written in this invocation.
    deadline: shareOf(deadline, RAW_PHASE_SHARE),
    limit,
    ...backoffOf(deps),
  });
  const unstoredEvents = new Set<string>();
  const unwritable: BadRow[] = [];
  for (const put of [...refused, ...raw.failed]) {
    for (const tag of put.tags) {
      if (tag.kind === 'event') unstoredEvents.add(tag.eventId);
      const sequenceNumbers =
        tag.kind === 'event' ? (recordsOfEvent.get(tag.eventId) ?? []) : [tag.sequenceNumber];
      // A refused bad-row item is a bug of ours (its payload is base64): retried, not hidden.
      if (!put.permanent || tag.kind === 'bad-row') {
        noteFailure(sequenceNumbers, put.error);
        continue;
      }
      firstRejection ??= describeError(put.error);
      const item = batch.eventItems.find((e) => e.eventId === tag.eventId);
      for (const sequenceNumber of sequenceNumbers) {
        // Rare (hostile data only): a scan beats building an index for every batch.
        const input = event.Records.find((r) => r.kinesis.sequenceNumber === sequenceNumber);
        unwritable.push(
          unwritableBadRow(
            input as KinesisInputRecord,
            { siteId: item?.siteId, eventId: tag.eventId },
            describeError(put.error),
          ),
        );
      }
    }
  }

  // 1b. Events the store refused for good become bad rows now, with their original records.
  const unwritablePuts = await settleAll(
    unwritable.map((row) => limit(() => badRowPut(row, deps, deadline))),
  );
  const unwritableRows = await batchWriteAll(
    deps.dynamodb,
    unwritablePuts.flatMap((settled, index) => {
      if (settled.ok) return [settled.value];
      noteFailure([(unwritable[index] as BadRow).origin.sequenceNumber], settled.error);
      return [];
    }),
    { deadline: shareOf(deadline, RAW_PHASE_SHARE), limit, ...backoffOf(deps) },
  );
  for (const put of unwritableRows.failed) {
    noteFailure(
      put.tags.flatMap((tag) => (tag.kind === 'bad-row' ? [tag.sequenceNumber] : [])),
      put.error,
    );
  }

  // 2. Sessions, then each session's ActiveSessions projection.
  const sessionDeps = {
    sessions: new DynamoSessionStore(deps.dynamodb, deps.tables.sessions, deadline),
    activeSessions: new DynamoActiveSessionStore(
      deps.dynamodb,
      deps.tables.activeSessions,
      deadline,
    ),
    cache: deps.cache,
    activeSessionShards: deps.tables.activeSessionShards,
  };
  // A session never counts an event whose raw row is not stored: its record is re-sent anyway.
  const deltas = batch.sessionDeltas
    .map((delta) => withoutEvents(delta, unstoredEvents))
    .filter((delta): delta is SessionDelta => delta !== undefined);
  const outcomes = await settleAll(
    deltas.map((delta) => limit(() => writeSession(delta, sessionDeps))),
  );
  let sessionWrites = 0;
  let sessionsUnchanged = 0;
  let activeSessionWrites = 0;
  let newEvents = 0;
  let repeatedEvents = batch.stats.duplicates;
  let rejectedSessions = 0;
  outcomes.forEach((settled, index) => {
    const delta = deltas[index] as SessionDelta;
    if (!settled.ok && isPermanentWriteError(settled.error)) {
      rejectedSessions += 1;
      firstRejection ??= `${delta.pk}: ${describeError(settled.error)}`;
      return;
    }
    if (!settled.ok) {
      noteFailure(
        delta.events.flatMap((e) => recordsOfEvent.get(e.eventId) ?? []),
        settled.error,
      );
      return;
    }
    sessionWrites += settled.value.sessionWrites;
    if (settled.value.newlyApplied === 0) sessionsUnchanged += 1;
    activeSessionWrites += 1;
    newEvents += settled.value.newlyApplied;
    repeatedEvents += delta.events.length - settled.value.newlyApplied;
  });
  const badRowsWritten =
    badRowPuts.filter((settled) => settled.ok).length -
    raw.failed.filter((put) => put.tags.some((tag) => tag.kind === 'bad-row')).length +
    unwritablePuts.filter((settled) => settled.ok).length -
    unwritableRows.failed.length;

  const failedSequenceNumbers = [...failed];
  return {
    response: batchResponse(failedSequenceNumbers),
    report: {
      stats: batch.stats,
      failedSequenceNumbers,
      sessionWrites,
      sessionsUnchanged,
      activeSessionWrites,
      written: { newEvents, repeatedEvents, badRows: badRowsWritten },
      rejectedSessions,
      ...(firstError === undefined ? {} : { firstError }),
      ...(firstRejection === undefined ? {} : { firstRejection }),
    },
  };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function backoffOf(deps: ConsumerDeps): { backoff?: Backoff } {
  return deps.backoff === undefined ? {} : { backoff: deps.backoff };
}

type RawTag =
  | { readonly kind: 'event'; readonly eventId: string }
  | { readonly kind: 'bad-row'; readonly sequenceNumber: string };

async function badRowPut(
  row: BadRow,
  deps: ConsumerDeps,
  deadline: Deadline,
): Promise<PutRequest<RawTag>> {
  const payloads = new BadRowPayloadStore(deps.s3, deps.tables.failureBucket, deadline);
  const item = await payloads.prepare(toBadRowItem(row));
  return {
    table: deps.tables.badRows,
    item: toItem(item),
    tags: [{ kind: 'bad-row', sequenceNumber: row.origin.sequenceNumber }],
  };
}

function withoutEvents(
  delta: SessionDelta,
  eventIds: ReadonlySet<string>,
): SessionDelta | undefined {
  if (eventIds.size === 0) return delta;
  const events = delta.events.filter((event) => !eventIds.has(event.eventId));
  if (events.length === 0) return undefined;
  // The summary is the fold of the delta's events: narrowed events need their own.
  return events.length === delta.events.length
    ? delta
    : { ...delta, events, summary: foldEvents(events) };
}

type Settled<T> =
  { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: unknown };

/**
 * Waits for every task, so no write of this invocation is still running when it answers; then
 * rethrows the first error that is not a failed write (a bug or a crash must fail the
 * invocation, not be logged and skipped), else returns each outcome.
 */
async function settleAll<T>(tasks: readonly Promise<T>[]): Promise<Settled<T>[]> {
  const settled = await Promise.allSettled(tasks);
  const fatal = settled.find(
    (result): result is PromiseRejectedResult =>
      result.status === 'rejected' && !isWriteFailure(result.reason),
  );
  if (fatal !== undefined) throw fatal.reason;
  return settled.map((result) =>
    result.status === 'fulfilled'
      ? { ok: true, value: result.value }
      : { ok: false, error: result.reason },
  );
}
