/**
 * The consumer's Lambda handler, built from its dependencies so that tests, the local event-source
 * mapping and the benchmark run exactly what AWS runs (index.ts wires it from the environment).
 */
import type { Context, KinesisStreamBatchResponse, KinesisStreamEvent } from 'aws-lambda';
import { createBatchProcessor } from '../../pipeline/process-batch';
import type { AwsClients } from '../aws-clients';
import type { ConsumerConfig } from '../config';
import {
  type SecretSource,
  configSecretSource,
  refreshingSalt,
} from '../adapters/visitor-salt-secret';
import type { Backoff } from '../adapters/deadline';
import {
  type BatchReport,
  type ConsumerDeps,
  type ConsumerTables,
  consumeBatch,
} from './consume-batch';
import { SessionCache } from './session-cache';

export type ConsumerHandler = (
  event: KinesisStreamEvent,
  context: Pick<Context, 'getRemainingTimeInMillis'>,
) => Promise<KinesisStreamBatchResponse>;

export interface ConsumerHandlerOptions {
  /** Receives every batch's report (default: one JSON log line). */
  readonly onReport?: (report: BatchReport) => void;
  readonly sessionCacheEntries?: number;
  readonly concurrency?: number;
  readonly backoff?: Backoff;
  readonly now?: () => number;
  /**
   * The visitor-salt key's source. Required when the configuration names a Secrets Manager
   * secret (index.ts passes one with a client); by default the key in the configuration.
   */
  readonly saltSecret?: SecretSource;
}

export interface ConsumerRuntime {
  readonly handler: ConsumerHandler;
}

export function createConsumer(
  config: ConsumerConfig,
  clients: Pick<AwsClients, 'dynamodb' | 's3'>,
  options: ConsumerHandlerOptions = {},
): ConsumerRuntime {
  const cache = new SessionCache(options.sessionCacheEntries);
  const salt = refreshingSalt(options.saltSecret ?? configuredSaltSecret(config));
  const deps: ConsumerDeps = {
    dynamodb: clients.dynamodb,
    s3: clients.s3,
    tables: consumerTables(config),
    process: createBatchProcessor({
      clock: { now: options.now ?? Date.now },
      salt: salt.provider,
    }),
    cache,
    ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  };
  const onReport = options.onReport ?? logReport;
  return {
    handler: async (event, context) => {
      await salt.refresh();
      const { response, report } = await consumeBatch(event, context, deps);
      onReport(report);
      return response;
    },
  };
}

/**
 * Where the consumer writes, from its configuration: one mapping for Lambda's handler and the
 * admin CLI's replays (cli/consumer-runner.ts), so a replay never writes elsewhere than Lambda.
 */
export function consumerTables(config: ConsumerConfig): ConsumerTables {
  return {
    events: config.eventsTable,
    sessions: config.sessionsTable,
    activeSessions: config.activeSessionsTable,
    badRows: config.badRowsTable,
    failureBucket: config.failureBucket,
    activeSessionShards: config.shardPlan ?? config.activeSessionShards,
  };
}

function configuredSaltSecret(config: ConsumerConfig): SecretSource {
  if (config.visitorSalt.kind === 'value') return configSecretSource(config.visitorSalt.secret);
  throw new Error(
    `the visitor salt key is the Secrets Manager secret ${config.visitorSalt.secretId} (expected options.saltSecret with a client to read it, as handlers/consumer/index.ts passes)`,
  );
}

function logReport(report: BatchReport): void {
  console.log(JSON.stringify({ message: 'consumer batch', ...report }));
}
