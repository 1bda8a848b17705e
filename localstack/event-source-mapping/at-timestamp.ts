// AT_TIMESTAMP served from TRIM_HORIZON: records are dropped until the first one that arrived at
// or after the timestamp, and everything from there on passes (Kinesis' AT_TIMESTAMP semantics).
// Both adapters use it (through iterator-reader.ts): DynamoDB Streams has no AT_TIMESTAMP iterator, and kinesalite's never
// answers when no record of the shard is that recent (the request hangs), so a native iterator
// cannot be relied on locally.
import type { StreamRecord } from './ports';

export type RecordFilter = <E>(
  records: ReadonlyArray<StreamRecord<E>>,
) => ReadonlyArray<StreamRecord<E>>;

export function startingAt(notBeforeMs: number): RecordFilter {
  let reached = false;
  return (records) => {
    if (reached) return records;
    const first = records.findIndex((record) => record.arrivalMs >= notBeforeMs);
    if (first === -1) return [];
    reached = true;
    return records.slice(first);
  };
}
