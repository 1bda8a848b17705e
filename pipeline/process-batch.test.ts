import { EventItemSchema, isValid } from '../schemas';
import { createBatchProcessor, processBatch } from './process-batch';
import {
  RECEIVED_AT,
  edgeRecord,
  engagementEvent,
  eventIdFor,
  pageviewEvent,
} from './__fixtures__/edge-records';
import { kinesisRecord, kinesisRecordWithData } from './__fixtures__/kinesis-records';
import { fixedClock, recordingSalt, testPorts } from './__fixtures__/ports';

describe('processBatch', () => {
  it('turns a batch into event items, one delta per session, bad rows and one outcome per record', () => {
    // Prepare
    const records = [
      kinesisRecord(edgeRecord({ event: pageviewEvent({ seq: 0, eventId: eventIdFor(0) }) }), {
        position: 0,
      }),
      kinesisRecordWithData('%%%', { position: 1 }),
      kinesisRecord(edgeRecord({ event: engagementEvent({ seq: 1, eventId: eventIdFor(1) }) }), {
        position: 2,
      }),
    ];

    // Act
    const result = processBatch(records, testPorts());

    // Assess
    expect(result.outcomes.map((o) => o.kind)).toEqual(['stored', 'bad', 'stored']);
    expect(result.eventItems).toHaveLength(2);
    for (const item of result.eventItems) expect(isValid(EventItemSchema, item)).toBe(true);
    expect(result.sessionDeltas).toHaveLength(1);
    expect(result.sessionDeltas[0]?.summary).toMatchObject({ pageviews: 1, engagedMs: 4_000 });
    expect(result.badRows.map((row) => row.reason)).toEqual(['not_base64']);
    expect(result.stats).toEqual({
      records: 3,
      stored: 2,
      duplicates: 0,
      bad: 1,
      sessions: 1,
      iteratorAgeMs: 1_000 - 20,
    });
  });

  it('lists bad rows from decoding and from coalescing together in Kinesis order', () => {
    const holder = edgeRecord({ event: pageviewEvent({ seq: 0, eventId: eventIdFor(0) }) });
    const intruder = edgeRecord({ event: pageviewEvent({ seq: 0, eventId: eventIdFor(1) }) });
    const records = [
      kinesisRecord(holder, { position: 0 }),
      kinesisRecord(intruder, { position: 1 }),
      kinesisRecordWithData('%%%', { position: 2 }),
    ];

    const result = processBatch(records, testPorts());

    expect(result.badRows.map((row) => row.reason)).toEqual(['duplicate_seq', 'not_base64']);
  });

  it('counts producer double-puts as duplicates, stored once', () => {
    const record = edgeRecord();
    const records = [
      kinesisRecord(record, { position: 0 }),
      kinesisRecord(record, { position: 1 }),
    ];

    const result = processBatch(records, testPorts());

    expect(result.stats).toMatchObject({ stored: 1, duplicates: 1, bad: 0 });
    expect(result.outcomes[1]).toMatchObject({ kind: 'stored', duplicate: true });
  });

  it('keeps its memo caches across batches: the salt is asked for once per day', () => {
    const salt = recordingSalt();
    const processor = createBatchProcessor({ clock: fixedClock(), salt });

    processor([kinesisRecord(edgeRecord(), { position: 0 })]);
    processor([kinesisRecord(edgeRecord({ sourceIp: '198.51.100.1' }), { position: 1 })]);

    expect(salt.days).toEqual(['2025-11-13']);
  });

  it('reports an iterator age of 0 for an empty batch or a clock behind the arrivals', () => {
    const behind = testPorts({ clock: fixedClock(RECEIVED_AT - 5_000) });

    expect(processBatch([], testPorts()).stats.iteratorAgeMs).toBe(0);
    expect(processBatch([kinesisRecord(edgeRecord())], behind).stats.iteratorAgeMs).toBe(0);
  });

  it('takes records given out of Kinesis order in Kinesis order: the first put wins', () => {
    const original = edgeRecord({ receivedAt: RECEIVED_AT });
    const reput = edgeRecord({ receivedAt: RECEIVED_AT + 5_000, requestId: 'req_retry' });
    const records = [
      kinesisRecord(reput, { position: 8 }),
      kinesisRecord(original, { position: 2 }),
    ];

    const result = processBatch(records, testPorts());

    expect(result.eventItems.map((item) => item.receivedAt)).toEqual([RECEIVED_AT]);
    expect(result.outcomes.map((o) => o.kind === 'stored' && o.duplicate)).toEqual([true, false]);
  });
});
