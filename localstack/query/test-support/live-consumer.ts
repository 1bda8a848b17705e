/**
 * The consumer and the realtime rollup fed by their local event-source mappings, as `npm start`
 * runs them: events POSTed to the edge reach GET /realtime through the real path (edge →
 * Kinesis → mapping → consumer → ActiveSessions → stream → rollup → counters).
 */
import { createAwsClients } from '../../../handlers/aws-clients';
import { readConsumerConfig } from '../../../handlers/config';
import { createConsumer } from '../../../handlers/consumer/handler';
import { CONSUMER_MAPPING_SETTINGS } from '../../../infra/resources';
import {
  MemoryCheckpointStore,
  startEventSourceMapping,
  type EventSourceMappingHandle,
  type KinesisMappingOptions,
  type Timing,
} from '../../event-source-mapping';
import { startLocalRollup } from '../../rollup/local-rollup';
import type { TestStack } from '../../testing/use-test-stack';

export interface LivePipeline {
  /** The consumer's mapping (Kinesis). */
  readonly mapping: EventSourceMappingHandle;
  stop(): Promise<void>;
}

export async function startLivePipeline(
  stack: Pick<TestStack, 'env' | 'names'>,
  options: { readonly timing?: Partial<Timing>; readonly batchingWindowSeconds?: number } = {},
): Promise<LivePipeline> {
  const config = readConsumerConfig(stack.env);
  const clients = createAwsClients(config.aws);
  const consumer = createConsumer(config, clients, { onReport: () => undefined });
  const mappingOptions: KinesisMappingOptions = {
    source: { type: 'kinesis', streamName: stack.names.eventsStream },
    settings: {
      ...CONSUMER_MAPPING_SETTINGS,
      ...(options.batchingWindowSeconds === undefined
        ? {}
        : { MaximumBatchingWindowInSeconds: options.batchingWindowSeconds }),
    },
    handler: consumer.handler,
    function: { name: 'consumer', timeoutSeconds: 15, memorySizeMb: 512 },
    clients: { kinesis: clients.kinesis, s3: clients.s3 },
    checkpointStore: new MemoryCheckpointStore(),
    destination: { type: 's3', bucket: stack.names.buckets.failures },
    ...(options.timing === undefined ? {} : { timing: options.timing }),
    onError: () => undefined,
  };
  const mapping = await startEventSourceMapping(mappingOptions);
  const rollup = await startLocalRollup({
    env: stack.env,
    clients,
    failureBucket: stack.names.buckets.failures,
    log: () => undefined,
  });
  return {
    mapping,
    async stop() {
      await Promise.all([mapping.stop(), rollup.stop()]);
      clients.destroy();
    },
  };
}
