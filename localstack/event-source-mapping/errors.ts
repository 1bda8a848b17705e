// Error classes of the local event-source mapping. Each names what was received and what was
// expected, and keeps the underlying fault as `cause` (DESIGN.md section 7).

/** The settings object (Lambda's CreateEventSourceMapping names) breaks one of Lambda's rules. */
export class EventSourceMappingConfigError extends Error {
  override readonly name = 'EventSourceMappingConfigError';
  constructor(
    message: string,
    readonly field: string,
    readonly received: unknown,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The stream (Kinesis stream or DynamoDB table stream) could not be found or read. */
export class StreamSourceError extends Error {
  override readonly name = 'StreamSourceError';
  constructor(
    message: string,
    readonly streamRef: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The checkpoint file or table holds something that is not a checkpoint document. */
export class CheckpointStoreError extends Error {
  override readonly name = 'CheckpointStoreError';
  constructor(
    message: string,
    readonly location: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Writing an on-failure record to its destination failed (it is retried; records stay unacknowledged). */
export class FailureDestinationError extends Error {
  override readonly name = 'FailureDestinationError';
  constructor(
    message: string,
    readonly destination: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
