// Takes one batch of a lane from first invocation to the end: success, retries, bisection,
// age split and on-failure destination, applying the pure plans of failure-policy.ts. The lane
// waits for it, which is how Lambda blocks a shard (or, with ParallelizationFactor, a key range)
// on a failing batch.
import { randomUUID } from 'node:crypto';
import { sleep } from './abortable-wait';
import { FailureDestinationError } from './errors';
import { buildFailureRecord } from './failure-record';
import { planAfterInvoke, splitByAge, type Chunk } from './failure-policy';
import { interpretInvocation } from './handler-response';
import type { InvocationReport } from './invoke-handler';
import type { FailureCondition, FailureDestination, StreamRecord } from './ports';
import type { ResolvedSettings, SourceKind } from './settings';
import type { MappingCounters } from './stats';

export interface QueuedRecord<E = unknown> {
  readonly record: StreamRecord<E>;
  /** Position in the shard's checkpoint tracker. */
  readonly position: number;
  readonly readAtMs: number;
  readonly payloadBytes: number;
}

export interface BatchProcessorDeps<E> {
  readonly kind: SourceKind;
  readonly shardId: string;
  readonly streamArn: string;
  readonly functionArn: string;
  readonly settings: ResolvedSettings;
  readonly invoke: (records: ReadonlyArray<StreamRecord<E>>) => Promise<InvocationReport>;
  readonly destination: FailureDestination | undefined;
  /** Clock for record age and on-failure timestamps (tests shift it to age records). */
  readonly clock: () => number;
  readonly retryBackoffMs: (attempt: number) => number;
  readonly signal: AbortSignal;
  readonly counters: MappingCounters;
  readonly onError: (error: Error) => void;
  /** Records that are finished (delivered, or handed to the destination / discarded). */
  readonly onDone: (records: ReadonlyArray<QueuedRecord<E>>) => void;
}

/**
 * Processes `batch` until every record is done, or until the mapping stops. After stop() no new
 * invocation starts; the one in flight is awaited and its successes are still acknowledged, and
 * whatever is not done stays behind the checkpoint, to be delivered again after a restart.
 */
export async function processBatch<E>(
  batch: ReadonlyArray<QueuedRecord<E>>,
  deps: BatchProcessorDeps<E>,
): Promise<void> {
  const { settings, counters, signal } = deps;
  const chunks: Array<Chunk<QueuedRecord<E>>> = [
    { records: batch, retriesUsed: 0, invokeCount: 0 },
  ];
  for (let head = chunks[0]; head !== undefined; head = chunks[0]) {
    if (signal.aborted) return;
    let chunk = head;
    const { expired, fresh } = splitByAge(
      chunk.records,
      (queued) => queued.record.arrivalMs,
      deps.clock(),
      settings.maximumRecordAgeMs,
    );
    if (expired.length > 0) {
      counters.recordsAgedOut += expired.length;
      if (!(await sendToDestination('RecordAgeExceeded', { ...chunk, records: expired }, deps)))
        return;
      chunk = { ...chunk, records: fresh };
      chunks[0] = chunk;
      if (fresh.length === 0) {
        chunks.shift();
        continue;
      }
    }

    const report = await deps.invoke(chunk.records.map((queued) => queued.record));
    countInvocation(report, counters);
    const outcome = interpretInvocation(
      report.result,
      chunk.records.map((queued) => queued.record.sequenceNumber),
      settings.reportBatchItemFailures,
    );
    if (outcome.kind === 'partial') counters.partialFailures += 1;
    if (outcome.kind === 'failure' && report.result.kind === 'returned')
      counters.invalidResponses += 1;

    const invoked: Chunk<QueuedRecord<E>> = {
      ...chunk,
      invokeCount: chunk.invokeCount + 1,
      lastRequestId: report.requestId,
      lastResponse: report.responseContext,
    };
    const plan = planAfterInvoke(invoked, outcome, settings);
    if (plan.done.length > 0) {
      counters.recordsSucceeded += plan.done.length;
      deps.onDone(plan.done);
    }
    chunks.splice(0, 1, ...plan.next);
    if (plan.step === 'bisect' || plan.step === 'bisect-at-failure') counters.bisects += 1;
    if (plan.exhausted !== undefined) {
      counters.recordsRetriesExhausted += plan.exhausted.records.length;
      if (!(await sendToDestination('RetryAttemptsExhausted', plan.exhausted, deps))) return;
    }
    if (plan.backoffAttempt !== undefined) {
      counters.retries += 1;
      await sleep(deps.retryBackoffMs(plan.backoffAttempt), signal);
    }
  }
}

function countInvocation(report: InvocationReport, counters: MappingCounters): void {
  counters.invocations += 1;
  if (report.result.kind === 'threw') counters.functionErrors += 1;
  if (report.result.kind === 'timed-out') counters.timeouts += 1;
}

/**
 * Hands a chunk to the on-failure destination (or discards it when none is configured, as Lambda
 * does). A failed write is retried with backoff: acknowledging records the destination never
 * received would lose them. Returns false when the mapping stopped first.
 */
async function sendToDestination<E>(
  condition: FailureCondition,
  chunk: Chunk<QueuedRecord<E>>,
  deps: BatchProcessorDeps<E>,
): Promise<boolean> {
  const { counters } = deps;
  const records = chunk.records;
  if (deps.destination === undefined) {
    counters.recordsDiscarded += records.length;
    deps.onDone(records);
    return true;
  }
  const invoked = chunk.invokeCount > 0;
  const document = buildFailureRecord({
    kind: deps.kind,
    condition,
    requestId: invoked && chunk.lastRequestId !== undefined ? chunk.lastRequestId : randomUUID(),
    functionArn: deps.functionArn,
    approximateInvokeCount: chunk.invokeCount,
    responseContext: invoked ? chunk.lastResponse : undefined,
    timestampMs: deps.clock(),
    shardId: deps.shardId,
    streamArn: deps.streamArn,
    records: records.map((queued) => queued.record),
  });
  for (let attempt = 0; ; attempt += 1) {
    if (deps.signal.aborted) return false;
    try {
      await deps.destination.send(document, deps.signal);
      counters.destinationRecordsWritten += 1;
      counters.recordsToDestination += records.length;
      deps.onDone(records);
      return true;
    } catch (error) {
      counters.destinationErrors += 1;
      deps.onError(
        new FailureDestinationError(
          `writing the ${condition} record for ${records.length} record(s) of ${deps.shardId} to ${deps.destination.target} failed (attempt ${attempt + 1}); the records stay unacknowledged and the write is retried`,
          deps.destination.target,
          { cause: error },
        ),
      );
      await sleep(deps.retryBackoffMs(attempt), deps.signal);
    }
  }
}
