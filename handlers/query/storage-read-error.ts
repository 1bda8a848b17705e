/**
 * What went wrong with a read, which decides the answer: only `unavailable` is worth a retry.
 * - `unavailable`: DynamoDB failed or throttled (503, retry helps);
 * - `contract`: a stored item breaks the table's contract (500);
 * - `invalid_input`: a value the client supplied cannot be a key, or DynamoDB refused the request
 *   that carried it with a ValidationException (400: the client must change the request);
 * - `refused`: DynamoDB refused a request built only from our own values (500: a bug).
 */
export type StorageReadErrorKind = 'unavailable' | 'contract' | 'invalid_input' | 'refused';

/** Raised when DynamoDB fails, refuses a read, or answers an item that breaks the contract. */
export class StorageReadError extends Error {
  override readonly name = 'StorageReadError';
  constructor(
    message: string,
    readonly kind: StorageReadErrorKind,
    readonly tableName: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A failure as a message part: `<name>: <message>` for an Error. */
export function describeCause(cause: unknown): string {
  return cause instanceof Error ? `${cause.name}: ${cause.message}` : String(cause);
}
