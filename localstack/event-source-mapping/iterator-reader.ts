// One shard read forward through shard iterators, the part Kinesis and DynamoDB Streams share:
// keep the iterator, remember the last sequence number returned, renew the iterator from there
// when the service says it can no longer be used, report the end of a closed shard, and serve
// AT_TIMESTAMP from TRIM_HORIZON (see at-timestamp.ts). Each adapter supplies its own calls.
import { startingAt } from './at-timestamp';
import type { ReadPosition, ShardPage, ShardReader, StreamRecord } from './ports';

export interface IteratorPage<E> {
  readonly records: ReadonlyArray<StreamRecord<E>>;
  /** Undefined once the shard is closed and read to its end. */
  readonly nextIterator: string | undefined;
  readonly millisBehindLatest?: number | undefined;
}

export interface IteratorReaderOptions<E> {
  /** Where the reader starts. */
  readonly position: ReadPosition;
  /** GetShardIterator at a position (AT_TIMESTAMP is asked for as TRIM_HORIZON by the adapter). */
  iteratorAt(at: ReadPosition): Promise<string | undefined>;
  /** GetRecords with an iterator, mapped to stream records. */
  getRecords(iterator: string, limit: number, signal: AbortSignal): Promise<IteratorPage<E>>;
  /** Errors after which a fresh iterator from where the reader stands reads on. */
  isRenewable(error: Error): boolean;
  /** AT_TIMESTAMP: the first arrival time (ms) to deliver. @default position.timestampMs */
  readonly notBeforeMs?: number;
}

export async function openIteratorReader<E>(
  options: IteratorReaderOptions<E>,
): Promise<ShardReader<E>> {
  const { position } = options;
  let iterator = await options.iteratorAt(position);
  const startFilter =
    position.type === 'AT_TIMESTAMP'
      ? startingAt(options.notBeforeMs ?? position.timestampMs)
      : undefined;
  let lastSequenceNumber: string | undefined;
  return {
    async read(limit, signal): Promise<ShardPage<E>> {
      if (iterator === undefined) return { records: [], endOfShard: true };
      let page: IteratorPage<E>;
      try {
        page = await options.getRecords(iterator, limit, signal);
      } catch (error) {
        if (error instanceof Error && options.isRenewable(error)) {
          iterator = await options.iteratorAt(
            lastSequenceNumber === undefined
              ? position
              : { type: 'AFTER_SEQUENCE_NUMBER', sequenceNumber: lastSequenceNumber },
          );
          return { records: [], endOfShard: false };
        }
        throw error;
      }
      lastSequenceNumber = page.records.at(-1)?.sequenceNumber ?? lastSequenceNumber;
      iterator = page.nextIterator;
      return {
        records: startFilter === undefined ? page.records : startFilter(page.records),
        endOfShard: iterator === undefined,
        millisBehindLatest: page.millisBehindLatest,
      };
    },
  };
}
