/**
 * Which errors mean "this write did not happen (or may not have); retry the records later" and
 * which mean "the program is broken". Only the first kind becomes a `batchItemFailures` entry;
 * anything else escapes the invocation so that Lambda retries (and bisects) the batch instead of
 * the consumer catching, logging and continuing.
 */
import { DeadlineExceededError } from './deadline';
import { ItemEncodingError } from './item-codec';

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
 * DynamoDB's answers that say "this data can never be written as sent" ("Error handling with
 * DynamoDB" in the developer guide lists them with "OK to retry? No"): a ValidationException is
 * an item or value DynamoDB cannot hold (over 400 KB, a number out of range, an empty attribute
 * value, a missing key). Retrying cannot help, so the item is refused for good — its records
 * become bad rows at once instead of holding back their shard. The other "No" answers
 * (AccessDenied, ResourceNotFound, UnrecognizedClient, ResourceInUse, signature errors) are
 * faults of the deployment, not of one record: those stay write failures, retried, and their
 * records reach the S3 on-failure destination rather than turning every event into a bad row.
 */
const PERMANENT_DATA_ERRORS = new Set(['ValidationException']);

/** An item no request will ever store: refused by DynamoDB as invalid, or not encodable at all. */
export function isPermanentWriteError(error: unknown): boolean {
  if (error instanceof ItemEncodingError) return true;
  return isServiceError(error) && PERMANENT_DATA_ERRORS.has(error.name);
}

/**
 * True for service answers, timeouts, aborts and network failures after the SDK's own retries,
 * and for the permanent data errors above: the caller deals with them per record (transient:
 * reported as failed, Lambda re-sends them; permanent: a bad row). Anything else is a bug.
 */
export function isWriteFailure(error: unknown): boolean {
  if (error instanceof DeadlineExceededError || error instanceof WriteFailedError) return true;
  if (error instanceof ItemEncodingError) return true;
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
