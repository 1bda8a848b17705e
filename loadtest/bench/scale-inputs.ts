/**
 * The scale model's per-event and per-session inputs, MEASURED by running the real pipeline on
 * the reference workload (loadtest/workload): the consumer's pure batch step (`processBatch` →
 * `planSessionUpdate`, the same calls the Lambda makes) on the records cut into live batches,
 * with an in-memory Sessions store; every write it plans is counted and sized with DynamoDB's
 * item-size rules (`itemSize` on the marshalled item), and every ActiveSessions change is fed to
 * the realtime rollup's own `changeDelta` and `cutChunk`, whose buckets are sized the same way.
 * Nothing here is timed: counts and bytes only.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import { itemSize, writeUnits, type Item } from '../../handlers/adapters/item-size';
import { dailySalt } from '../../handlers/adapters/daily-salt';
import { minuteKey } from '../../handlers/adapters/dynamo-realtime-rollups';
import { cutChunk, type RecordDelta } from '../../handlers/rollup/rollup-batch';
import { createBatchProcessor } from '../../pipeline/process-batch';
import { planSessionUpdate } from '../../pipeline/session-update';
import { changeDelta, mergeInto, type SiteDelta } from '../../pipeline/realtime/rollup';
import type { VersionedSession } from '../../pipeline/ports';
import type { ActiveSessionItem } from '../../schemas';
import { generateWorkload, type WorkloadOptions } from '../workload';

/** A live consumer batch: enhanced fan-out pushes records as they arrive and the mapping has no
 * batching window (CONSUMER_MAPPING_SETTINGS), so a batch holds about a second of a shard. */
export const LIVE_BATCH_MS = 1000;

/** DynamoDB bills a GSI entry as its key attributes plus 100 bytes of index overhead
 * (developer guide, "Provisioned throughput considerations for global secondary indexes"). */
export const INDEX_ENTRY_OVERHEAD_BYTES = 100;

export interface MeasuredInputs {
  /** Records the run put through the pipeline. */
  readonly records: number;
  readonly sessions: number;
  /** Kinesis bytes per record: the edge record's JSON plus its partition key (both count). */
  readonly recordBytes: number;
  /** Distinct events per session. */
  readonly eventsPerSession: number;
  /** Mean events of one session in one live batch (writes per session per batch = 1 / this). */
  readonly eventsPerSessionPerBatch: number;
  /** Mean write units of one Sessions write and one ActiveSessions write (each rounded up per write). */
  readonly sessionWcu: number;
  readonly activeSessionWcu: number;
  /** Largest ActiveSessions item seen, bytes. */
  readonly maxActiveSessionBytes: number;
  /** Write units of one bySiteDay index entry (KEYS_ONLY: base key + index keys + overhead). */
  readonly indexEntryWcu: number;
  /** Index entries per session (written when a session's first Sessions write lands). */
  readonly indexEntriesPerSession: number;
  /** The busiest rollup bucket's item size, KB (cells as the rollup writes them). */
  readonly bucketKb: number;
  /** Sessions that were live at once in the run (what `bucketKb` was measured at). */
  readonly concurrentSessions: number;
  /** Transactions (chunks) per rollup invocation of `recordsPerInvocation` records, mean. */
  readonly chunksPerInvocation: number;
  readonly recordsPerInvocation: number;
}

/**
 * Runs the pipeline on a workload of `sessions` sessions with `concurrentSessions` live at once
 * and measures. `recordsPerInvocation`: how many ActiveSessions stream records one rollup
 * invocation of the hot site holds at the traffic being modelled.
 */
