/**
 * The whole public path in one process: the local edge (keys, the API Gateway model, the VTL
 * templates) puts on the emulated stream, the local event-source mapping with the consumer's
 * settings delivers to the consumer, which writes the emulated tables. `send` posts a body and
 * waits until every record the edge put for it is behind the mapping's checkpoint, whatever
 * became of it (stored, bad row, or the S3 on-failure destination).
 */
import type { EventSourceMappingHandle } from '../../../localstack/event-source-mapping';
import {
  type Answer,
  type Harness,
  startHarness,
} from '../../../localstack/edge/test-support/edge-harness';
import type { StreamRecord } from '../../../localstack/edge/test-support/read-stream';
import type { TestStack } from '../../../localstack/testing/use-test-stack';
import { type ConsumerUnderTest, consumerUnderTest } from './consumer-under-test';
import {
  type MappingOptions,
  failureDocuments,
  startConsumerMapping,
  waitUntilCheckpointed,
} from './kinesis-delivery';
import { type TableSnapshot, snapshot } from './table-snapshot';

export interface Sent {
  readonly answer: Answer;
  /** The records the edge put on the stream for this request. */
  readonly records: readonly StreamRecord[];
}

export interface EdgeToTables {
  readonly edge: Harness;
  readonly consumer: ConsumerUnderTest;
  readonly mapping: EventSourceMappingHandle;
  /** Posts `body` with the shop's key; waits until its records are checkpointed. */
  send(body: unknown): Promise<Sent>;
  stored(): Promise<TableSnapshot>;
  /** Records the mapping gave up on, from the S3 on-failure documents. */
  onFailureRecords(): Promise<number>;
  stop(): Promise<void>;
}

export async function startEdgeToTables(
  stack: TestStack,
  options: MappingOptions = {},
): Promise<EdgeToTables> {
  const edge = await startHarness(stack);
  const consumer = consumerUnderTest(stack);
  const mapping = await startConsumerMapping(stack, consumer, options);
  return {
    edge,
    consumer,
    mapping,
    async send(body) {
      const answer = await edge.post(body);
      const records = answer.status === 200 ? await edge.recordsOf(answer.requestId) : [];
      if (records.length > 0) await waitUntilCheckpointed(mapping, records);
      return { answer, records };
    },
    stored: () =>
      snapshot(stack.clients.dynamodb, {
        events: consumer.config.eventsTable,
        sessions: consumer.config.sessionsTable,
        activeSessions: consumer.config.activeSessionsTable,
        badRows: consumer.config.badRowsTable,
      }),
    async onFailureRecords() {
      const documents = await failureDocuments(stack, mapping);
      return documents.reduce((sum, d) => sum + d.payload.Records.length, 0);
    },
    async stop() {
      await mapping.stop();
      consumer.dispose();
      await edge.stop();
    },
  };
}
