/** Raised when DynamoDB fails or answers an item that breaks the table's contract. */
export class StorageReadError extends Error {
  override readonly name = 'StorageReadError';
  constructor(
    message: string,
    /** `unavailable`: DynamoDB failed (retry helps); `contract`: the data is wrong (it does not). */
    readonly kind: 'unavailable' | 'contract',
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
