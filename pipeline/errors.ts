/**
 * Errors the pipeline throws. Bad *data* never throws (it becomes a bad row); these are for
 * programmer errors — a caller breaking a precondition — so they name what was received and
 * what was expected, and carry structured fields for logs.
 */

/** Two session states or events of different sessions were about to be combined. */
export class SessionMismatchError extends Error {
  override readonly name = 'SessionMismatchError';
  constructor(
    readonly expected: { readonly siteId: string; readonly sessionId: string },
    readonly received: { readonly siteId: string; readonly sessionId: string },
  ) {
    super(
      `Cannot combine session ${received.siteId}/${received.sessionId} into ` +
        `${expected.siteId}/${expected.sessionId} (expected the same siteId and sessionId)`,
    );
  }
}

/**
 * Two session states that share an applied `seq` were about to be combined: adding their counts
 * would count those events twice. Callers filter with `applyEvents` first.
 */
export class OverlappingSessionsError extends Error {
  override readonly name = 'OverlappingSessionsError';
  constructor(
    readonly siteId: string,
    readonly sessionId: string,
    readonly overlap: number,
  ) {
    super(
      `Cannot combine two states of session ${siteId}/${sessionId} that both applied ` +
        `${overlap} of the same seq numbers (expected disjoint sets of applied events)`,
    );
  }
}

/** An argument outside its documented range (shard counts, versions, cache sizes). */
export class PipelineArgumentError extends RangeError {
  override readonly name = 'PipelineArgumentError';
  constructor(
    readonly argument: string,
    readonly received: unknown,
    readonly expected: string,
    options?: { cause?: unknown },
  ) {
    super(`${argument} is ${describe(received)} (expected ${expected})`, options);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null)
    return String(value);
  return typeof value;
}
