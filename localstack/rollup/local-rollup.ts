/**
 * The rollup function as `npm start` and the tests run it: the handler in-process on the local
 * event-source mapping of the ActiveSessions stream, with the settings Lambda gets
 * (ROLLUP_MAPPING_SETTINGS), keeping the per-minute counters that GET /realtime reads.
 *
 *   const rollup = await startLocalRollup({ env, clients, failureBucket: names.buckets.failures });
 *   product.addPart(rollup);            // stops with the product
 */
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import type { AwsClients } from '../../handlers/aws-clients';
import { readRollupConfig, type RollupConfig } from '../../handlers/config';
import type { EnvName } from '../../handlers/env-names';
import { createRollup } from '../../handlers/rollup/handler';
import type { RollupBatchHandler } from '../../handlers/rollup/rollup-batch';
import { FUNCTION_TUNING, ROLLUP_MAPPING_SETTINGS } from '../../infra/resources';
import {
  checkpointStoreIn,
  startEventSourceMapping,
  type EventSourceMappingHandle,
  type Timing,
} from '../event-source-mapping';
import type { LocalPart } from '../local-product';

export interface LocalRollupOptions {
  /** The handlers' environment of the local product (handler-env.ts). */
  readonly env: Readonly<Partial<Record<EnvName, string>>>;
  readonly clients: Pick<AwsClients, 'dynamodb' | 'dynamodbStreams' | 's3'>;
  /** The mapping's on-failure destination (the function itself writes no S3). */
  readonly failureBucket: string;
  /** Folder of durable mapping checkpoints. @default in memory */
  readonly checkpointDir?: string;
  /** @default Lambda's pace for DynamoDB Streams (polled every 250 ms) */
  readonly timing?: Partial<Timing>;
  /** Wraps the handler, e.g. to crash after it answered (a lost response) in a test. */
  readonly wrap?: (handler: RollupBatchHandler) => RollupBatchHandler;
  /** Where the function's warnings go. @default console.warn */
  readonly log?: (line: string) => void;
  /** Rollup keys per site (pipeline/realtime/rollup-keys.ts). @default the env's shard plan */
  readonly rollupKeysOf?: (siteId: string) => number;
}

export interface LocalRollup extends LocalPart {
  readonly config: RollupConfig;
  readonly mapping: EventSourceMappingHandle;
}

export async function startLocalRollup(options: LocalRollupOptions): Promise<LocalRollup> {
  const config = readRollupConfig(options.env);
  const created = createRollup(config, options.clients, {
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.rollupKeysOf === undefined ? {} : { rollupKeysOf: options.rollupKeysOf }),
  });
  const handler = options.wrap?.(created) ?? created;
  const mapping = await startEventSourceMapping({
    source: { type: 'dynamodb', tableName: config.activeSessionsTable },
    settings: ROLLUP_MAPPING_SETTINGS,
    handler: (event: DynamoDBStreamEvent, context: Context) => handler(event, context),
    function: {
      name: 'liveinsight-rollup',
      timeoutSeconds: FUNCTION_TUNING.rollup.timeoutSeconds,
      memorySizeMb: FUNCTION_TUNING.rollup.memoryMb,
    },
    clients: { dynamodbStreams: options.clients.dynamodbStreams, s3: options.clients.s3 },
    checkpointStore: checkpointStoreIn(options.checkpointDir),
    destination: { type: 's3', bucket: options.failureBucket },
    ...(options.timing === undefined ? {} : { timing: options.timing }),
  });
  return {
    config,
    mapping,
    summary: `rollup DynamoDB stream of ${config.activeSessionsTable} → ${config.realtimeRollupsTable} (GET /realtime counters)`,
    async stop() {
      await mapping.stop();
    },
  };
}
