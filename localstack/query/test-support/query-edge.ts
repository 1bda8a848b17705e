/**
 * Test harness: the local edge on a test stack with the ingest API, the query API and the
 * dashboard mounted, two sites each with an ingest key and a read token, the rollup function on
 * the ActiveSessions stream (so items a test writes reach GET /realtime as on AWS), and a clock
 * tests may move (the stage and authorizer caches read it; DynamoDB items are written with real
 * time).
 */
import { createAwsClients, type AwsClients } from '../../../handlers/aws-clients';
import { issueReadToken } from '../../../handlers/authorizer/dynamo-read-tokens';
import { createRollupReader } from '../../../handlers/query/rollup-reader';
import { answerFromRollup } from '../../../pipeline/realtime/rollup-answer';
import type { RealtimeAnswer } from '../../../schemas/query';
import { startLocalRollup } from '../../rollup/local-rollup';
import type { TestStack } from '../../testing/use-test-stack';
import { waitFor } from '../../testing/wait-for';
import { type RunningEdge, startEdge } from '../../edge/server';
import { memoryRegistryReader } from '../../../pipeline/ingest-authorization';
import { newIngestKey } from '../../../pipeline/ingest-key';
import type { UsageLimits } from '../../edge/usage-limiter';
import { dashboardRoutes } from '../dashboard-routes';
import { queryRoutes } from '../query-routes';

export interface QueryEdge {
  readonly edge: RunningEdge;
  /** The edge's own clients (maxAttempts 1, as API Gateway's integration): tests add faults. */
  readonly clients: AwsClients;
  readonly url: string;
  readonly sites: {
    readonly a: { readonly siteId: string; readonly ingestKey: string; readonly readToken: string };
    readonly b: { readonly siteId: string; readonly ingestKey: string; readonly readToken: string };
  };
  /** Moves the edge's clock (caches) forward. */
  advance(ms: number): void;
  readonly errors: unknown[];
  /**
   * Waits (up to 20 s) until the rollup's counters of a site satisfy `done` — read directly,
   * not through the edge's stage cache — and returns that answer.
   */
  waitForRealtime(
    siteId: string,
    done: (answer: RealtimeAnswer) => boolean,
  ): Promise<RealtimeAnswer>;
  stop(): Promise<void>;
}

export interface QueryEdgeOptions {
  readonly realtimeCacheTtlMs?: number;
  readonly limits?: UsageLimits;
  readonly activeSessionShards?: number;
}

export async function startQueryEdge(
  stack: TestStack,
  options: QueryEdgeOptions = {},
): Promise<QueryEdge> {
  let offset = 0;
  const clock = () => Date.now() + offset;
  const clients: AwsClients = createAwsClients(
    { endpoint: stack.endpoint, region: stack.region },
    { maxAttempts: 1 },
  );
  const registry = memoryRegistryReader();
  const site = async (siteId: string) => {
    const ingestKey = newIngestKey(siteId).key;
    registry.putSite({ siteId, origins: ['*'], tier: 'standard', keys: [ingestKey] });
    return {
      siteId,
      ingestKey,
      readToken: await issueReadToken(clients.dynamodb, stack.names.tables.readTokens, siteId, {
        nowMs: Date.now(),
        label: 'test',
      }),
    };
  };
  const sites = { a: await site('site-a'), b: await site('site-b') };
  const errors: unknown[] = [];
  const edge = await startEdge({
    port: 0,
    streamName: stack.names.eventsStream,
    aws: { endpoint: stack.endpoint, region: stack.region },
    registry,
    clock,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    logError: (error) => errors.push(error),
    routes: [
      ...queryRoutes({
        dynamodb: clients.dynamodb,
        activeSessionsTable: stack.names.tables.activeSessions,
        realtimeRollupsTable: stack.names.tables.realtimeRollups,
        readTokensTable: stack.names.tables.readTokens,
        activeSessionShards: options.activeSessionShards ?? stack.resources.activeSessionShards,
        ...(options.realtimeCacheTtlMs === undefined
          ? {}
          : { realtimeCacheTtlMs: options.realtimeCacheTtlMs }),
        clock,
        logError: (error) => errors.push(error),
      }),
      ...dashboardRoutes(),
    ],
  });
  const rollup = await startLocalRollup({
    env: stack.env,
    clients: stack.clients,
    failureBucket: stack.names.buckets.failures,
    timing: { pollIntervalMs: 50, shardDiscoveryIntervalMs: 1_000 },
  });
  const counters = createRollupReader({
    dynamodb: stack.clients.dynamodb,
    tableName: stack.names.tables.realtimeRollups,
  });
  return {
    edge,
    clients,
    url: edge.url,
    sites,
    advance(ms) {
      offset += ms;
    },
    errors,
    waitForRealtime(siteId, done) {
      let answer: RealtimeAnswer | undefined;
      return waitFor(
        async () => {
          const nowMs = Date.now();
          answer = answerFromRollup(await counters.readBuckets(siteId, nowMs), { siteId, nowMs });
          return done(answer) && answer;
        },
        () => `the rollup of ${siteId} to get there: ${JSON.stringify(answer)}`,
        { timeoutMs: 20_000, intervalMs: 50 },
      );
    },
    async stop() {
      await Promise.all([edge.stop(), rollup.stop()]);
      clients.destroy();
    },
  };
}
