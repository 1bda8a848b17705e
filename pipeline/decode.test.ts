import { EdgeRecordSchema, LIMITS, WINDOWS, isValid } from '../schemas';
import { decode } from './decode';
import { RECEIVED_AT, customEvent, edgeRecord, pageviewEvent } from './__fixtures__/edge-records';
import {
  SHARD_ID,
  STREAM_ARN,
  kinesisRecord,
  kinesisRecordWithData,
  kinesisRecordWithText,
  sequenceNumber,
} from './__fixtures__/kinesis-records';

describe('decode', () => {
  it('returns the edge record a valid Kinesis record carries', () => {
    // Prepare
    const record = edgeRecord({ event: customEvent({ props: { plan: 'pro', seats: 3 } }) });

    // Act
    const result = decode(kinesisRecord(record, { position: 7 }));

    // Assess
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.record).toEqual(record);
    expect(isValid(EdgeRecordSchema, result.record)).toBe(true);
  });

  it("keeps a bad record's origin: stream, shard from eventID, sequence number, arrival in ms", () => {
    const input = kinesisRecordWithText('{', { position: 7, arrivedAt: RECEIVED_AT + 250 });

    const result = decode(input);

    expect(!result.ok && result.badRow.origin).toEqual({
      kind: 'kinesis',
      streamArn: STREAM_ARN,
      shardId: SHARD_ID,
      sequenceNumber: sequenceNumber(7),
      arrivedAt: RECEIVED_AT + 250,
      partitionKey: 'sess_01234567',
    });
  });

  it('refuses data that Buffer.from would silently accept as base64', () => {
    const valid = kinesisRecord(edgeRecord()).kinesis.data;
    const cases = [`${valid}\n`, `${valid.slice(0, 10)} ${valid.slice(10)}`, valid.slice(0, -1)];

    const reasons = cases.map((data) => {
      const result = decode(kinesisRecordWithData(data));
      return result.ok ? 'ok' : result.badRow.reason;
    });

    expect(reasons).toEqual(['not_base64', 'not_base64', 'not_base64']);
  });

  it('keeps the original payload exactly in the bad row, even when it is not base64', () => {
    const data = 'this is ~not~ base64';

    const result = decode(kinesisRecordWithData(data));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.badRow.payloadBase64).toBe(data);
    expect(result.badRow.message).toMatch(/character " " at offset 4/);
  });

  it('measures too_large on the decoded bytes, before parsing', () => {
    const text = `{"siteId":"demo-shop","padding":"${'x'.repeat(LIMITS.maxEdgeRecordBytes)}`;

    const result = decode(kinesisRecordWithText(text));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.badRow.reason).toBe('too_large');
    expect(result.badRow.payloadBytes).toBe(Buffer.byteLength(text));
    expect(result.badRow.message).toContain(`expected at most ${LIMITS.maxEdgeRecordBytes}`);
    // Truncated, yet the site is still named where it can be read.
    expect(result.badRow.siteId).toBe('demo-shop');
  });

  /** A custom event of exactly `bytes` serialised bytes (padding in its props). */
  function eventOfSize(bytes: number) {
    const props: Record<string, string> = {};
    const event = customEvent({ props });
    for (let i = 0; Buffer.byteLength(JSON.stringify(event)) < bytes; i += 1) {
      const room = bytes - Buffer.byteLength(JSON.stringify(event)) - `,"p${i}":""`.length;
      props[`p${i}`] = 'x'.repeat(Math.max(0, Math.min(LIMITS.maxPropStringLength, room)));
    }
    expect(Buffer.byteLength(JSON.stringify(event))).toBe(bytes);
    return event;
  }

  it('accepts an event of exactly the serialised event limit', () => {
    const record = edgeRecord({ event: eventOfSize(LIMITS.maxEventBytes) });

    const result = decode(kinesisRecord(record));

    expect(result.ok).toBe(true);
  });

  it('refuses an event one byte over the limit inside a record under the record limit', () => {
    const record = edgeRecord({ event: eventOfSize(LIMITS.maxEventBytes + 1) });
    expect(Buffer.byteLength(JSON.stringify(record))).toBeLessThanOrEqual(
      LIMITS.maxEdgeRecordBytes,
    );

    const result = decode(kinesisRecord(record));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.badRow.reason).toBe('too_large');
    expect(result.badRow.message).toBe(
      `The event is ${LIMITS.maxEventBytes + 1} bytes serialised (expected at most ${LIMITS.maxEventBytes})`,
    );
    expect(result.badRow.eventId).toBe(record.event.eventId);
  });

  it('judges ts against receivedAt, not the clock', () => {
    const future = pageviewEvent({ ts: RECEIVED_AT + WINDOWS.maxFutureSkewMs + 1 });
    const ancient = pageviewEvent({ ts: RECEIVED_AT - WINDOWS.maxEventAgeMs - 1 });
    const edgeOfFuture = pageviewEvent({ ts: RECEIVED_AT + WINDOWS.maxFutureSkewMs });
    const edgeOfPast = pageviewEvent({ ts: RECEIVED_AT - WINDOWS.maxEventAgeMs });

    const [a, b, c, d] = [future, ancient, edgeOfFuture, edgeOfPast].map((event) =>
      decode(kinesisRecord(edgeRecord({ event }))),
    );

    expect(a?.ok === false && a.badRow.reason).toBe('ts_out_of_range');
    expect(a?.ok === false && a.badRow.message).toMatch(/ms after receivedAt/);
    expect(b?.ok === false && b.badRow.reason).toBe('ts_out_of_range');
    expect(b?.ok === false && b.badRow.message).toMatch(/ms before receivedAt/);
    expect(c?.ok).toBe(true);
    expect(d?.ok).toBe(true);
  });

  it('names every schema issue in the details and attributes the row when it can', () => {
    const record = {
      ...edgeRecord(),
      event: { ...pageviewEvent(), seq: '7', url: 'ftp://x' },
    };

    const result = decode(kinesisRecordWithText(JSON.stringify(record)));

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.badRow.reason).toBe('schema');
    expect(result.badRow.details).toEqual(
      expect.arrayContaining([
        'event.seq: expected integer, received string "7"',
        'event.url: expected a string matching ^https?://, received string "ftp://x"',
      ]),
    );
    expect(result.badRow.siteId).toBe('demo-shop');
    expect(result.badRow.eventId).toBe(record.event.eventId);
  });
});
