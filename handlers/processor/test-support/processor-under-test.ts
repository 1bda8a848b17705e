/**
 * The processor as it runs locally, for integration tests: its own SDK clients (with a fault
 * injector), the handler writing EMF documents to a JSON-lines file, the local event-source
 * mapping on the Sessions and ActiveSessions streams with the settings Lambda gets
 * (PROCESSOR_MAPPING_SETTINGS), and the local metrics sink tailing the file.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { FUNCTION_TUNING, PROCESSOR_MAPPING_SETTINGS } from '../../../infra/resources';
import {
  MemoryCheckpointStore,
  startEventSourceMapping,
  type EventSourceMappingHandle,
} from '../../../localstack/event-source-mapping';
import { LocalMetricsSink } from '../../../localstack/metrics-sink';
import type { TestStack } from '../../../localstack/testing/use-test-stack';
import { waitFor } from '../../../localstack/testing/wait-for';
import { type AwsClients, createAwsClients } from '../../aws-clients';
import { readProcessorConfig, type ProcessorConfig } from '../../config';
import { type FaultInjector, installFaultInjector } from '../../test-support/fault-injector';
import { createProcessor } from '../handler';
import { fileMetricsWriter } from '../metrics-writer';
import type { StreamBatchHandler } from '../../dynamodb-stream/stream-batch';

export interface ProcessorUnderTest {
  readonly config: ProcessorConfig;
  readonly clients: AwsClients;
  readonly faults: FaultInjector;
  readonly sink: LocalMetricsSink;
  /** Every invocation's event and answer (or error), in order. */
  readonly invocations: { event: DynamoDBStreamEvent; outcome: unknown }[];
  /** Polls the sink until `probe` holds, or fails after `timeoutMs` naming `description`. */
  waitFor<T>(
    probe: () => T | undefined | false,
    description: string,
    timeoutMs?: number,
  ): Promise<T>;
  /** Reads what is in the file now (after the mappings went quiet) and returns the sink. */
  settle(): Promise<LocalMetricsSink>;
  dispose(): Promise<void>;
}

export interface ProcessorUnderTestOptions {
  /** Wraps the handler, e.g. to crash after it answered (a lost response). */
  readonly wrap?: (handler: StreamBatchHandler) => StreamBatchHandler;
}

/** Lambda re-sends a failed batch after a backoff; tests need not wait Lambda's pace. */
const TIMING = { pollIntervalMs: 50, shardDiscoveryIntervalMs: 1_000, retryBackoffMs: () => 50 };

export async function startProcessorUnderTest(
  stack: TestStack,
  options: ProcessorUnderTestOptions = {},
): Promise<ProcessorUnderTest> {
  const directory = await mkdtemp(join(tmpdir(), 'liveinsight-processor-'));
  const file = join(directory, 'metrics.jsonl');
  const config = readProcessorConfig(stack.env);
  // Its own clients, so faults injected into the processor leave the test's writes alone.
  const clients = createAwsClients(config.aws);
  const faults = installFaultInjector([clients.dynamodb, clients.s3]);
  const handler = createProcessor(config, clients, { metrics: fileMetricsWriter(file) });
  const wrapped = options.wrap?.(handler) ?? handler;
  const invocations: ProcessorUnderTest['invocations'] = [];
  const recorded: StreamBatchHandler = async (event, context) => {
    const entry = { event: event as DynamoDBStreamEvent, outcome: undefined as unknown };
    invocations.push(entry);
    try {
      entry.outcome = await wrapped(event, context);
      return entry.outcome as Awaited<ReturnType<StreamBatchHandler>>;
    } catch (error) {
      entry.outcome = error;
      throw error;
    }
  };

  const mappings: EventSourceMappingHandle[] = [];
  for (const tableName of [config.sessionsTable, config.activeSessionsTable]) {
    mappings.push(
      await startEventSourceMapping({
        source: { type: 'dynamodb', tableName },
        settings: PROCESSOR_MAPPING_SETTINGS,
        handler: (event: DynamoDBStreamEvent, context: Context) => recorded(event, context),
        function: {
          name: `processor-${tableName}`,
          timeoutSeconds: FUNCTION_TUNING.processor.timeoutSeconds,
          memorySizeMb: FUNCTION_TUNING.processor.memoryMb,
        },
        clients: { dynamodbStreams: clients.dynamodbStreams, s3: clients.s3 },
        checkpointStore: new MemoryCheckpointStore(),
        destination: { type: 's3', bucket: config.failureBucket },
        timing: TIMING,
      }),
    );
  }
  const sink = new LocalMetricsSink({ file });

  return {
    config,
    clients,
    faults,
    sink,
    invocations,
    waitFor(probe, description, timeoutMs = 20_000) {
      return waitFor(
        async () => {
          await sink.poll();
          return probe();
        },
        () =>
          `${description}; ${invocations.length} invocation(s), sink ${JSON.stringify(sink.stats())}`,
        { timeoutMs, intervalMs: 50 },
      );
    },
    async settle() {
      await sink.poll();
      return sink;
    },
    async dispose() {
      await Promise.all(mappings.map((mapping) => mapping.stop()));
      faults.uninstall();
      clients.destroy();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/**
 * Everything the sink holds for one site (or `*` for all sites) as {metric: {minute: sum}},
 * minutes relative to `t0`'s minute — the shape the unit tests assert on.
 */
export function sinkTable(
  sink: LocalMetricsSink,
  site: string | undefined,
  t0: number,
): Record<string, Record<number, number>> {
  const base = Math.floor(t0 / 60_000);
  const table: Record<string, Record<number, number>> = {};
  for (const series of sink.aggregates.describe()) {
    const dimensions = Object.keys(series.dimensions);
    const matches =
      site === undefined
        ? dimensions.length === 0
        : dimensions.length === 1 && series.dimensions['Site'] === site;
    if (!matches || series.namespace !== sink.namespace) continue;
    for (const { minute, sum } of sink.aggregates.minutes(series)) {
      (table[series.metric] ??= {})[minute - base] = sum;
    }
  }
  return table;
}
