/**
 * The processor on the emulators, through the local event-source mapping, as it runs under
 * `npm start`: items written to Sessions and ActiveSessions (shaped by the pipeline's own fold,
 * as the consumer writes them) stream to the handler, whose EMF documents the local metrics sink
 * aggregates. Each test asserts the exact per-minute values the sink holds.
 */
import { DeleteItemCommand, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { toItem } from '../adapters/item-codec';
import { throttlingException } from '../test-support/faults';
import type { DynamoDBBatchResponse } from 'aws-lambda';
import { MINUTE, activeSessionItemAt, recentT0, sessionItemAt } from './__fixtures__/stream-events';
import { ones, range } from './__fixtures__/emf-table';
import {
  type ProcessorUnderTest,
  sinkTable,
  startProcessorUnderTest,
} from './test-support/processor-under-test';

let stack: TestStack;
let processor: ProcessorUnderTest;

async function start(options: Parameters<typeof startProcessorUnderTest>[1] = {}) {
  processor = await startProcessorUnderTest(stack, options);
}

beforeEach(async () => {
  stack = await useTestStack({ name: 'processor' });
});
afterEach(async () => {
  await processor.dispose();
  await stack.dispose();
});

const put = (table: string, item: object) =>
  stack.clients.dynamodb.send(new PutItemCommand({ TableName: table, Item: toItem(item) }));
const tables = () => ({
  sessions: processor.config.sessionsTable,
  activeSessions: processor.config.activeSessionsTable,
});
const total = (row: Record<number, number> | undefined) =>
  Object.values(row ?? {}).reduce((sum, value) => sum + value, 0);

const SITE = 'demo-shop';
const twos = (minutes: readonly number[]) => Object.fromEntries(minutes.map((m) => [m, 2]));

describe('processor through the local event-source mapping', () => {
  it('counts a new session (INSERT), then only what a MODIFY adds', async () => {
    await start();
    const t0 = recentT0();
    const first = sessionItemAt(t0, [{ seq: 0, at: 0 }], 1);
    const second = sessionItemAt(
      t0,
      [
        { seq: 0, at: 0 },
        { seq: 1, at: 2 * MINUTE, path: '/pricing' },
        { seq: 2, at: 3 * MINUTE, path: '/signup' },
      ],
      2,
    );

    // INSERT (the consumer also upserts ActiveSessions: that stream adds nothing).
    await put(tables().sessions, first);
    await put(tables().activeSessions, activeSessionItemAt(t0, [{ seq: 0, at: 0 }]));
    await processor.waitFor(
      () => total(sinkTable(processor.sink, SITE, t0)['PageViews']) === 1,
      'the first page view',
    );
    expect(sinkTable(processor.sink, SITE, t0)).toEqual({
      SessionsStarted: { 0: 1 },
      PageViews: { 0: 1 },
      Events: { 0: 1 },
      ActiveSessionMinutes: ones(range(0, 29)),
      CurrentVisitorMinutes: ones(range(0, 4)),
    });

    // MODIFY with two more page views.
    await put(tables().sessions, second);
    await processor.waitFor(
      () => total(sinkTable(processor.sink, SITE, t0)['PageViews']) === 3,
      'three page views',
    );
    const expected = {
      SessionsStarted: { 0: 1 },
      PageViews: { 0: 1, 3: 2 },
      Events: { 0: 1, 3: 2 },
      ActiveSessionMinutes: ones(range(0, 32)),
      CurrentVisitorMinutes: ones(range(0, 7)),
    };
    expect(sinkTable(processor.sink, SITE, t0)).toEqual(expected);
    expect(sinkTable(processor.sink, undefined, t0)).toEqual(expected);
    expect(processor.sink.stats().invalidDocuments).toBe(0);
  });

  it('counts an expiry by TTL (with its bounce and duration) but not a delete by a user', async () => {
    await start();
    // Sessions whose 30-minute window closed ten minutes ago.
    const t0 = recentT0() - 30 * MINUTE;
    const bounced = activeSessionItemAt(t0, [
      { seq: 0, at: 0, sessionId: 'sess_bounced01' },
      { seq: 1, at: 30_000, sessionId: 'sess_bounced01', type: 'engagement', engagedMs: 4_000 },
    ]);
    const engaged = activeSessionItemAt(t0, [
      { seq: 0, at: 0, sessionId: 'sess_engaged01' },
      { seq: 1, at: 90_000, sessionId: 'sess_engaged01' },
    ]);
    const deleted = activeSessionItemAt(t0, [{ seq: 0, at: 0, sessionId: 'sess_deleted01' }]);
    for (const item of [bounced, engaged, deleted]) await put(tables().activeSessions, item);
    await stack.clients.dynamodb.send(
      new DeleteItemCommand({
        TableName: tables().activeSessions,
        Key: toItem({ pk: deleted.pk, sk: deleted.sk }),
      }),
    );

    const swept = await stack.sweepTtl([tables().activeSessions]);

    expect(swept).toHaveLength(2);
    await processor.waitFor(
      () => total(sinkTable(processor.sink, SITE, t0)['SessionsExpired']) === 2,
      'two expiries',
    );
    // Windows closed 30 min after the last activity: minute 30 (at +30 s) and 31 (at +90 s).
    expect(sinkTable(processor.sink, SITE, t0)).toEqual({
      SessionsExpired: { 30: 1, 31: 1 },
      Bounces: { 30: 1 },
      SessionDuration: { 30: 30_000, 31: 90_000 },
    });
    // Every REMOVE was delivered: three of them, only two by TTL.
    const removes = processor.invocations
      .flatMap((i) => i.event.Records)
      .filter((r) => r.eventName === 'REMOVE');
    expect(removes).toHaveLength(3);
    expect(
      removes.filter((r) => r.userIdentity?.principalId === 'dynamodb.amazonaws.com'),
    ).toHaveLength(2);
  });

  it('keeps a poison record as a bad row and an error metric, and goes on', async () => {
    await start();
    const t0 = recentT0();
    const poison = {
      ...sessionItemAt(t0, [{ seq: 0, at: 0, sessionId: 'sess_poison01' }]),
      pageviews: 'many',
    };
    const healthy = sessionItemAt(t0, [{ seq: 0, at: 0, sessionId: 'sess_healthy1' }]);

    await put(tables().sessions, poison);
    await put(tables().sessions, healthy);

    await processor.waitFor(
      () =>
        total(sinkTable(processor.sink, undefined, t0)['MalformedStreamRecords']) === 1 &&
        total(sinkTable(processor.sink, SITE, t0)['PageViews']) === 1,
      'the error metric and the healthy session',
    );
    expect(sinkTable(processor.sink, SITE, t0)['SessionsStarted']).toEqual({ 0: 1 });
    const badRows = await badRowItems(processor.config.badRowsTable, t0);
    expect(badRows).toEqual([
      expect.objectContaining({
        reason: 'malformed_stream_record',
        message: "dynamodb.NewImage does not match the table's item schema",
        details: ['pageviews: expected integer, received string "many"'],
        siteId: SITE,
        origin: expect.objectContaining({ kind: 'dynamodb-stream' }),
      }),
    ]);
    // Bad data never failed a batch.
    expect(processor.invocations.map((i) => i.outcome)).toEqual(
      processor.invocations.map(() => ({ batchItemFailures: [] })),
    );
  });

  it('re-delivers from a record whose bad row could not be written, counting everything once', async () => {
    await start();
    const t0 = recentT0();
    // Every SDK attempt of the first bad-row write is throttled.
    processor.faults.add({
      operation: 'BatchWriteItem',
      target: processor.config.badRowsTable,
      fault: throttlingException(),
      times: 3,
    });
    const before = sessionItemAt(t0, [{ seq: 0, at: 0, sessionId: 'sess_before01' }]);
    const poison = {
      ...sessionItemAt(t0, [{ seq: 0, at: 0, sessionId: 'sess_poison02' }]),
      events: -1,
    };
    const after = sessionItemAt(t0, [
      { seq: 0, at: 0, sessionId: 'sess_after001' },
      { seq: 1, at: MINUTE, sessionId: 'sess_after001' },
    ]);

    for (const item of [before, poison, after]) await put(tables().sessions, item);

    await processor.waitFor(
      () => total(sinkTable(processor.sink, SITE, t0)['PageViews']) === 3,
      'both healthy sessions',
    );
    await processor.waitFor(
      () => (processor.faults.injections.length === 3 ? true : undefined),
      'the throttles',
    );
    const failed = processor.invocations
      .map((i) => i.outcome as DynamoDBBatchResponse)
      .find((answer) => (answer.batchItemFailures ?? []).length > 0);
    expect(failed).toBeDefined();
    expect(sinkTable(processor.sink, SITE, t0)).toEqual({
      SessionsStarted: { 0: 2 },
      // A first write's counters land at its last activity: minute 1 for the second session.
      PageViews: { 0: 1, 1: 2 },
      Events: { 0: 1, 1: 2 },
      ActiveSessionMinutes: { ...twos(range(0, 29)), 30: 1 },
      CurrentVisitorMinutes: { ...twos(range(0, 4)), 5: 1 },
    });
    expect(total(sinkTable(processor.sink, undefined, t0)['MalformedStreamRecords'])).toBe(1);
    expect(await badRowItems(processor.config.badRowsTable, t0)).toHaveLength(1);
  });

  it('re-emits a batch whose invocation failed after the EMF write: the documented at-least-once', async () => {
    let crashes = 0;
    await start({
      wrap: (handler) => async (event, context) => {
        const answer = await handler(event, context);
        if (crashes === 0) {
          crashes += 1;
          throw new Error('the response was lost after the documents were written');
        }
        return answer;
      },
    });
    const t0 = recentT0();

    await put(tables().sessions, sessionItemAt(t0, [{ seq: 0, at: 0 }]));

    await processor.waitFor(
      () => total(sinkTable(processor.sink, SITE, t0)['PageViews']) === 2,
      'the batch counted twice',
    );
    expect(sinkTable(processor.sink, SITE, t0)).toEqual({
      SessionsStarted: { 0: 2 },
      PageViews: { 0: 2 },
      Events: { 0: 2 },
      ActiveSessionMinutes: twos(range(0, 29)),
      CurrentVisitorMinutes: twos(range(0, 4)),
    });
    expect(processor.invocations).toHaveLength(2);
  });
});

/** BadRows written since `t0` (keyed by the record's arrival day, every bucket), as stored. */
async function badRowItems(table: string, t0: number): Promise<Record<string, unknown>[]> {
  const days = new Set([t0, Date.now()].map((ms) => new Date(ms).toISOString().slice(0, 10)));
  const items: Record<string, unknown>[] = [];
  for (const day of days)
    for (let bucket = 0; bucket < 8; bucket += 1) {
      const page = await stack.clients.dynamodb.send(
        new QueryCommand({
          TableName: table,
          KeyConditionExpression: 'pk = :pk',
          ExpressionAttributeValues: { ':pk': { S: `${day}#${bucket}` } },
        }),
      );
      items.push(...(page.Items ?? []).map((item) => unmarshall(item)));
    }
  return items;
}
