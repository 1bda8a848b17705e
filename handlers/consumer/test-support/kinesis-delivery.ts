/**
 * Delivery through the real path: records put on the emulated Kinesis stream, read by the local
 * event-source mapping with the consumer's settings (infra/resources.ts) and handed to the
 * consumer in-process, with Lambda's retries, bisection, checkpoints and S3 on-failure records.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { GetObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import type { Context, KinesisStreamEvent, KinesisStreamRecord } from 'aws-lambda';
import {
  CONSUMER_MAPPING_SETTINGS,
  type EventSourceMappingSettings,
  FUNCTION_TUNING,
} from '../../../infra/resources';
import {
  MemoryCheckpointStore,
  startEventSourceMapping,
  type EventSourceMappingHandle,
} from '../../../localstack/event-source-mapping';
import { waitFor } from '../../../localstack/testing/wait-for';
import type { TestStack } from '../../../localstack/testing/use-test-stack';
import { comparePositions } from '../../../pipeline/kinesis-record';
import type { ConsumerUnderTest } from './consumer-under-test';
import type { Delivered } from './scenario';

export interface Position {
  readonly shardId: string;
  readonly sequenceNumber: string;
}

/** Fast local pace; Lambda's own is ~1 s per poll. */
const FAST_TIMING = { pollIntervalMs: 20, shardDiscoveryIntervalMs: 200, retryBackoffMs: () => 10 };

/** Puts `items` in order (one PutRecords call per 500), partition key = session id. */
export async function putRecords(
  stack: TestStack,
  items: readonly Delivered[],
): Promise<Position[]> {
  const positions: Position[] = [];
  for (let i = 0; i < items.length; i += 500) {
    const chunk = items.slice(i, i + 500);
    const output = await stack.clients.kinesis.send(
      new PutRecordsCommand({
        StreamName: stack.names.eventsStream,
        Records: chunk.map((item) =>
          'poison' in item
            ? { PartitionKey: 'poison', Data: Buffer.from(item.poison) }
            : { PartitionKey: item.event.sessionId, Data: Buffer.from(JSON.stringify(item)) },
        ),
      }),
    );
    if ((output.FailedRecordCount ?? 0) > 0) {
      throw new Error(
        `PutRecords refused ${output.FailedRecordCount} of ${chunk.length} records (expected none from the emulator)`,
      );
    }
    for (const record of output.Records ?? []) {
      positions.push({
        shardId: record.ShardId ?? '',
        sequenceNumber: record.SequenceNumber ?? '',
      });
    }
  }
  return positions;
}

export interface MappingOptions {
  readonly settings?: Partial<EventSourceMappingSettings>;
  /** The mapping's clock (record age); default Date.now. */
  readonly clock?: () => number;
}

export async function startConsumerMapping(
  stack: TestStack,
  consumer: ConsumerUnderTest,
  options: MappingOptions = {},
): Promise<EventSourceMappingHandle> {
  return startEventSourceMapping({
    source: { type: 'kinesis', streamName: stack.names.eventsStream },
    settings: {
      ...CONSUMER_MAPPING_SETTINGS,
      MaximumBatchingWindowInSeconds: 0.05,
      ...options.settings,
    },
    // The handler of the consumer's *current* process: restart() takes effect at the next batch.
    handler: (event: KinesisStreamEvent, context: Context) => consumer.handler()(event, context),
    function: {
      name: 'consumer',
      timeoutSeconds: FUNCTION_TUNING.consumer.timeoutSeconds,
      memorySizeMb: FUNCTION_TUNING.consumer.memoryMb,
    },
    clients: { kinesis: stack.clients.kinesis, s3: stack.clients.s3 },
    checkpointStore: new MemoryCheckpointStore(),
    destination: { type: 's3', bucket: stack.names.buckets.failures },
    timing: FAST_TIMING,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    onError: () => undefined,
  });
}

/** Waits until every shard's checkpoint has passed the last of `positions`. */
export async function waitUntilCheckpointed(
  mapping: EventSourceMappingHandle,
  positions: readonly Position[],
  timeoutMs = 20_000,
): Promise<void> {
  const last = new Map<string, Position>();
  for (const position of positions) {
    const seen = last.get(position.shardId);
    if (seen === undefined || comparePositions(position, seen) > 0)
      last.set(position.shardId, position);
  }
  await waitFor(
    () =>
      [...last.values()].every((position) => {
        const checkpoint = mapping.stats().shards[position.shardId]?.checkpoint;
        return (
          checkpoint !== undefined &&
          comparePositions({ shardId: position.shardId, sequenceNumber: checkpoint }, position) >= 0
        );
      }),
    `checkpoints past ${JSON.stringify([...last.values()])} (stats: ${JSON.stringify(mapping.stats())})`,
    timeoutMs,
  );
}

export interface FailureDocument {
  readonly requestContext: { readonly condition: string };
  readonly payload: { readonly Records: readonly KinesisStreamRecord[] };
}

/** The on-failure documents the mapping wrote to the failures bucket. */
export async function failureDocuments(
  stack: TestStack,
  mapping: EventSourceMappingHandle,
): Promise<FailureDocument[]> {
  const listing = await stack.clients.s3.send(
    new ListObjectsV2Command({
      Bucket: stack.names.buckets.failures,
      Prefix: `aws/lambda/${mapping.mappingId}/`,
    }),
  );
  return Promise.all(
    (listing.Contents ?? []).map(async ({ Key }) => {
      const object = await stack.clients.s3.send(
        new GetObjectCommand({ Bucket: stack.names.buckets.failures, Key }),
      );
      const text = (await object.Body?.transformToString()) ?? '';
      const document = JSON.parse(text) as FailureDocument;
      if (!Array.isArray(document.payload?.Records)) {
        throw new Error(
          `on-failure object ${Key} has no payload.Records (received ${text.slice(0, 200)})`,
        );
      }
      return document;
    }),
  );
}
