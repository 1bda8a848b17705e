/**
 * The BigInt helpers must be indistinguishable from kinesalite's own: same values, same errors,
 * for any input, including the ones they hand back to the original.
 */
import fc from 'fast-check';
import kinesaliteDb from 'kinesalite/db';
import {
  fastParseSequence,
  fastPartitionKeyToHashKey,
  fastStringifySequence,
  type SequenceParts,
} from './kinesalite-fast-paths';

// The test never installs the fast paths, so these are kinesalite's originals.
const original = {
  partitionKeyToHashKey: kinesaliteDb.partitionKeyToHashKey,
  stringifySequence: kinesaliteDb.stringifySequence,
  parseSequence: kinesaliteDb.parseSequence,
};
const fastStringify = fastStringifySequence(kinesaliteDb, original.stringifySequence);
const fastParse = fastParseSequence(original.parseSequence);

type Outcome = { value: unknown } | { error: string };
function outcome(run: () => unknown): Outcome {
  try {
    return { value: run() };
  } catch (error) {
    return { error: String(error) };
  }
}

const RUNS = 3000;
/** Shard creation times kinesalite accepts, in ms, and a few beyond its "Date too large". */
const createTime = fc.oneof(
  fc.integer({ min: 0, max: 16025174999 }).map((secs) => secs * 1000 + 123),
  fc.integer({ min: 16025175000, max: 2 ** 40 }).map((secs) => secs * 1000),
);
const seqIx = fc.oneof(
  fc.constant(undefined),
  fc.nat({ max: 2 ** 20 }),
  fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }).map(String),
  fc.bigInt({ min: 2n ** 63n, max: 2n ** 70n }).map(String), // beyond 16 hex digits
  // null: what getShardIterator passes for a shard whose counter came through JSON as null.
  fc.constantFrom(0, '', '0', null, -1, 1.5, '1e3', 'abc', ' 7', Number.MAX_SAFE_INTEGER + 2),
);
const parts: fc.Arbitrary<SequenceParts> = fc.record(
  {
    shardCreateTime: createTime,
    // Up to 2^33: from 2^31 on, the shard field's first hex digit is above 7 (read back negative).
    shardIx: fc.oneof(fc.integer({ min: 0, max: 2 ** 33 }), fc.integer({ min: -50, max: -1 })),
    seqIx,
    seqTime: fc.oneof(fc.constant(undefined), createTime),
    byte1: fc.oneof(fc.constant(undefined), fc.constantFrom('00', '7f', 'zz', '')),
    version: fc.constantFrom(undefined, null, 2, 1, 0, 3),
  },
  { requiredKeys: ['shardCreateTime'] },
);

describe('kinesalite fast paths', () => {
  it('partitionKeyToHashKey: the same 128-bit hash key for any partition key', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', minLength: 1, maxLength: 256 }), (key) => {
        const fast = fastPartitionKeyToHashKey(key);
        const slow = original.partitionKeyToHashKey(key);
        expect(fast.toFixed()).toBe(slow.toFixed());
        expect(fast.comparedTo(slow)).toBe(0);
      }),
      { numRuns: RUNS },
    );
  });

  it('stringifySequence: the same sequence number, or the same error, for any fields', () => {
    fc.assert(
      fc.property(parts, (fields) => {
        expect(outcome(() => fastStringify({ ...fields }))).toEqual(
          outcome(() => original.stringifySequence({ ...fields })),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('parseSequence: the same fields, or the same error, for sequence numbers kinesalite writes', () => {
    fc.assert(
      fc.property(parts, (fields) => {
        const written = outcome(() => original.stringifySequence(fields));
        fc.pre('value' in written && typeof written.value === 'string');
        const sequence = (written as { value: string }).value;
        expect(outcome(() => fastParse(sequence))).toEqual(
          outcome(() => original.parseSequence(sequence)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('parseSequence: the same fields, or the same error, for any other text', () => {
    // The version-2 range is (2^185, 1.5 × 2^185): its edges, and numbers just beyond it.
    const edges = [2n ** 185n, 3n * 2n ** 184n, 2n ** 186n];
    const text = fc.oneof(
      fc.bigInt({ min: 0n, max: 2n ** 200n }).map(String),
      fc
        .tuple(fc.constantFrom(...edges), fc.bigInt({ min: -(2n ** 64n), max: 2n ** 64n }))
        .map(([edge, offset]) => String(edge + offset)),
      fc.bigInt({ min: 3n * 2n ** 184n, max: 2n ** 186n }).map(String),
      fc.stringMatching(/^[0-9]{1,70}$/),
      fc.string(),
      fc.constantFrom('', '-1', '1e50', '0x10', ' 12'),
    );
    fc.assert(
      fc.property(text, (sequence) => {
        expect(outcome(() => fastParse(sequence))).toEqual(
          outcome(() => original.parseSequence(sequence)),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('takes the fast path for what PutRecords does (proven by the BigInt arithmetic, not a fallback)', () => {
    const sequence = original.stringifySequence({
      shardCreateTime: 1_700_000_000_000,
      shardIx: 3,
      seqIx: '12345678901234',
      seqTime: 1_700_000_100_000,
    });
    const fallbacks: string[] = [];
    const counting = fastParseSequence((s) => {
      fallbacks.push(s);
      return original.parseSequence(s);
    });
    const countingStringify = fastStringifySequence(kinesaliteDb, (p) => {
      fallbacks.push(JSON.stringify(p));
      return original.stringifySequence(p);
    });
    expect(counting(sequence)).toEqual(original.parseSequence(sequence));
    expect(countingStringify({ shardCreateTime: 1_700_000_000_000, shardIx: 3, seqIx: 7 })).toBe(
      original.stringifySequence({ shardCreateTime: 1_700_000_000_000, shardIx: 3, seqIx: 7 }),
    );
    expect(fallbacks).toEqual([]);
  });
});
