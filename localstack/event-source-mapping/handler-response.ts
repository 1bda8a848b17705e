// How Lambda reads a stream handler's answer (DESIGN.md section 5, ReportBatchItemFailures).
// Pure: the invocation result and the batch's sequence numbers in, a batch outcome out.
import { match } from 'ts-pattern';

/** What came back from one invocation of the handler. */
export type InvocationResult =
  | { readonly kind: 'returned'; readonly value: unknown }
  | { readonly kind: 'threw'; readonly error: unknown }
  | { readonly kind: 'timed-out'; readonly timeoutMs: number };

export type BatchOutcome =
  /** Every record is done. */
  | { readonly kind: 'success' }
  /** Records before `failedIndex` are done; Lambda re-sends from the lowest failed record on. */
  | { readonly kind: 'partial'; readonly failedIndex: number }
  /** Nothing in the batch is done. */
  | { readonly kind: 'failure'; readonly reason: string };

/**
 * Without ReportBatchItemFailures any returned value is success. With it, Lambda accepts `""`,
 * `[]`, `null`, `{}`, `{batchItemFailures: []}` and `{batchItemFailures: null}` as success; an
 * itemIdentifier that is empty, null, under another key or not in the batch fails the whole
 * batch. Anything else it cannot read as a batch response is treated as a failure too, so a
 * malformed answer never acknowledges records by accident.
 */
export function interpretInvocation(
  result: InvocationResult,
  sequenceNumbers: ReadonlyArray<string>,
  reportBatchItemFailures: boolean,
): BatchOutcome {
  return match(result)
    .with({ kind: 'threw' }, ({ error }) => failure(`handler threw: ${describeError(error)}`))
    .with({ kind: 'timed-out' }, ({ timeoutMs }) =>
      failure(`handler did not settle within the function timeout of ${timeoutMs} ms`),
    )
    .with({ kind: 'returned' }, ({ value }) =>
      reportBatchItemFailures
        ? interpretBatchResponse(value, sequenceNumbers)
        : ({ kind: 'success' } as const),
    )
    .exhaustive();
}

function interpretBatchResponse(
  value: unknown,
  sequenceNumbers: ReadonlyArray<string>,
): BatchOutcome {
  if (value === undefined || value === null || value === '') return { kind: 'success' };
  if (Array.isArray(value)) {
    return value.length === 0
      ? { kind: 'success' }
      : failure(
          `response is a non-empty array ${preview(value)}, expected {batchItemFailures: [...]}`,
        );
  }
  if (typeof value !== 'object') {
    return failure(
      `response ${preview(value)} is not a batch response, expected {batchItemFailures: [...]}`,
    );
  }
  const failures: unknown = (value as { batchItemFailures?: unknown }).batchItemFailures;
  if (failures === undefined || failures === null) return { kind: 'success' };
  if (!Array.isArray(failures)) {
    return failure(
      `batchItemFailures is ${preview(failures)}, expected an array of {itemIdentifier}`,
    );
  }
  const positions = new Map(sequenceNumbers.map((seq, index) => [seq, index] as const));
  let lowest = Infinity;
  for (const item of failures) {
    const identifier: unknown =
      typeof item === 'object' && item !== null
        ? (item as { itemIdentifier?: unknown }).itemIdentifier
        : undefined;
    if (typeof identifier !== 'string' || identifier === '') {
      return failure(
        `batchItemFailures entry ${preview(item)} has no non-empty string itemIdentifier; Lambda fails the whole batch`,
      );
    }
    const index = positions.get(identifier);
    if (index === undefined) {
      return failure(
        `itemIdentifier ${JSON.stringify(identifier)} is not a sequence number of this batch; Lambda fails the whole batch`,
      );
    }
    lowest = Math.min(lowest, index);
  }
  return Number.isFinite(lowest) ? { kind: 'partial', failedIndex: lowest } : { kind: 'success' };
}

function failure(reason: string): BatchOutcome {
  return { kind: 'failure', reason };
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : preview(error);
}

function preview(value: unknown): string {
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 200 ? `${text.slice(0, 200)}…` : text;
}
