import type { BadRow } from '../../schemas';
import type { BadRowWriter, PendingBadRow } from './bad-row-writer';
import type { MetricsWriter } from './metrics-writer';
import { InvalidInvocationError } from '../dynamodb-stream/stream-batch';
import { UnnamedRecordError, createStreamBatchHandler } from './stream-batch-handler';
import {
  MINUTE,
  TABLES,
  activeSessionItemAt,
  recentT0,
  sessionItemAt,
  streamArn,
  streamEvent,
  streamRecord,
} from './__fixtures__/stream-events';
import { emfTable, ones, range } from './__fixtures__/emf-table';

/** The BadRows port in memory; `failing` positions report a transient failure. */
class MemoryBadRows implements BadRowWriter {
  readonly written: BadRow[] = [];
  constructor(private readonly failing: ReadonlySet<number> = new Set()) {}
  write(rows: readonly PendingBadRow[]): Promise<ReadonlySet<number>> {
    const failed = new Set<number>();
    for (const { index, row } of rows) {
      if (this.failing.has(index)) failed.add(index);
      else this.written.push(row);
    }
    return Promise.resolve(failed);
  }
}

class MemoryMetrics implements MetricsWriter {
  readonly target = 'memory';
  readonly writes: (readonly string[])[] = [];
  write(documents: readonly string[]): Promise<void> {
    this.writes.push(documents);
    return Promise.resolve();
  }
  get documents(): string[] {
    return this.writes.flat();
  }
}

function setup(failing: ReadonlySet<number> = new Set()) {
  const badRows = new MemoryBadRows(failing);
  const metrics = new MemoryMetrics();
  const handler = createStreamBatchHandler({
    tables: TABLES,
    namespace: 'LiveInsight',
    badRows,
    metrics,
  });
  return { handler, badRows, metrics };
}

const T0 = recentT0();

/** A new session on demo-shop: one page view at T0. */
function newSessionRecord() {
  return streamRecord({
    table: TABLES.sessions,
    eventName: 'INSERT',
    newImage: sessionItemAt(T0, [{ seq: 0, at: 0 }]),
    createdAt: T0 + 1_000,
  });
}

/** The same session two minutes later with a second page view. */
function morePageViewsRecord() {
  return streamRecord({
    table: TABLES.sessions,
    eventName: 'MODIFY',
    oldImage: sessionItemAt(T0, [{ seq: 0, at: 0 }], 1),
    newImage: sessionItemAt(
      T0,
      [
        { seq: 0, at: 0 },
        { seq: 1, at: 2 * MINUTE },
      ],
      2,
    ),
    createdAt: T0 + 2 * MINUTE + 1_000,
  });
}

/** A bounced session of other-shop whose ActiveSessions item TTL deleted. */
function expiredBounceRecord(ttl = true) {
  const item = activeSessionItemAt(T0, [
    { seq: 0, at: 0, siteId: 'other-shop', sessionId: 'sess_bounce01' },
  ]);
  return streamRecord({
    table: TABLES.activeSessions,
    eventName: 'REMOVE',
    oldImage: item,
    createdAt: T0 + 31 * MINUTE,
    ttl,
  });
}

describe('processor handler: a batch of well-formed records', () => {
  it('emits the metrics of every record in one write and reports no failure', async () => {
    const { handler, metrics, badRows } = setup();

    const response = await handler(
      streamEvent(newSessionRecord(), morePageViewsRecord(), expiredBounceRecord()),
    );

    expect(response).toEqual({ batchItemFailures: [] });
    expect(metrics.writes).toHaveLength(1);
    expect(badRows.written).toEqual([]);
    const demoShop = {
      SessionsStarted: { 0: 1 },
      PageViews: { 0: 1, 2: 1 },
      Events: { 0: 1, 2: 1 },
      ActiveSessionMinutes: ones(range(0, 31)),
      CurrentVisitorMinutes: ones(range(0, 6)),
    };
    const otherShop = { SessionsExpired: { 30: 1 }, Bounces: { 30: 1 } };
    expect(emfTable(metrics.documents, T0)).toEqual({
      'demo-shop': demoShop,
      'other-shop': otherShop,
      '*': { ...demoShop, ...otherShop },
    });
  });

  it('counts nothing for an ActiveSessions item deleted by a user rather than by TTL', async () => {
    const { handler, metrics } = setup();

    const response = await handler(streamEvent(expiredBounceRecord(false)));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(metrics.documents).toEqual([]);
  });

  it('emits byte-for-byte the same documents when the same batch is delivered again', async () => {
    const { handler, metrics } = setup();
    const event = streamEvent(newSessionRecord(), morePageViewsRecord(), expiredBounceRecord());

    await handler(event);
    await handler(structuredClone(event));

    expect(metrics.writes).toHaveLength(2);
    expect(metrics.writes[1]).toEqual(metrics.writes[0]);
  });

  it('answers an empty batch without writing anything', async () => {
    const { handler, metrics } = setup();

    expect(await handler({ Records: [] })).toEqual({ batchItemFailures: [] });
    expect(metrics.documents).toEqual([]);
  });
});

