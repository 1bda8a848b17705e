import fc from 'fast-check';
import type { KinesisStreamRecord } from 'aws-lambda';
import { processBatch, type BatchResult } from './process-batch';
import { arbBatch, withDuplicates } from './__fixtures__/arbitraries';
import { testPorts } from './__fixtures__/ports';

const run = (records: readonly KinesisStreamRecord[]) => processBatch(records, testPorts());

/** Outcomes keyed by sequence number, so results of differently ordered inputs compare. */
function outcomesBySequence(result: BatchResult) {
  return new Map(result.outcomes.map((o) => [o.sequenceNumber, o]));
}

describe('processBatch (properties)', () => {
  it('(a) gives the same items, deltas, bad rows and outcomes for the batch in any input order', () => {
    fc.assert(
      fc.property(
        arbBatch.chain((records) =>
          fc.tuple(
            fc.constant(records),
            fc.shuffledSubarray(records, { minLength: records.length }),
          ),
        ),
        ([records, shuffled]) => {
          // Act
          const inOrder = run(records);
          const anyOrder = run(shuffled);

          // Assess
          expect(anyOrder.eventItems).toEqual(inOrder.eventItems);
          expect(anyOrder.sessionDeltas).toEqual(inOrder.sessionDeltas);
          expect(anyOrder.badRows).toEqual(inOrder.badRows);
          expect(outcomesBySequence(anyOrder)).toEqual(outcomesBySequence(inOrder));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('(b) gives the same items, deltas and verdicts when records are put twice', () => {
    fc.assert(
      fc.property(
        arbBatch,
        fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
        (records, picks) => {
          const once = run(records);
          const twice = run(withDuplicates(records, picks));

          expect(twice.eventItems).toEqual(once.eventItems);
          expect(twice.sessionDeltas).toEqual(once.sessionDeltas);
          // Each copy gets the verdict of its original: stored (as a duplicate) or the same reason.
          picks.forEach((pick, i) => {
            const original = once.outcomes[pick % records.length];
            const copy = twice.outcomes[records.length + i];
            if (original?.kind === 'stored')
              expect(copy).toMatchObject({ kind: 'stored', duplicate: true });
            else expect(copy).toMatchObject({ kind: 'bad', reason: original?.reason });
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('(c) maps every input record to exactly one outcome: accepted = stored + bad', () => {
    fc.assert(
      fc.property(
        arbBatch.chain((records) =>
          fc.tuple(fc.constant(records), fc.array(fc.nat(), { maxLength: 4 })),
        ),
        ([records, picks]) => {
          const input = withDuplicates(records, picks);

          const result = run(input);

          expect(result.outcomes).toHaveLength(input.length);
          expect(result.outcomes.map((o) => o.sequenceNumber)).toEqual(
            input.map((r) => r.kinesis.sequenceNumber),
          );
          const stored = result.outcomes.filter((o) => o.kind === 'stored');
          const firstTimes = stored.filter((o) => !o.duplicate);
          const bad = result.outcomes.filter((o) => o.kind === 'bad');
          expect(stored.length + bad.length).toBe(input.length);
          expect(firstTimes.length).toBe(result.eventItems.length);
          expect(bad.length).toBe(result.badRows.length);
          expect(result.sessionDeltas.reduce((n, d) => n + d.events.length, 0)).toBe(
            result.eventItems.length,
          );
          expect(new Set(result.badRows.map((r) => r.origin.sequenceNumber)).size).toBe(bad.length);
        },
      ),
      { numRuns: 60 },
    );
  });
});
