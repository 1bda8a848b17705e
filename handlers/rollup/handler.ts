/**
 * The rollup function's Lambda handler built from its dependencies, so that tests, the local
 * event-source mapping and `npm start` run exactly what AWS runs (index.ts wires it from the
 * environment).
 */
import type { AwsClients } from '../aws-clients';
import type { RollupConfig } from '../config';
import { rollupKeysOf } from '../../schemas/shard-plan';
import { DynamoRealtimeRollups } from '../adapters/dynamo-realtime-rollups';
import { type RollupBatchHandler, createRollupBatchHandler } from './rollup-batch';

export interface RollupOptions {
  /** Time budget when invoked without a Lambda context (default 30 s). */
  readonly defaultBudgetMs?: number;
  readonly log?: (line: string) => void;
  /** Rollup keys per site (pipeline/realtime/rollup-keys.ts); default: the config's shard plan. */
  readonly rollupKeysOf?: (siteId: string) => number;
}

export function createRollup(
  config: RollupConfig,
  clients: Pick<AwsClients, 'dynamodb'>,
  options: RollupOptions = {},
): RollupBatchHandler {
  return createRollupBatchHandler({
    rollups: new DynamoRealtimeRollups(clients.dynamodb, config.realtimeRollupsTable),
    activeSessionsTable: config.activeSessionsTable,
    // The stage's shard plan splits a hot site's buckets (pipeline/realtime/rollup-keys.ts).
    rollupKeysOf: (siteId) => rollupKeysOf(config.shardPlan, siteId),
    ...options,
  });
}
