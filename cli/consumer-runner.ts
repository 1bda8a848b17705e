/**
 * The consumer's own batch function (handlers/consumer/consume-batch.ts), wired like
 * handlers/consumer/handler.ts wires it for Lambda — same processor, same salt source, same
 * session cache and guards — for records the admin CLI replays (redrive, bad-row replay).
 * It also hands back each record's outcome (stored or bad, from the pipeline's own result), which
 * the bad-row replay needs and Lambda's handler has no use for.
 */
import type { KinesisStreamEvent } from 'aws-lambda';
import type { AwsClients } from '../handlers/aws-clients';
import type { ConsumerConfig } from '../handlers/config';
import { refreshingSalt, visitorSaltSecretSource } from '../handlers/adapters/visitor-salt-secret';
import { type BatchReport, consumeBatch } from '../handlers/consumer/consume-batch';
import { consumerTables } from '../handlers/consumer/handler';
import { SessionCache } from '../handlers/consumer/session-cache';
import { createSecretsManagerClient } from '../handlers/secrets-manager-client';
import type { KinesisInputRecord } from '../pipeline/kinesis-record';
import type { RecordOutcome } from '../pipeline/outcomes';
import { type BatchProcessor, createBatchProcessor } from '../pipeline/process-batch';

/** Time one replayed batch may take: Lambda's consumer timeout is 15 s; an operator can wait. */
const BATCH_BUDGET_MS = 60_000;

export interface ReplayResult {
  readonly report: BatchReport;
  /** One per record, in input order (the pipeline's verdict, before the writes). */
  readonly outcomes: readonly RecordOutcome[];
  /** Sequence numbers whose writes failed (transient): not done, replay them again. */
  readonly failed: ReadonlySet<string>;
}

export interface ConsumerRunner {
  replay(records: readonly KinesisInputRecord[]): Promise<ReplayResult>;
  /** The pipeline's verdict alone, nothing written (dry runs). */
  classify(records: readonly KinesisInputRecord[]): Promise<readonly RecordOutcome[]>;
}

export function consumerRunner(
  config: ConsumerConfig,
  clients: Pick<AwsClients, 'dynamodb' | 's3'>,
): ConsumerRunner {
  const salt = refreshingSalt(
    visitorSaltSecretSource(config.visitorSalt, () => createSecretsManagerClient(config.aws)),
  );
  const pipeline = createBatchProcessor({ clock: { now: Date.now }, salt: salt.provider });
  let outcomes: readonly RecordOutcome[] = [];
  const process: BatchProcessor = (records) => {
    const result = pipeline(records);
    outcomes = result.outcomes;
    return result;
  };
  const cache = new SessionCache();
  return {
    async classify(records) {
      await salt.refresh();
      return pipeline(records).outcomes;
    },
    async replay(records) {
      await salt.refresh();
      const deadline = Date.now() + BATCH_BUDGET_MS;
      const { report } = await consumeBatch(
        // Lambda's own record type is assignable to the pipeline's; the reverse holds for the
        // fields consumeBatch reads.
        { Records: records } as unknown as KinesisStreamEvent,
        { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) },
        {
          dynamodb: clients.dynamodb,
          s3: clients.s3,
          tables: consumerTables(config),
          process,
          cache,
        },
      );
      return { report, outcomes, failed: new Set(report.failedSequenceNumbers) };
    },
  };
}
