/**
 * DynamoDB adapter for `/realtime`: one Query of a site's rollup buckets in the minutes an answer
 * needs (pipeline/realtime/rollup.ts `bucketRange`) — at most 32 small items, however many
 * sessions are active. Failures are told apart as for the other reader: DynamoDB failing is
 * worth a retry, an item that breaks the contract is not.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { bucketRange } from '../../pipeline/realtime/rollup';
import type { RollupBucket } from '../../pipeline/realtime/rollup-answer';
import { DynamoRealtimeRollups, RollupContractError } from '../adapters/dynamo-realtime-rollups';
import { StorageReadError, describeCause } from './storage-read-error';

export interface RollupReader {
  /** The buckets an answer at `nowMs` reads. */
  readBuckets(siteId: string, nowMs: number): Promise<RollupBucket[]>;
}

export function createRollupReader(options: {
  readonly dynamodb: DynamoDBClient;
  readonly tableName: string;
}): RollupReader {
  const table = new DynamoRealtimeRollups(options.dynamodb, options.tableName);
  return {
    async readBuckets(siteId, nowMs) {
      const { from, to } = bucketRange(nowMs);
      try {
        return await table.readBuckets(siteId, from, to);
      } catch (cause) {
        const contract = cause instanceof RollupContractError;
        throw new StorageReadError(
          contract
            ? `${options.tableName} holds a bucket of ${siteId} that breaks the rollup contract: ${cause.message}`
            : `Query of ${options.tableName} for ${siteId} failed: ${describeCause(cause)}`,
          contract ? 'contract' : 'unavailable',
          options.tableName,
          { cause },
        );
      }
    },
  };
}
