/**
 * The processor's Lambda handler built from its dependencies, so that tests, the local
 * event-source mapping and `npm start` run exactly what AWS runs (index.ts wires it from the
 * environment). On Lambda the EMF documents go to stdout; locally, to a JSON-lines file that the
 * local metrics sink (localstack/metrics-sink) tails.
 */
import type { AwsClients } from '../aws-clients';
import type { ProcessorConfig } from '../config';
import { DynamoBadRowWriter } from './bad-row-writer';
import { type MetricsWriter, streamMetricsWriter } from './metrics-writer';
import type { StreamBatchHandler } from '../dynamodb-stream/stream-batch';
import { createStreamBatchHandler } from './stream-batch-handler';

export interface ProcessorOptions {
  /** Where EMF documents go (default: stdout, as on Lambda). */
  readonly metrics?: MetricsWriter;
  /** Time budget when invoked without a Lambda context (default 30 s). */
  readonly defaultBudgetMs?: number;
}

export function createProcessor(
  config: ProcessorConfig,
  clients: Pick<AwsClients, 'dynamodb' | 's3'>,
  options: ProcessorOptions = {},
): StreamBatchHandler {
  return createStreamBatchHandler({
    tables: { sessions: config.sessionsTable, activeSessions: config.activeSessionsTable },
    namespace: config.metricsNamespace,
    badRows: new DynamoBadRowWriter(clients, config.badRowsTable, config.failureBucket),
    metrics: options.metrics ?? streamMetricsWriter(process.stdout),
    ...(options.defaultBudgetMs === undefined ? {} : { defaultBudgetMs: options.defaultBudgetMs }),
  });
}
