// Lambda's retry / bisect / age rules for a stream batch, as pure functions over "chunks" (the
// records one invocation carries). The batch processor applies the plan; these functions decide.
//
// The model (AWS docs, DESIGN.md section 5):
// - A failed chunk is retried as a whole; each retry consumes one of MaximumRetryAttempts
//   (-1 = infinite). When retries are used up the chunk goes to the on-failure destination.
// - BisectBatchOnFunctionError splits a failed chunk of two or more records into halves, each
//   processed in order; splitting does not consume retries. A single record that keeps failing
//   uses up its retries and goes to the destination alone — the rest of the batch is delivered.
// - ReportBatchItemFailures: records before the lowest failed one are done; the rest is re-sent
//   (a retry). With bisect on, the batch is split at the returned sequence number instead: the
//   rest is re-sent without consuming a retry. When the lowest failed record is the first one,
//   nothing progressed, so it is an ordinary failure (retry, or bisect into halves) — otherwise a
//   poison first record would loop forever without consuming retries.
// - Before every invocation, records older than MaximumRecordAgeInSeconds are split off to the
//   destination; the fresh records of the same chunk are still invoked.
import { match } from 'ts-pattern';
import type { BatchOutcome } from './handler-response';
import type { ResponseContext } from './ports';

export interface Chunk<T> {
  readonly records: ReadonlyArray<T>;
  /** Retries consumed so far (bisect halves inherit their parent's count). */
  readonly retriesUsed: number;
  /** Invocations that carried these records, for approximateInvokeCount. */
  readonly invokeCount: number;
  readonly lastRequestId?: string | undefined;
  readonly lastResponse?: ResponseContext | undefined;
}

export interface FailurePolicySettings {
  readonly bisectBatchOnFunctionError: boolean;
  /** Infinity for -1. */
  readonly maximumRetryAttempts: number;
}

export type PlanStep = 'completed' | 'retry' | 'bisect' | 'bisect-at-failure' | 'exhausted';

export interface Plan<T> {
  readonly step: PlanStep;
  /** Head records of the chunk that are done (delivered successfully). */
  readonly done: ReadonlyArray<T>;
  /** Chunks to process next, in order, before anything after them. */
  readonly next: ReadonlyArray<Chunk<T>>;
  /** A chunk whose retries are used up: it goes to the on-failure destination. */
  readonly exhausted?: Chunk<T> | undefined;
  /** Set on a retry: how many retries preceded it, for the backoff delay. */
  readonly backoffAttempt?: number | undefined;
}

export function planAfterInvoke<T>(
  chunk: Chunk<T>,
  outcome: BatchOutcome,
  settings: FailurePolicySettings,
): Plan<T> {
  return match(outcome)
    .with({ kind: 'success' }, (): Plan<T> => ({
      step: 'completed',
      done: chunk.records,
      next: [],
    }))
    .with({ kind: 'failure' }, () => planFailure(chunk, [], settings))
    .with({ kind: 'partial' }, ({ failedIndex }): Plan<T> => {
      if (failedIndex === 0) return planFailure(chunk, [], settings);
      const done = chunk.records.slice(0, failedIndex);
      const rest: Chunk<T> = { ...chunk, records: chunk.records.slice(failedIndex) };
      return settings.bisectBatchOnFunctionError
        ? { step: 'bisect-at-failure', done, next: [rest] }
        : planFailure(rest, done, settings);
    })
    .exhaustive();
}

function planFailure<T>(
  chunk: Chunk<T>,
  done: ReadonlyArray<T>,
  settings: FailurePolicySettings,
): Plan<T> {
  if (settings.bisectBatchOnFunctionError && chunk.records.length > 1) {
    const middle = Math.ceil(chunk.records.length / 2);
    return {
      step: 'bisect',
      done,
      next: [
        { ...chunk, records: chunk.records.slice(0, middle) },
        { ...chunk, records: chunk.records.slice(middle) },
      ],
    };
  }
  if (chunk.retriesUsed >= settings.maximumRetryAttempts) {
    return { step: 'exhausted', done, next: [], exhausted: chunk };
  }
  return {
    step: 'retry',
    done,
    next: [{ ...chunk, retriesUsed: chunk.retriesUsed + 1 }],
    backoffAttempt: chunk.retriesUsed,
  };
}

/** Splits off records older than the maximum age (Infinity = never), keeping order in both. */
export function splitByAge<T>(
  records: ReadonlyArray<T>,
  arrivalMs: (record: T) => number,
  nowMs: number,
  maximumRecordAgeMs: number,
): { readonly expired: ReadonlyArray<T>; readonly fresh: ReadonlyArray<T> } {
  if (!Number.isFinite(maximumRecordAgeMs)) return { expired: [], fresh: records };
  const expired: T[] = [];
  const fresh: T[] = [];
  for (const record of records) {
    (nowMs - arrivalMs(record) > maximumRecordAgeMs ? expired : fresh).push(record);
  }
  return { expired, fresh };
}
