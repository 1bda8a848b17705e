import { coalesce } from './coalesce';
import { foldEvents } from './session-aggregate';
import { acceptedEvent } from './__fixtures__/accepted-events';
import { enrichedEvent } from './__fixtures__/enriched-events';
import { sequenceNumber } from './__fixtures__/kinesis-records';

const A = 'sess_aaaaaaaa';
const B = 'sess_bbbbbbbb';

describe('coalesce', () => {
  it('makes one delta per session with its events ordered by seq, and one item per event', () => {
    // Prepare
    const input = [
      enrichedEvent({ sessionId: A, seq: 2, eventId: 'evt_a_2_000000000' }),
      enrichedEvent({ sessionId: B, seq: 0, eventId: 'evt_b_0_000000000' }),
      enrichedEvent({ sessionId: A, seq: 0, eventId: 'evt_a_0_000000000' }),
      enrichedEvent({ sessionId: A, seq: 1, eventId: 'evt_a_1_000000000' }),
    ].map(acceptedEvent);

    // Act
    const batch = coalesce(input);

    // Assess
    expect(batch.sessionDeltas.map((d) => [d.pk, d.events.map((e) => e.seq)])).toEqual([
      [`demo-shop#${A}`, [0, 1, 2]],
      [`demo-shop#${B}`, [0]],
    ]);
    const [first] = batch.sessionDeltas;
    expect(first?.summary).toEqual(foldEvents(first?.events ?? []));
    expect(batch.eventItems.map((item) => item.sk)).toEqual([
      'evt_a_2_000000000',
      'evt_b_0_000000000',
      'evt_a_0_000000000',
      'evt_a_1_000000000',
    ]);
    expect(batch.outcomes.every((o) => o.kind === 'stored' && !o.duplicate)).toBe(true);
  });

  it('keeps the first occurrence of an event in Kinesis order, whatever the input order', () => {
    const original = enrichedEvent({ seq: 0, receivedAt: 1_000 });
    const reput = { ...original, receivedAt: 2_000, requestId: 'req_retry' };
    const input = [acceptedEvent(reput, 9), acceptedEvent(original, 3)];

    const batch = coalesce(input);

    expect(batch.eventItems).toHaveLength(1);
    expect(batch.eventItems[0]?.receivedAt).toBe(1_000);
    expect(batch.outcomes).toEqual([
      {
        kind: 'stored',
        sequenceNumber: sequenceNumber(9),
        eventId: original.eventId,
        duplicate: true,
      },
      {
        kind: 'stored',
        sequenceNumber: sequenceNumber(3),
        eventId: original.eventId,
        duplicate: false,
      },
    ]);
  });

  it('turns another eventId with a seq already taken into a duplicate_seq bad row (the later one)', () => {
    const holder = enrichedEvent({ seq: 4, eventId: 'evt_holder_0000000' });
    const intruder = enrichedEvent({ seq: 4, eventId: 'evt_intruder_00000' });
    const input = [acceptedEvent(intruder, 8), acceptedEvent(holder, 2)];

    const batch = coalesce(input);

    expect(batch.eventItems.map((item) => item.eventId)).toEqual(['evt_holder_0000000']);
    expect(batch.outcomes[0]).toEqual({
      kind: 'bad',
      sequenceNumber: sequenceNumber(8),
      reason: 'duplicate_seq',
    });
    expect(batch.badRows).toEqual([
      expect.objectContaining({
        reason: 'duplicate_seq',
        message: expect.stringContaining('already used by event evt_holder_0000000'),
        siteId: 'demo-shop',
        eventId: 'evt_intruder_00000',
        payloadBase64: input[0]?.input.kinesis.data,
        origin: expect.objectContaining({ sequenceNumber: sequenceNumber(8) }),
      }),
    ]);
    expect(batch.sessionDeltas[0]?.summary.events).toBe(1);
  });

  it('orders the events of a session by seq, not by client ts or arrival', () => {
    const late = enrichedEvent({ sessionId: A, seq: 1, ts: 5, eventId: 'evt_late_000000000' });
    const early = enrichedEvent({ sessionId: A, seq: 0, ts: 9, eventId: 'evt_early_00000000' });

    const batch = coalesce([acceptedEvent(late, 0), acceptedEvent(early, 1)]);

    // seq decides before ts: the tracker's counter is the session's order.
    expect(batch.sessionDeltas[0]?.events.map((e) => e.eventId)).toEqual([
      'evt_early_00000000',
      'evt_late_000000000',
    ]);
  });

  it('treats the same eventId in two sessions as two events (their keys differ)', () => {
    const input = [
      enrichedEvent({ sessionId: A, eventId: 'evt_shared_0000000' }),
      enrichedEvent({ sessionId: B, eventId: 'evt_shared_0000000' }),
    ].map(acceptedEvent);

    const batch = coalesce(input);

    expect(batch.eventItems.map((item) => item.pk)).toEqual([`demo-shop#${A}`, `demo-shop#${B}`]);
  });

  it('keeps one session id used on two sites apart (the Sessions key includes the site)', () => {
    const input = [
      enrichedEvent({ siteId: 'shop-a', seq: 0 }),
      enrichedEvent({ siteId: 'shop-b', seq: 0 }),
      enrichedEvent({ siteId: 'shop-a', seq: 1 }),
    ].map(acceptedEvent);

    const batch = coalesce(input);

    expect(batch.sessionDeltas.map((d) => [d.pk, d.events.length])).toEqual([
      ['shop-a#sess_01234567', 2],
      ['shop-b#sess_01234567', 1],
    ]);
    expect(batch.badRows).toEqual([]);
  });

  it('finds repeats in a long session too (past the scan limit, through an index)', () => {
    const events = Array.from({ length: 40 }, (_, seq) =>
      enrichedEvent({ seq, eventId: `evt_long_${String(seq).padStart(8, '0')}` }),
    );
    const repeat = events[3];
    const intruder = enrichedEvent({ seq: 30, eventId: 'evt_intruder_00000' });
    if (repeat === undefined) throw new Error('fixture');
    const input = [...events, repeat, intruder].map(acceptedEvent);

    const batch = coalesce(input);

    expect(batch.eventItems).toHaveLength(40);
    expect(
      batch.outcomes.slice(40).map((o) => (o.kind === 'bad' ? o.reason : o.duplicate)),
    ).toEqual([true, 'duplicate_seq']);
  });

  it('returns empty results for an empty batch', () => {
    expect(coalesce([])).toEqual({ eventItems: [], sessionDeltas: [], badRows: [], outcomes: [] });
  });
});
