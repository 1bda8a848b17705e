/**
 * Running totals of what the local consumer wrote and what failed, for `npm start`'s live line:
 * rows written (events new to their session), repeats overwritten (redeliveries, producer
 * re-sends), bad rows, and the consumer's errors with the last one — from the batch reports'
 * written counts, not from what the pipeline processed (which counts on while DynamoDB is down).
 */
import type { BatchReport } from '../../handlers/consumer/consume-batch';

/** Longest last-error text on the live line. */
const LAST_ERROR_CHARS = 160;

export class ConsumerTotals {
  stored = 0;
  repeated = 0;
  bad = 0;
  /** Batches that failed in part or whole, and mapping errors (reads, checkpoints, destination). */
  errors = 0;
  lastError: string | undefined;

  add(report: BatchReport): void {
    this.stored += report.written.newEvents;
    this.repeated += report.written.repeatedEvents;
    this.bad += report.written.badRows;
    if (report.failedSequenceNumbers.length > 0) {
      this.noteError(
        `${report.failedSequenceNumbers.length} records failed: ${report.firstError ?? 'no error named'}`,
      );
    }
  }

  addError(error: Error): void {
    const cause =
      error.cause instanceof Error ? ` (cause: ${error.cause.name}: ${error.cause.message})` : '';
    this.noteError(`${error.name}: ${error.message}${cause}`);
  }

  /** ` consumer errors N (last: …)`; `consumer errors 0` while none happened. */
  errorsText(): string {
    return this.lastError === undefined
      ? `consumer errors ${this.errors}`
      : `consumer errors ${this.errors} (last: ${this.lastError})`;
  }

  private noteError(text: string): void {
    this.errors += 1;
    const oneLine = text.replace(/\s+/g, ' ');
    this.lastError =
      oneLine.length > LAST_ERROR_CHARS ? `${oneLine.slice(0, LAST_ERROR_CHARS)}…` : oneLine;
  }
}
