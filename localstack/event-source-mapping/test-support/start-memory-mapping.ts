// Starts the mapping core on a MemoryStream with test-sized timing (polls every 2 ms, retries
// after 1 ms), collecting errors instead of logging them.
import type { KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import { runEventSourceMapping, type EventSourceMappingHandle } from '../event-source-mapping';
import type { StreamHandler } from '../invoke-handler';
import { MemoryCheckpointStore } from '../memory-checkpoint-store';
import type { CheckpointStore, FailureDestination } from '../ports';
import { resolveSettings, type EventSourceMappingSettings } from '../settings';
import type { MemoryStream } from './memory-stream';

export const MEMORY_FUNCTION_ARN = 'arn:aws:lambda:us-east-1:000000000000:function:memory-consumer';

export interface MemoryMappingOptions {
  readonly stream: MemoryStream;
  readonly handler: StreamHandler<KinesisStreamEvent>;
  readonly settings?: Partial<EventSourceMappingSettings>;
  readonly destination?: FailureDestination;
  readonly checkpointStore?: CheckpointStore;
  readonly clock?: () => number;
  readonly timeoutMs?: number;
  readonly mappingId?: string;
}

const started = new Set<EventSourceMappingHandle>();

/**
 * Stops every mapping a test started, also when the test failed before its own stop() — a
 * forgotten mapping keeps polling and jest never exits. Call it from afterEach.
 */
export async function stopStartedMappings(): Promise<void> {
  const mappings = [...started];
  started.clear();
  await Promise.all(mappings.map((mapping) => mapping.stop()));
}

export async function startMemoryMapping(options: MemoryMappingOptions): Promise<{
  mapping: EventSourceMappingHandle;
  errors: Error[];
}> {
  const errors: Error[] = [];
  const mapping = await runEventSourceMapping<KinesisStreamRecord>({
    mappingId: options.mappingId ?? 'memory-mapping',
    source: options.stream.source(),
    settings: resolveSettings({ StartingPosition: 'TRIM_HORIZON', ...options.settings }, 'kinesis'),
    handler: options.handler,
    fn: {
      functionName: 'memory-consumer',
      functionArn: MEMORY_FUNCTION_ARN,
      memoryLimitInMB: 512,
      timeoutMs: options.timeoutMs ?? 2000,
      region: 'us-east-1',
    },
    checkpointStore: options.checkpointStore ?? new MemoryCheckpointStore(),
    destination: options.destination,
    timing: { pollIntervalMs: 2, shardDiscoveryIntervalMs: 5, retryBackoffMs: () => 1 },
    clock: options.clock ?? Date.now,
    onError: (error) => errors.push(error),
  });
  started.add(mapping);
  return { mapping, errors };
}
