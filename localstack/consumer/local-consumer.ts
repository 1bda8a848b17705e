/**
 * The consumer as `npm start` runs it: the Lambda handler in-process on the local event-source
 * mapping of the events stream, with the consumer's mapping settings (CONSUMER_MAPPING_SETTINGS)
 * at its Kinesis reader's pace (CONSUMER_KINESIS_READER) — what CDK deploys — and the S3
 * on-failure destination.
 *
 *   const consumer = await startLocalConsumer({ env: product.env, clients: product.clients,
 *     checkpointDir: '.liveinsight/esm' });
 *   product.addPart(consumer);             // stops with the product
 */
import type { Context, KinesisStreamEvent } from 'aws-lambda';
import type { AwsClients } from '../../handlers/aws-clients';
import { readConsumerConfig } from '../../handlers/config';
import type { BatchReport } from '../../handlers/consumer/consume-batch';
import { createConsumer } from '../../handlers/consumer/handler';
import { ENV, type EnvName } from '../../handlers/env-names';
import {
  CONSUMER_KINESIS_READER,
  CONSUMER_MAPPING_SETTINGS,
  FUNCTION_TUNING,
} from '../../infra/resources';
import {
  checkpointStoreIn,
  startEventSourceMapping,
  type EventSourceMappingHandle,
} from '../event-source-mapping';
import type { LocalPart } from '../local-product';

export interface LocalConsumerOptions {
  /** The handlers' environment of the local product (handler-env.ts). */
  readonly env: Readonly<Partial<Record<EnvName, string>>>;
  readonly clients: Pick<AwsClients, 'dynamodb' | 'kinesis' | 's3'>;
  /**
   * Folder of durable mapping checkpoints, so a restart resumes where it stopped.
   * @default in memory (a restart reads the stream from TRIM_HORIZON again — harmless, every
   * write is idempotent or guarded, but slower)
   */
  readonly checkpointDir?: string;
  /** Receives each batch's report. @default nothing */
  readonly onReport?: (report: BatchReport) => void;
  /**
   * Receives what failed outside the reports: an invocation that threw, and the mapping's read,
   * checkpoint and destination errors. @default the mapping's: printed to stderr
   */
  readonly onError?: (error: Error) => void;
}

export interface LocalConsumer extends LocalPart {
  readonly mapping: EventSourceMappingHandle;
}

export async function startLocalConsumer(options: LocalConsumerOptions): Promise<LocalConsumer> {
  const config = readConsumerConfig(options.env);
  const { handler } = createConsumer(config, options.clients, {
    onReport: options.onReport ?? (() => undefined),
  });
  const streamName = options.env[ENV.eventsStream];
  if (streamName === undefined || streamName === '') {
    throw new Error(
      `${ENV.eventsStream} is missing from the local env (expected the events stream name)`,
    );
  }
  const onError = options.onError;
  const mapping = await startEventSourceMapping({
    source: { type: 'kinesis', streamName, reader: CONSUMER_KINESIS_READER },
    settings: CONSUMER_MAPPING_SETTINGS,
    handler: async (event: KinesisStreamEvent, context: Context) => {
      try {
        return await handler(event, context);
      } catch (error) {
        // Seen here, then rethrown: Lambda's retry of the batch is the mapping's to do.
        onError?.(error instanceof Error ? error : new Error(String(error)));
        throw error;
      }
    },
    function: {
      name: 'liveinsight-consumer',
      timeoutSeconds: FUNCTION_TUNING.consumer.timeoutSeconds,
      memorySizeMb: FUNCTION_TUNING.consumer.memoryMb,
    },
    clients: { kinesis: options.clients.kinesis, s3: options.clients.s3 },
    checkpointStore: checkpointStoreIn(options.checkpointDir),
    destination: { type: 's3', bucket: config.failureBucket },
    ...(onError === undefined ? {} : { onError }),
  });
  return {
    mapping,
    summary: `consumer  Kinesis ${streamName} → ${config.eventsTable}, ${config.sessionsTable}, ${config.activeSessionsTable}, ${config.badRowsTable}`,
    stop: () => mapping.stop(),
  };
}
