/**
 * The query API as the query Lambda builds it, on a test stack's tables: both readers on one
 * DynamoDB client (a test's own, e.g. with faults injected), no realtime cache, a fixed clock.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createActiveSessionsReader } from '../active-sessions-reader';
import { createQueryApi, type QueryApi, type QueryApiOptions } from '../query-api';
import { createRollupReader } from '../rollup-reader';

export interface QueryTables {
  readonly activeSessions: string;
  readonly realtimeRollups: string;
}

export function queryApiOnTables(
  dynamodb: DynamoDBClient,
  tables: QueryTables,
  options: {
    /** ActiveSessions shards: one count for every site, or the stage's per-site plan. */
    readonly shardCount: QueryApiOptions['shardCount'];
    readonly nowMs: number;
    /** Rollup keys per site (pipeline/realtime/rollup-keys.ts); default 1. */
    readonly rollupKeysOf?: (siteId: string) => number;
  } & Pick<QueryApiOptions, 'logError'>,
): QueryApi {
  const { nowMs, rollupKeysOf, ...rest } = options;
  return createQueryApi({
    reader: createActiveSessionsReader({ dynamodb, tableName: tables.activeSessions }),
    rollups: createRollupReader({
      dynamodb,
      tableName: tables.realtimeRollups,
      ...(rollupKeysOf === undefined ? {} : { rollupKeysOf }),
    }),
    realtimeCacheTtlMs: 0,
    clock: () => nowMs,
    ...rest,
  });
}
