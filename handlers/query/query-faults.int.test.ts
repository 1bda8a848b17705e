/**
 * When DynamoDB throttles or fails, the query API answers 503 with the contract's error body
 * (and /health says which check failed) instead of a partial count; faults are injected into
 * the real client as SDK middleware.
 */
import { createAwsClients, type AwsClients } from '../aws-clients';
import { installFaultInjector } from '../test-support/fault-injector';
import { serverError, throttlingException } from '../test-support/faults';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { changeDelta } from '../../pipeline/realtime/rollup';
import { DynamoRealtimeRollups } from '../adapters/dynamo-realtime-rollups';
import { deadlineFrom } from '../adapters/deadline';
import { activeSessionItem, seedActiveSessions } from './__fixtures__/active-session-items';
import { queryApiOnTables } from './test-support/query-api-on-tables';
import type { QueryApi } from './query-api';

const nowMs = Date.now();
let stack: TestStack;
let clients: AwsClients;

function apiWith(): QueryApi {
  return queryApiOnTables(clients.dynamodb, stack.names.tables, {
    shardCount: 4,
    nowMs,
    logError: () => undefined,
  });
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'query-faults' });
  const session = activeSessionItem({ siteId: 'site-a', sessionId: 's1', shard: 2, nowMs });
  await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, [session]);
  // Its counters, as the rollup function writes them from the insert's stream record.
  await new DynamoRealtimeRollups(
    stack.clients.dynamodb,
    stack.names.tables.realtimeRollups,
  ).applyChunk(
    {
      firstEventId: 'seed',
      lastSequence: '1',
      deltas: new Map([['site-a', changeDelta(undefined, session)]]),
    },
    deadlineFrom(10_000),
    nowMs,
  );
  // One attempt per call: the SDK's retries are not what this file tests.
  clients = createAwsClients(
    { endpoint: stack.endpoint, region: stack.region },
    { maxAttempts: 1 },
  );
});

afterAll(async () => {
  clients.destroy();
  await stack.dispose();
});

describe('query API under DynamoDB faults', () => {
  it.each([
    ['/realtime when its Query of the counters', '/realtime', 0],
    ['/sessions/active when one shard’s Query', '/sessions/active', 2],
  ])('answers 503 storage_unavailable on %s is throttled', async (_name, path, after) => {
    const faults = installFaultInjector([clients.dynamodb]);
    try {
      faults.add({ operation: 'Query', fault: throttlingException(), after, times: 1 });

      const response = await apiWith()({
        method: 'GET',
        path,
        query: { siteId: 'site-a' },
        grantedSiteId: 'site-a',
      });

      expect(faults.injections).toHaveLength(1);
      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toEqual({
        error: { code: 'storage_unavailable', message: expect.stringMatching(/retry/) },
      });
    } finally {
      faults.uninstall();
    }
  });

  it('reports the table unreachable on /health', async () => {
    const faults = installFaultInjector([clients.dynamodb]);
    try {
      faults.add({ operation: 'DescribeTable', fault: serverError(500), times: Infinity });

      const response = await apiWith()({
        method: 'GET',
        path: '/health',
        query: {},
        grantedSiteId: undefined,
      });

      expect(response.statusCode).toBe(503);
      expect(JSON.parse(response.body)).toMatchObject({
        status: 'unavailable',
        checks: { activeSessionsTable: 'unreachable' },
      });
    } finally {
      faults.uninstall();
    }
  });

  it('answers the same request normally once the fault is gone', async () => {
    const response = await apiWith()({
      method: 'GET',
      path: '/realtime',
      query: { siteId: 'site-a' },
      grantedSiteId: 'site-a',
    });

    expect(response.statusCode).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({ activeSessions: 1 });
  });
});
