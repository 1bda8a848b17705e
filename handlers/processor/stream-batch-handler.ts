/**
 * The processor: a batch of DynamoDB stream records (Sessions and ActiveSessions) → business
 * metrics as EMF, written once per batch; malformed records → bad rows and an error metric.
 *
 * Failure semantics (Lambda with ReportBatchItemFailures, DESIGN.md section 5):
 * - bad data never fails anything: it becomes a bad row and counts in MalformedStreamRecords;
 * - a bad row that cannot be written (throttling, 5xx, network, deadline) is transient: that
 *   record and every record after it are reported in `batchItemFailures`. Lambda checkpoints
 *   before the first of them and re-sends them all, so the metrics of exactly the records before
 *   it are emitted now and those of the others when they come back — nothing counted twice;
 * - anything else (a bug, or EMF that cannot be written) throws: Lambda retries the batch.
 *
 * What remains at-least-once: once this batch's documents are written, anything that makes
 * Lambda deliver those records again — the invocation failing after the write (timeout, crash,
 * a lost response), or the whole batch retried after a throw that happened after the write —
 * re-emits the same documents, and CloudWatch adds them again. EMF itself is at-least-once.
 */
import { epochMinute } from '../../pipeline/metrics/activity-minutes';
import { deriveMetrics, type MetricPoint } from '../../pipeline/metrics/derive-metrics';
import { groupMetricPoints, malformedRecordGroups } from '../../pipeline/metrics/metric-groups';
import { formatIssues, parseWith, type BadRow } from '../../schemas';
import { type Deadline, deadlineFrom } from '../adapters/deadline';
import type { BadRowWriter } from './bad-row-writer';
import { renderEmfDocuments } from './emf-documents';
import type { MetricsWriter } from './metrics-writer';
import {
  malformedRecord,
  parseStreamRecord,
  type MalformedOutcome,
  type StreamTables,
} from '../dynamodb-stream/parse-stream-record';
import { InvalidInvocationError, type StreamBatchHandler } from '../dynamodb-stream/stream-batch';
import { DynamoDBStreamEventSchema } from '../dynamodb-stream/stream-record-schema';

export interface StreamBatchHandlerOptions {
  readonly tables: StreamTables;
  readonly namespace: string;
  readonly badRows: BadRowWriter;
  readonly metrics: MetricsWriter;
  /** Time budget when no Lambda context is given (local runs), default 30 s. */
  readonly defaultBudgetMs?: number;
  /** Clock for records that carry no creation time (never from Lambda); default Date.now. */
  readonly now?: () => number;
}

/** A record to retry has no sequence number, so it cannot be named in batchItemFailures. */
export class UnnamedRecordError extends Error {
  override readonly name = 'UnnamedRecordError';
}

type Outcome =
  | {
      readonly kind: 'metrics';
      readonly sequenceNumber: string;
      readonly points: readonly MetricPoint[];
    }
  | {
      readonly kind: 'bad-row';
      readonly sequenceNumber: string | undefined;
      readonly minute: number;
      readonly row: BadRow;
    };

export function createStreamBatchHandler(options: StreamBatchHandlerOptions): StreamBatchHandler {
  const now = options.now ?? Date.now;
  return async (event, context) => {
    const envelope = parseWith(DynamoDBStreamEventSchema, event);
    if (!envelope.ok) {
      throw new InvalidInvocationError(
        `Processor invoked with ${formatIssues(envelope.issues)} (expected a DynamoDB stream event {Records: [...]})`,
      );
    }
    const deadline: Deadline = deadlineFrom(
      context?.getRemainingTimeInMillis() ?? options.defaultBudgetMs ?? 30_000,
    );
    const outcomes = envelope.value.Records.map((raw) => classify(raw, options.tables, now));

    const failed = await options.badRows.write(
      outcomes.flatMap((outcome, index) =>
        outcome.kind === 'bad-row' ? [{ index, row: outcome.row }] : [],
      ),
      deadline,
    );
    const firstFailed = failed.size === 0 ? outcomes.length : Math.min(...failed);
    const done = outcomes.slice(0, firstFailed);
    const retry = outcomes.slice(firstFailed);
    const unnamed = retry.findIndex((outcome) => outcome.sequenceNumber === undefined);
    if (unnamed !== -1) {
      // Nothing was emitted yet: failing the whole batch re-sends it without counting twice.
      throw new UnnamedRecordError(
        `Record ${firstFailed + unnamed} of the batch must be retried but has no dynamodb.SequenceNumber (expected every record of a Lambda event to carry one)`,
      );
    }

    const documents = await renderEmfDocuments(
      [
        ...groupMetricPoints(done.flatMap((o) => (o.kind === 'metrics' ? o.points : []))),
        ...malformedRecordGroups(done.flatMap((o) => (o.kind === 'bad-row' ? [o.minute] : []))),
      ],
      options.namespace,
    );
    await options.metrics.write(documents);
    return {
      batchItemFailures: retry.map((outcome) => ({ itemIdentifier: outcome.sequenceNumber ?? '' })),
    };
  };
}

function classify(raw: unknown, tables: StreamTables, now: () => number): Outcome {
  const parsed = parseStreamRecord(raw, tables);
  if (!parsed.ok) return badRowOutcome(parsed, now);
  const { change, sequenceNumber } = parsed;
  const derivation = deriveMetrics(change);
  if (derivation.ok) return { kind: 'metrics', sequenceNumber, points: derivation.points };
  return badRowOutcome(
    malformedRecord(
      raw,
      `The ${change.eventName} record of ${change.table} is inconsistent (expected a change that only grows a session)`,
      derivation.problems,
    ),
    now,
  );
}

function badRowOutcome(malformed: MalformedOutcome, now: () => number): Outcome {
  return {
    kind: 'bad-row',
    sequenceNumber: malformed.sequenceNumber,
    minute: epochMinute(malformed.recordTimeMs ?? now()),
    row: malformed.badRow,
  };
}
