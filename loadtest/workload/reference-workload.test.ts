import { EdgeRecordSchema, IngestRequestSchema, isValid } from '../../schemas';
import { createBatchProcessor } from '../../pipeline/process-batch';
import { REFERENCE_WORKLOAD, describeWorkload, generateWorkload } from './reference-workload';

describe('reference workload', () => {
  const workload = generateWorkload();

  it('is the same on every run (seeded)', () => {
    const again = generateWorkload();

    expect(again.kinesisRecords).toEqual(workload.kinesisRecords);
    expect(generateWorkload({ seed: REFERENCE_WORKLOAD.seed + 1 }).kinesisRecords).not.toEqual(
      workload.kinesisRecords,
    );
  });

  it('has the documented shape: 500 sessions × 20 events, re-puts, ~600 B records, batches of 1,000', () => {
    const described = describeWorkload(workload);

    expect(described).toMatchObject({ distinctEvents: 10_000, sessions: 500, batches: 11 });
    expect(described.records).toBeGreaterThan(10_050);
    expect(described.records).toBeLessThan(10_150);
    expect(described.meanRecordBytes).toBeGreaterThan(550);
    expect(described.meanRecordBytes).toBeLessThan(700);
    expect(workload.batches.every((batch) => batch.length <= 1_000)).toBe(true);
  });

  it('is valid end to end: every edge record and request passes the contract, nothing is bad', () => {
    const processBatch = createBatchProcessor({
      clock: { now: () => REFERENCE_WORKLOAD.startAt },
      salt: { saltForDay: (day) => `test-${day}` },
    });

    const results = workload.batches.map((batch) => processBatch(batch));

    expect(workload.edgeRecords.every((record) => isValid(EdgeRecordSchema, record))).toBe(true);
    expect(workload.requests.every((r) => isValid(IngestRequestSchema, r.body))).toBe(true);
    expect(results.reduce((n, r) => n + r.badRows.length, 0)).toBe(0);
    expect(results.reduce((n, r) => n + r.eventItems.length, 0)).toBe(10_000 + crossBatchRepeats());
  });

  /** Re-puts whose original landed in an earlier batch are stored again (same key, overwritten). */
  function crossBatchRepeats(): number {
    const firstBatch = new Map<string, number>();
    let repeats = 0;
    workload.batches.forEach((batch, b) =>
      batch.forEach((record) => {
        const id = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString()).event
          .eventId as string;
        const seen = firstBatch.get(id);
        if (seen === undefined) firstBatch.set(id, b);
        else if (seen !== b) repeats += 1;
      }),
    );
    return repeats;
  }
});
