/**
 * The consumer Lambda fed by the local event-source mapping from the test stack's Kinesis
 * stream, as `npm start` runs it: events POSTed to the edge reach ActiveSessions through the
 * real path (edge → Kinesis → mapping → consumer → DynamoDB).
 */
import { createAwsClients } from '../../../handlers/aws-clients';
import { readConsumerConfig } from '../../../handlers/config';
import { createConsumer } from '../../../handlers/consumer/handler';
import {
  CONSUMER_KINESIS_READER,
  CONSUMER_MAPPING_SETTINGS,
  FUNCTION_TUNING,
  type KinesisReader,
} from '../../../infra/resources';
import {
  MemoryCheckpointStore,
  startEventSourceMapping,
  type EventSourceMappingHandle,
  type KinesisMappingOptions,
  type Timing,
} from '../../event-source-mapping';
import type { TestStack } from '../../testing/use-test-stack';

export interface LiveConsumer {
  readonly mapping: EventSourceMappingHandle;
  stop(): Promise<void>;
}

export async function startLiveConsumer(
  stack: Pick<TestStack, 'env' | 'names'>,
  options: {
    readonly timing?: Partial<Timing>;
    readonly batchingWindowSeconds?: number;
    /** @default CONSUMER_KINESIS_READER, as deployed */
    readonly reader?: KinesisReader;
  } = {},
): Promise<LiveConsumer> {
  const config = readConsumerConfig(stack.env);
  const clients = createAwsClients(config.aws);
  const consumer = createConsumer(config, clients, { onReport: () => undefined });
  const mappingOptions: KinesisMappingOptions = {
    source: {
      type: 'kinesis',
      streamName: stack.names.eventsStream,
      reader: options.reader ?? CONSUMER_KINESIS_READER,
    },
    settings: {
      ...CONSUMER_MAPPING_SETTINGS,
      ...(options.batchingWindowSeconds === undefined
        ? {}
        : { MaximumBatchingWindowInSeconds: options.batchingWindowSeconds }),
    },
    handler: consumer.handler,
    function: {
      name: 'consumer',
      timeoutSeconds: FUNCTION_TUNING.consumer.timeoutSeconds,
      memorySizeMb: FUNCTION_TUNING.consumer.memoryMb,
    },
    clients: { kinesis: clients.kinesis, s3: clients.s3 },
    checkpointStore: new MemoryCheckpointStore(),
    destination: { type: 's3', bucket: stack.names.buckets.failures },
    ...(options.timing === undefined ? {} : { timing: options.timing }),
    onError: () => undefined,
  };
  const mapping = await startEventSourceMapping(mappingOptions);
  return {
    mapping,
    async stop() {
      await mapping.stop();
      clients.destroy();
    },
  };
}
