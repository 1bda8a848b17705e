/**
 * DynamoDB adapter for `/realtime`: one Query per rollup key of a site (one key unless the site's
 * plan splits it) of its buckets in the minutes an answer needs (pipeline/realtime/rollup.ts
 * `bucketRange`) — at most 32 small items per key, however many sessions are active. Failures
 * are told apart as for the other reader: DynamoDB failing is worth a retry, an item that breaks
 * the contract is not.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { bucketRange } from '../../pipeline/realtime/rollup';
import { rollupKeysOfSite } from '../../pipeline/realtime/rollup-keys';
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
  /**
   * Rollup keys of a site (the shard plan's `rollupKeys`; pipeline/realtime/rollup-keys.ts):
   * one Query per key, in parallel, and the answer sums their buckets. Default: 1 for every site.
   */
  readonly rollupKeysOf?: (siteId: string) => number;
}): RollupReader {
  const table = new DynamoRealtimeRollups(options.dynamodb, options.tableName);
  const rollupKeysOf = options.rollupKeysOf ?? (() => 1);
  return {
    async readBuckets(siteId, nowMs) {
      const { from, to } = bucketRange(nowMs);
      try {
        // answerFromRollup adds buckets cell by cell, so a split site's keys are just concatenated.
        const keys = rollupKeysOfSite(siteId, rollupKeysOf(siteId));
        const parts = await Promise.all(keys.map((key) => table.readBuckets(key, from, to)));
        return parts.flat();
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
