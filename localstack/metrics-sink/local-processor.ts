/**
 * The processor as `npm start` runs it: the handler in-process on the local event-source
 * mapping of the Sessions and ActiveSessions streams (PROCESSOR_MAPPING_SETTINGS, as on AWS),
 * writing its EMF documents to a JSON-lines file that the local metrics sink tails.
 *
 *   const processor = await startLocalProcessor({ env: product.env, clients: product.clients,
 *     metricsFile: '.liveinsight/metrics.jsonl', print: (text) => console.log(text) });
 *   product.addPart(processor);            // stops with the product
 *   processor.sink.summary();              // what the dashboard shows, per site and all sites
 */
import { mkdir } from 'node:fs/promises';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { dirname } from 'node:path';
import type { AwsClients } from '../../handlers/aws-clients';
import { readProcessorConfig } from '../../handlers/config';
import type { EnvName } from '../../handlers/env-names';
import { createProcessor } from '../../handlers/processor/handler';
import { fileMetricsWriter } from '../../handlers/processor/metrics-writer';
import { FUNCTION_TUNING, PROCESSOR_MAPPING_SETTINGS } from '../../infra/resources';
import { epochMinute } from '../../pipeline/metrics/activity-minutes';
import {
  checkpointStoreIn,
  startEventSourceMapping,
  type EventSourceMappingHandle,
} from '../event-source-mapping';
import type { LocalPart } from '../local-product';
import { LocalMetricsSink } from './metrics-sink';
import { formatSummary } from './summary';

export interface LocalProcessorOptions {
  /** The handlers' environment of the local product (handler-env.ts). */
  readonly env: Readonly<Partial<Record<EnvName, string>>>;
  readonly clients: Pick<AwsClients, 'dynamodb' | 'dynamodbStreams' | 's3'>;
  /** JSON-lines file the processor appends EMF documents to (created with its folder). */
  readonly metricsFile: string;
  /**
   * Folder of durable mapping checkpoints, so a restart resumes where it stopped.
   * @default in memory (a restart reads the streams from TRIM_HORIZON again)
   */
  readonly checkpointDir?: string;
  /** Receives the summary once a minute (when the minute turns). @default nothing printed */
  readonly print?: (text: string) => void;
  /** How often the sink reads the file. @default 500 ms */
  readonly pollIntervalMs?: number;
}

export interface LocalProcessor extends LocalPart {
  readonly sink: LocalMetricsSink;
  readonly mappings: readonly EventSourceMappingHandle[];
}

export async function startLocalProcessor(options: LocalProcessorOptions): Promise<LocalProcessor> {
  const config = readProcessorConfig(options.env);
  await mkdir(dirname(options.metricsFile), { recursive: true });
  const handler = createProcessor(config, options.clients, {
    metrics: fileMetricsWriter(options.metricsFile),
  });
  const checkpointStore = checkpointStoreIn(options.checkpointDir);
  const mappings: EventSourceMappingHandle[] = [];
  try {
    for (const tableName of [config.sessionsTable, config.activeSessionsTable]) {
      mappings.push(
        await startEventSourceMapping({
          source: { type: 'dynamodb', tableName },
          settings: PROCESSOR_MAPPING_SETTINGS,
          handler: (event: DynamoDBStreamEvent, context: Context) => handler(event, context),
          function: {
            name: 'liveinsight-processor',
            timeoutSeconds: FUNCTION_TUNING.processor.timeoutSeconds,
            memorySizeMb: FUNCTION_TUNING.processor.memoryMb,
          },
          clients: { dynamodbStreams: options.clients.dynamodbStreams, s3: options.clients.s3 },
          checkpointStore,
          destination: { type: 's3', bucket: config.failureBucket },
        }),
      );
    }
  } catch (error) {
    await Promise.all(mappings.map((mapping) => mapping.stop()));
    throw error;
  }

  const sink = new LocalMetricsSink({
    file: options.metricsFile,
    namespace: config.metricsNamespace,
  });
  sink.start(options.pollIntervalMs ?? 500);
  let printedMinute = epochMinute(Date.now());
  const printer =
    options.print === undefined
      ? undefined
      : setInterval(() => {
          const minute = epochMinute(Date.now());
          if (minute === printedMinute) return;
          printedMinute = minute;
          options.print?.(formatSummary(sink.summary()));
        }, 1_000);
  printer?.unref();

  return {
    sink,
    mappings,
    summary: `processor DynamoDB streams of ${config.sessionsTable}, ${config.activeSessionsTable} → EMF ${options.metricsFile} (local metrics sink)`,
    async stop() {
      if (printer !== undefined) clearInterval(printer);
      await Promise.all(mappings.map((mapping) => mapping.stop()));
      await sink.stop();
    },
  };
}
