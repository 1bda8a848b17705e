/**
 * bench:consumer's realtime rollup: the rollup function on the ActiveSessions table the measured
 * consumer writes, through the local event-source mapping at Lambda's DynamoDB Streams pace
 * (startLocalRollup), with its own SDK clients carrying a request meter — so its transactions
 * are counted apart from the consumer's — and their write units computed from the item sizes
 * (consumer-rollup-wcu.ts: DynamoDB Local under-reports transactional capacity).
 *
 *   const rollup = await startMeteredRollup({ stack, resources, admin });
 *   … the consumer writes a batch …
 *   const figures = await rollup.catchUp();   // every stream record so far processed, counted
 *   await rollup.check(nowMs);                // counters agree with the items
 *   await rollup.stop();
 */
import { ScanCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { createAwsClients, type AwsClients } from '../../handlers/aws-clients';
import { fromItem } from '../../handlers/adapters/item-codec';
import { installRequestMeter } from '../../handlers/test-support/request-meter';
import { createRollupReader } from '../../handlers/query/rollup-reader';
import { createRollupBatchHandler } from '../../handlers/rollup/rollup-batch';
import type { ResourceDefinitions } from '../../infra/resources';
import { handlerEnv } from '../../localstack/handler-env';
import type { LocalStack } from '../../localstack/local-stack';
import { startLocalRollup } from '../../localstack/rollup/local-rollup';
import { readStreamRecords } from '../../localstack/testing/stream-records';
import { currentUntilSecond } from '../../pipeline/realtime/rollup';
import { answerFromRollup } from '../../pipeline/realtime/rollup-answer';
import { ActiveSessionItemSchema, type ActiveSessionItem } from '../../schemas/items';
import { installTransactionSizer } from './consumer-rollup-wcu';

/** What the rollup did since the previous `catchUp`. */
export interface RollupFigures {
  /** Records that appeared on the ActiveSessions stream (all of them processed). */
  readonly streamRecords: number;
  readonly invocations: number;
  /** TransactWriteItems requests (one per applied chunk; SDK retries included). */
  readonly transactions: number;
  /** Every DynamoDB request of the function (transactions, and marker reads on redelivery). */
  readonly requests: number;
  /** Write units as AWS bills them: 2 × each action's units at its larger image (computed). */
  readonly wcu: number;
  /** What DynamoDB Local reported for the same transactions (an under-count, for reference). */
  readonly reportedWcu: number;
  /** CPU time of the handler without I/O, over the same events (see `startMeteredRollup`). */
  readonly cpuMs: number;
}

export interface RealtimeCheck {
  readonly activeSessions: number;
  readonly currentVisitors: number;
  readonly bots: number;
}

export interface MeteredRollup {
  /**
   * Waits (polling, with a deadline) until the mapping has acknowledged every record now on the
   * stream, then returns the figures since the previous call.
   */
  catchUp(timeoutMs?: number): Promise<RollupFigures>;
  /**
   * The counters' answer at `nowMs` against a direct count over the ActiveSessions items: throws
   * unless they agree (every change counted once), returns the figures.
   */
  check(siteId: string, nowMs: number): Promise<RealtimeCheck>;
  stop(): Promise<void>;
}

/** How long the rollup may take to catch up with one consumer batch on a busy 2-core machine. */
const CATCH_UP_MS = 120_000;
const POLL_MS = 50;

export async function startMeteredRollup(options: {
  readonly stack: LocalStack;
  readonly resources: ResourceDefinitions;
  /** Unmetered clients for reading the stream and the tables. */
  readonly admin: AwsClients;
}): Promise<MeteredRollup> {
  const { stack, resources, admin } = options;
  const activeSessionsTable = resources.names.tables.activeSessions;
  const clients = createAwsClients({ endpoint: stack.endpoint, region: stack.region });
  const meter = installRequestMeter([clients.dynamodb]);
  const sizer = installTransactionSizer({
    client: clients.dynamodb,
    reader: admin.dynamodb,
    keyNames: ['pk', 'sk'],
  });
  // The handler's CPU share, as the consumer's is timed: the same handler code over the same
  // event with the transaction port answering at once (no I/O), run just before the real one.
  const cpuOnly = createRollupBatchHandler({
    rollups: {
      applyChunk: async (chunk) => ({ kind: 'applied', buckets: chunk.deltas.size, dropped: [] }),
    },
    activeSessionsTable,
    log: () => undefined,
  });
  let cpuMs = 0;
  const rollup = await startLocalRollup({
    env: handlerEnv(stack.endpoint, stack.region, resources),
    clients,
    failureBucket: resources.names.buckets.failures,
    wrap: (handler) => async (event, context) => {
      const start = process.hrtime.bigint();
      await cpuOnly(event);
      cpuMs += Number(process.hrtime.bigint() - start) / 1e6;
      return handler(event, context);
    },
  });

  let seen = { streamRecords: 0, invocations: 0, cpuMs: 0 };

  return {
    async catchUp(timeoutMs = CATCH_UP_MS) {
      const onStream = (await readStreamRecords(admin, activeSessionsTable, () => true)).length;
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const stats = rollup.mapping.stats();
        const failed =
          stats.functionErrors +
          stats.timeouts +
          stats.invalidResponses +
          stats.partialFailures +
          stats.recordsToDestination;
        if (failed > 0) {
          throw new Error(
            `the rollup failed on a clean run: ${stats.functionErrors} function errors, ${stats.timeouts} timeouts, ` +
              `${stats.partialFailures} partial failures, ${stats.recordsToDestination} records to the destination ` +
              `(expected none; last error: ${stats.lastError ?? 'none'})`,
          );
        }
        if (stats.recordsSucceeded >= onStream && rollup.mapping.lag().pendingRecords === 0) break;
        if (Date.now() > deadline) {
          throw new Error(
            `the rollup acknowledged ${stats.recordsSucceeded} of the ${onStream} records on the ${activeSessionsTable} ` +
              `stream within ${timeoutMs} ms (expected all; ${rollup.mapping.lag().pendingRecords} pending)`,
          );
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      const stats = rollup.mapping.stats();
      const transactions = [...meter.byOperation.entries()]
        .filter(([operation]) => operation.startsWith('TransactWriteItems '))
        .reduce((sum, [, count]) => sum + count.requests, 0);
      const total = meter.total();
      const figures: RollupFigures = {
        streamRecords: onStream - seen.streamRecords,
        invocations: stats.invocations - seen.invocations,
        transactions,
        requests: total.requests,
        wcu: sizer.writeUnits(),
        reportedWcu: total.reportedWriteUnits,
        cpuMs: cpuMs - seen.cpuMs,
      };
      seen = { streamRecords: onStream, invocations: stats.invocations, cpuMs };
      meter.reset();
      sizer.reset();
      return figures;
    },

    async check(siteId, nowMs) {
      const buckets = await createRollupReader({
        dynamodb: admin.dynamodb,
        tableName: resources.names.tables.realtimeRollups,
      }).readBuckets(siteId, nowMs);
      const answer = answerFromRollup(buckets, { siteId, nowMs });
      const got: RealtimeCheck = {
        activeSessions: answer.activeSessions,
        currentVisitors: answer.currentVisitors,
        bots: answer.bots.sessions,
      };
      const want = expectedCounts(await scanItems(admin, activeSessionsTable), siteId, nowMs);
      if (JSON.stringify(got) !== JSON.stringify(want)) {
        throw new Error(
          `the rollup counters answer ${JSON.stringify(got)} at ${new Date(nowMs).toISOString()}; ` +
            `the ActiveSessions items say ${JSON.stringify(want)} (expected the same)`,
        );
      }
      return got;
    },

    async stop() {
      try {
        await rollup.stop();
      } finally {
        meter.uninstall();
        sizer.uninstall();
        clients.destroy();
      }
    },
  };
}

async function scanItems(admin: AwsClients, table: string): Promise<ActiveSessionItem[]> {
  const items: ActiveSessionItem[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await admin.dynamodb.send(
      new ScanCommand({ TableName: table, ExclusiveStartKey: start }),
    );
    for (const item of page.Items ?? []) items.push(fromItem(ActiveSessionItemSchema, table, item));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

/**
 * The headline counts straight from the items, as the rollup defines them
 * (pipeline/realtime/rollup.ts): to the second, current visitors counted per session.
 */
function expectedCounts(
  items: readonly ActiveSessionItem[],
  siteId: string,
  nowMs: number,
): RealtimeCheck {
  const nowSecond = Math.floor(nowMs / 1000);
  const active = items.filter((item) => item.siteId === siteId && item.expiresAt > nowSecond);
  const humans = active.filter((item) => !item.isBot);
  return {
    activeSessions: humans.length,
    currentVisitors: humans.filter(
      (item) =>
        item.lastInteractionAt > 0 && currentUntilSecond(item.lastInteractionAt) > nowSecond,
    ).length,
    bots: active.length - humans.length,
  };
}