describe('processor handler: malformed records become bad rows, never a failed batch', () => {
  it('keeps a record whose image breaks the item schema as a bad row and counts it', async () => {
    const { handler, metrics, badRows } = setup();
    const poison = newSessionRecord();
    const image = poison.dynamodb?.NewImage;
    if (image === undefined) throw new Error('fixture without NewImage');
    image['pageviews'] = { S: 'many' };

    const response = await handler(streamEvent(poison, morePageViewsRecord()));

    expect(response).toEqual({ batchItemFailures: [] });
    expect(badRows.written).toEqual([
      {
        reason: 'malformed_stream_record',
        message: "dynamodb.NewImage does not match the table's item schema",
        details: ['pageviews: expected integer, received string "many"'],
        origin: {
          kind: 'dynamodb-stream',
          streamArn: streamArn(TABLES.sessions),
          eventId: poison.eventID,
          sequenceNumber: poison.dynamodb?.SequenceNumber,
          arrivedAt: Math.floor((T0 + 1_000) / 1000) * 1000,
        },
        payloadBase64: Buffer.from(JSON.stringify(poison)).toString('base64'),
        payloadBytes: Buffer.byteLength(JSON.stringify(poison)),
        siteId: 'demo-shop',
      },
    ]);
    const table = emfTable(metrics.documents, T0);
    expect(table['*']?.['MalformedStreamRecords']).toEqual({ 0: 1 });
    // The well-formed record after it still counts.
    expect(table['demo-shop']?.['PageViews']).toEqual({ 2: 1 });
  });

  it.each<[string, () => unknown, RegExp]>([
    [
      'a record of another table',
      () => ({ ...newSessionRecord(), eventSourceARN: streamArn('someone-elses-table') }),
      /is the stream of table "someone-elses-table" \(expected the stream of "it-sessions" or "it-active-sessions"\)/,
    ],
    [
      'a MODIFY without its old image',
      () => {
        const record = morePageViewsRecord();
        delete record.dynamodb?.OldImage;
        return record;
      },
      /MODIFY record without dynamodb\.OldImage/,
    ],
    [
      'an unknown event name',
      () => ({ ...newSessionRecord(), eventName: 'UPSERT' }),
      /not a DynamoDB stream record/,
    ],
    ['a value that is not a record at all', () => 'not-a-record', /not a DynamoDB stream record/],
    [
      'a session that shrank',
      () =>
        streamRecord({
          table: TABLES.sessions,
          eventName: 'MODIFY',
          oldImage: sessionItemAt(T0, [
            { seq: 0, at: 0 },
            { seq: 1, at: 1_000 },
          ]),
          newImage: sessionItemAt(T0, [{ seq: 0, at: 0 }], 2),
          createdAt: T0 + 2_000,
        }),
      /inconsistent/,
    ],
  ])('keeps %s as a bad row', async (_label, record, message) => {
    const { handler, metrics, badRows } = setup();

    const response = await handler({ Records: [record()] });

    expect(response).toEqual({ batchItemFailures: [] });
    expect(badRows.written).toHaveLength(1);
    expect(badRows.written[0]?.reason).toBe('malformed_stream_record');
    expect(badRows.written[0]?.message).toMatch(message);
    const malformed = emfTable(metrics.documents, T0)['*']?.['MalformedStreamRecords'] ?? {};
    expect(Object.values(malformed)).toEqual([1]);
  });
});

describe('processor handler: transient failures', () => {
  it('hands back the record whose bad row was not written and every record after it', async () => {
    // Record 1 is malformed and its bad row cannot be written (e.g. throttled).
    const { handler, metrics } = setup(new Set([1]));
    const first = newSessionRecord();
    const poison = { ...morePageViewsRecord(), eventSourceARN: streamArn('unknown') };
    const third = expiredBounceRecord();

    const response = await handler({ Records: [first, poison, third] });

    expect(response).toEqual({
      batchItemFailures: [
        { itemIdentifier: poison.dynamodb?.SequenceNumber },
        { itemIdentifier: third.dynamodb?.SequenceNumber },
      ],
    });
    // Only the record before the failure counts now; the others count when Lambda re-sends them.
    expect(emfTable(metrics.documents, T0)).toEqual({
      'demo-shop': {
        SessionsStarted: { 0: 1 },
        PageViews: { 0: 1 },
        Events: { 0: 1 },
        ActiveSessionMinutes: ones(range(0, 29)),
        CurrentVisitorMinutes: ones(range(0, 4)),
      },
      '*': {
        SessionsStarted: { 0: 1 },
        PageViews: { 0: 1 },
        Events: { 0: 1 },
        ActiveSessionMinutes: ones(range(0, 29)),
        CurrentVisitorMinutes: ones(range(0, 4)),
      },
    });
  });

  it('fails the whole batch, emitting nothing, when a record to retry has no sequence number', async () => {
    const { handler, metrics } = setup(new Set([1]));
    const unnamed = { eventID: 'x', eventName: 'INSERT' };

    await expect(handler({ Records: [newSessionRecord(), unnamed] })).rejects.toThrow(
      UnnamedRecordError,
    );
    expect(metrics.writes).toEqual([]);
  });

  it('throws when invoked with something that is not a stream event', async () => {
    const { handler } = setup();

    await expect(handler({ records: [] })).rejects.toThrow(InvalidInvocationError);
  });
});