export function measureInputs(
  options: Partial<WorkloadOptions> & { recordsPerInvocation?: number } = {},
): MeasuredInputs {
  const { recordsPerInvocation = 100, ...overrides } = options;
  const workload = generateWorkload({ duplicateRate: 0, lateRate: 0, ...overrides });
  const records = workload.kinesisRecords;
  let now = 0;
  // One processor for the run, as a warm Lambda keeps one (its memo caches live across batches).
  const processor = createBatchProcessor({
    clock: { now: () => now },
    salt: dailySalt('scale-model-salt-secret'),
  });

  let recordBytes = 0;
  for (const record of records) {
    recordBytes +=
      Buffer.from(record.kinesis.data, 'base64').byteLength +
      Buffer.byteLength(record.kinesis.partitionKey);
  }

  const store = new Map<string, VersionedSession>();
  const active = new Map<string, ActiveSessionItem>();
  let sessionDeltas = 0;
  let sessionWrites = 0;
  let sessionUnits = 0;
  let activeWrites = 0;
  let activeUnits = 0;
  let maxActiveBytes = 0;
  let indexEntries = 0;
  let indexUnits = 0;
  const changes: RecordDelta[] = [];
  const buckets: SiteDelta = new Map();
  const cells = new Map<number, Set<string>>();

  let start = 0;
  while (start < records.length) {
    const first = records[start];
    if (first === undefined) break;
    const windowEnd = first.kinesis.approximateArrivalTimestamp * 1000 + LIVE_BATCH_MS;
    let end = start;
    while (
      end < records.length &&
      (records[end]?.kinesis.approximateArrivalTimestamp ?? 0) * 1000 < windowEnd
    ) {
      end += 1;
    }
    now = windowEnd;
    const batch = processor(records.slice(start, end));
    for (const delta of batch.sessionDeltas) {
      sessionDeltas += 1;
      const stored = store.get(delta.pk);
      const update = planSessionUpdate(stored, delta, 1);
      if (update.kind !== 'write') continue;
      const sessionBytes = itemSize(marshall(update.session, { removeUndefinedValues: true }));
      sessionWrites += 1;
      sessionUnits += writeUnits(sessionBytes);
      if (stored === undefined) {
        indexEntries += 1;
        indexUnits += writeUnits(
          itemSize(
            marshall({
              pk: update.session.pk,
              siteDay: update.session.siteDay,
              startedAt: update.session.startedAt,
            }),
          ) + INDEX_ENTRY_OVERHEAD_BYTES,
        );
      }
      store.set(delta.pk, { item: update.session, version: update.session.version });
      const activeBytes = itemSize(
        marshall(update.active, { removeUndefinedValues: true }) as Item,
      );
      activeWrites += 1;
      activeUnits += writeUnits(activeBytes);
      maxActiveBytes = Math.max(maxActiveBytes, activeBytes);
      const before = active.get(delta.pk);
      active.set(delta.pk, update.active);
      const change = changeDelta(before, update.active);
      changes.push({
        eventId: `${changes.length}`,
        sequenceNumber: String(changes.length + 1),
        siteId: update.active.siteId,
        delta: change,
      });
      // ADD keeps a cell that sums to 0: a bucket holds every cell it was ever given.
      for (const [minute, minuteCells] of change) {
        let names = cells.get(minute);
        if (names === undefined) cells.set(minute, (names = new Set()));
        for (const name of minuteCells.keys()) names.add(name);
      }
      mergeInto(buckets, change);
    }
    start = end;
  }

  let busiest = 0;
  for (const [minute, names] of cells) {
    const item: Item = {
      pk: { S: workload.options.siteId },
      sk: { S: minuteKey(minute) },
      expiresAt: { N: String(minute * 60 + 3600) },
    };
    for (const name of names) {
      item[name] = { N: String(buckets.get(minute)?.get(name) ?? 0) };
    }
    busiest = Math.max(busiest, itemSize(item));
  }

  let chunks = 0;
  let invocations = 0;
  for (let from = 0; from < changes.length; from += recordsPerInvocation) {
    const slice = changes.slice(from, from + recordsPerInvocation);
    invocations += 1;
    let at = 0;
    while (at < slice.length) {
      at = cutChunk(slice, at).end;
      chunks += 1;
    }
  }

  const sessions = workload.sessions.length;
  return {
    records: records.length,
    sessions,
    recordBytes: recordBytes / records.length,
    eventsPerSession: workload.sessions.reduce((n, s) => n + s.events.length, 0) / sessions,
    eventsPerSessionPerBatch: records.length / sessionDeltas,
    sessionWcu: sessionUnits / sessionWrites,
    activeSessionWcu: activeUnits / activeWrites,
    maxActiveSessionBytes: maxActiveBytes,
    indexEntryWcu: indexUnits / indexEntries,
    indexEntriesPerSession: indexEntries / sessions,
    bucketKb: busiest / 1024,
    concurrentSessions: workload.options.concurrentSessions,
    chunksPerInvocation: chunks / invocations,
    recordsPerInvocation,
  };
}
