/**
 * Which errors mean "this write did not happen (or may not have); retry the records later" and
 * which mean "the program is broken". Only the first kind becomes a `batchItemFailures` entry;
 * anything else escapes the invocation so that Lambda retries (and bisects) the batch instead of
 * the consumer catching, logging and continuing.
 */
import { DeadlineExceededError } from './deadline';

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
]);

/** An answer from the service (any status): the SDK marks those with `$metadata`. */
export function isServiceError(error: unknown): error is Error & { $metadata: object } {
  return error instanceof Error && '$metadata' in error && typeof error.$metadata === 'object';
}

/**
 * True for service answers, timeouts, aborts and network failures after the SDK's own retries:
 * the records are reported as failed and Lambda re-sends them. A service error that is not
 * transient (e.g. a ValidationException from a bug) still lands here: the records then run out
 * of retries and reach the S3 on-failure destination with their payload, so nothing is lost.
 */
export function isWriteFailure(error: unknown): boolean {
  if (error instanceof DeadlineExceededError || error instanceof WriteFailedError) return true;
  if (!(error instanceof Error)) return false;
  if (isServiceError(error)) return true;
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return true;
  const code = (error as NodeJS.ErrnoException).code;
  return code !== undefined && NETWORK_CODES.has(code);
}

/** A write that did not complete; names what and how many items, carries the last error. */
export class WriteFailedError extends Error {
  override readonly name = 'WriteFailedError';
  constructor(
    readonly operation: string,
    readonly target: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${operation} on ${target}: ${message}`, options);
  }
}
