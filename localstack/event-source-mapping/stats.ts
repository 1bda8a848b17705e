// Counters a running mapping exposes through stats(), so tests and `npm start` can see what
// happened (and poll for it with a deadline) without reaching into the runner.

export interface MappingCounters {
  recordsRead: number;
  invocations: number;
  /** Invocations whose handler threw. */
  functionErrors: number;
  /** Invocations whose handler did not settle within the function timeout. */
  timeouts: number;
  /** Returned responses that Lambda reads as a whole-batch failure (invalid identifiers…). */
  invalidResponses: number;
  /** Returned responses naming some failed records. */
  partialFailures: number;
  retries: number;
  bisects: number;
  /** Records acknowledged by a successful invocation. */
  recordsSucceeded: number;
  /** Records written to the on-failure destination (any condition). */
  recordsToDestination: number;
  /** On-failure records (one per split-off chunk) written to the destination. */
  destinationRecordsWritten: number;
  /** Records dropped because retries or age ran out and no destination is configured. */
  recordsDiscarded: number;
  recordsAgedOut: number;
  recordsRetriesExhausted: number;
  readErrors: number;
  destinationErrors: number;
  checkpointSaves: number;
  checkpointErrors: number;
  discoveryErrors: number;
}

export function emptyCounters(): MappingCounters {
  return {
    recordsRead: 0,
    invocations: 0,
    functionErrors: 0,
    timeouts: 0,
    invalidResponses: 0,
    partialFailures: 0,
    retries: 0,
    bisects: 0,
    recordsSucceeded: 0,
    recordsToDestination: 0,
    destinationRecordsWritten: 0,
    recordsDiscarded: 0,
    recordsAgedOut: 0,
    recordsRetriesExhausted: 0,
    readErrors: 0,
    destinationErrors: 0,
    checkpointSaves: 0,
    checkpointErrors: 0,
    discoveryErrors: 0,
  };
}

export interface ShardStatus {
  readonly checkpoint: string | undefined;
  /** Records read and not yet behind the checkpoint. */
  readonly pending: number;
  readonly ended: boolean;
  readonly millisBehindLatest: number | undefined;
}

export interface MappingStats extends Readonly<MappingCounters> {
  readonly shards: Readonly<Record<string, ShardStatus>>;
  readonly lastError: string | undefined;
}

export interface MappingLag {
  /** Records read from the stream and not yet checkpointed, over all shards. */
  readonly pendingRecords: number;
  /** Age of the oldest such record (ms), undefined when none is pending. */
  readonly oldestPendingAgeMs: number | undefined;
  /** Largest Kinesis MillisBehindLatest over the shards (undefined for DynamoDB Streams). */
  readonly millisBehindLatest: number | undefined;
}
