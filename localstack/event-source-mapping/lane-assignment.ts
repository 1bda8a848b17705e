// ParallelizationFactor > 1: Lambda runs up to N batches of one shard at once but keeps order
// per partition key (DynamoDB Streams: per item key). Hashing the ordering key to one of N lanes,
// each lane processing one batch at a time, gives exactly that: one key, one lane, one order.
import { createHash } from 'node:crypto';

export function laneOf(orderingKey: string, parallelizationFactor: number): number {
  if (parallelizationFactor <= 1) return 0;
  // MD5 is what Kinesis itself uses to map partition keys to hash keys; any stable hash would do.
  const digest = createHash('md5').update(orderingKey).digest();
  return digest.readUInt32BE(0) % parallelizationFactor;
}
