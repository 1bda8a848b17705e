/**
 * The answer to Lambda (ReportBatchItemFailures). Lambda checkpoints just before the lowest
 * sequence number reported and re-sends everything from it on, so reporting only that one is
 * exact: records after it are re-sent anyway (and their writes are idempotent or guarded), and
 * nothing after it is ever reported as done. A Kinesis batch comes from one shard, so sequence
 * numbers compare directly.
 */
import type { KinesisStreamBatchResponse } from 'aws-lambda';
import { comparePositions } from '../../pipeline/kinesis-record';

export function lowestSequenceNumber(sequenceNumbers: Iterable<string>): string | undefined {
  let lowest: string | undefined;
  for (const sequenceNumber of sequenceNumbers) {
    if (
      lowest === undefined ||
      comparePositions({ shardId: '', sequenceNumber }, { shardId: '', sequenceNumber: lowest }) < 0
    ) {
      lowest = sequenceNumber;
    }
  }
  return lowest;
}

export function batchResponse(failedSequenceNumbers: Iterable<string>): KinesisStreamBatchResponse {
  const lowest = lowestSequenceNumber(failedSequenceNumbers);
  return { batchItemFailures: lowest === undefined ? [] : [{ itemIdentifier: lowest }] };
}
