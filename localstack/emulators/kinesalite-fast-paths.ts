/**
 * Faster, output-identical versions of three kinesalite helpers that PutRecords calls for every
 * record. kinesalite does their arithmetic on 128- and 186-bit numbers with bignumber.js, whose
 * base-16 ↔ base-10 conversion took ~40% of kinesalite's CPU under 1,000 PutRecords/s of ten
 * records (profiled; kinesalite was then the busiest process of `bench:edge`). Native BigInt
 * does the same conversions exactly and far cheaper.
 *
 * Each replacement handles only the inputs it has been proven on (plain digits, non-negative
 * integers, the version-2 sequence layout kinesalite writes) and hands anything else to the
 * original, so errors and odd inputs behave exactly as before. kinesalite-fast-paths.test.ts
 * checks every replacement against the original on generated inputs.
 *
 *   installKinesaliteFastPaths(require('kinesalite/db'));   // before kinesalite serves
 */
import { createHash } from 'node:crypto';
import BigNumber from 'bignumber.js';

/** A sequence number's fields as kinesalite's db module parses and builds them. */
export interface SequenceParts {
  shardCreateTime: number;
  shardIx?: number;
  seqIx?: string | number | null;
  seqTime?: number;
  byte1?: string;
  seqRand?: string;
  version?: number | null;
}

/** The helpers of `kinesalite/db` that kinesalite's actions call through the module object. */
export interface KinesaliteDb {
  partitionKeyToHashKey(partitionKey: string): BigNumber;
  stringifySequence(parts: SequenceParts): string;
  parseSequence(sequence: string): SequenceParts;
  shardIxToHex(shardIx: number | undefined): string;
}

const HEX = /^[0-9a-f]+$/;
const DIGITS = /^[0-9]+$/;
const POW_2_124 = 2n ** 124n;
const POW_2_185 = 2n ** 185n;
/** 1.5 × 2^185, the upper bound kinesalite gives version-2 sequence numbers. */
const POW_2_185_NEXT = 3n * 2n ** 184n;
/** kinesalite refuses shard creation times from here on ("Date too large"). */
const MAX_SHARD_CREATE_SECS = 16025175000;

/** MD5 of the partition key read as a 128-bit number: the record's hash key. */
export function fastPartitionKeyToHashKey(partitionKey: string): BigNumber {
  const hex = createHash('md5').update(partitionKey, 'utf8').digest('hex');
  return new BigNumber(BigInt(`0x${hex}`).toString());
}

/** The sequence index as BigInt when it is a plain non-negative integer, else undefined. */
function plainSeqIx(seqIx: SequenceParts['seqIx']): bigint | undefined {
  if (seqIx === undefined || seqIx === null || seqIx === 0 || seqIx === '') return 0n;
  if (typeof seqIx === 'number')
    return Number.isSafeInteger(seqIx) && seqIx > 0 ? BigInt(seqIx) : undefined;
  return DIGITS.test(seqIx) ? BigInt(seqIx) : undefined;
}

function hexField(value: number, width: number): string {
  return ('0'.repeat(width) + value.toString(16)).slice(-width);
}

export function fastStringifySequence(
  db: KinesaliteDb,
  original: KinesaliteDb['stringifySequence'],
) {
  return (parts: SequenceParts): string => {
    const seqIx = plainSeqIx(parts.seqIx);
    if (!(parts.version == null || parts.version === 2) || seqIx === undefined)
      return original(parts);
    // The layout of kinesalite's version-2 sequence number, field by field.
    const hex = [
      '2',
      hexField(Math.floor(parts.shardCreateTime / 1000), 9),
      (parts.shardIx || 0).toString(16).slice(-1),
      ('0000000000000000' + seqIx.toString(16)).slice(-16),
      parts.byte1 || '00',
      hexField(Math.floor((parts.seqTime || parts.shardCreateTime) / 1000), 9),
      db.shardIxToHex(parts.shardIx),
      '2',
    ].join('');
    return HEX.test(hex) ? BigInt(`0x${hex}`).toString() : original(parts);
  };
}

export function fastParseSequence(original: KinesaliteDb['parseSequence']) {
  return (sequence: string): SequenceParts => {
    if (typeof sequence !== 'string' || !DIGITS.test(sequence)) return original(sequence);
    let value = BigInt(sequence);
    if (value < POW_2_124) value += POW_2_124;
    const hex = value.toString(16);
    const isVersion2 = value > POW_2_185 && value < POW_2_185_NEXT && hex.endsWith('2');
    if (!isVersion2) return original(sequence); // versions 0 and 1 are rare: kinesalite writes 2
    const seqIxHex = hex.slice(11, 27);
    let shardIxHex = hex.slice(38, 46);
    const shardCreateSecs = parseInt(hex.slice(1, 10), 16);
    // Out-of-range fields: the original throws its own error for them.
    if (parseInt(seqIxHex[0] ?? '0', 16) > 7 || shardCreateSecs >= MAX_SHARD_CREATE_SECS) {
      return original(sequence);
    }
    if (parseInt(shardIxHex[0] ?? '0', 16) > 7) shardIxHex = `-${shardIxHex}`;
    return {
      shardCreateTime: shardCreateSecs * 1000,
      seqIx: BigInt(`0x${seqIxHex}`).toString(),
      byte1: hex.slice(27, 29),
      seqTime: parseInt(hex.slice(29, 38), 16) * 1000,
      shardIx: parseInt(shardIxHex, 16),
      version: 2,
    };
  };
}

/** Replaces the three helpers on kinesalite's db module (its actions call them through it). */
export function installKinesaliteFastPaths(db: KinesaliteDb): void {
  const originalStringify = db.stringifySequence;
  const originalParse = db.parseSequence;
  db.partitionKeyToHashKey = fastPartitionKeyToHashKey;
  db.stringifySequence = fastStringifySequence(db, originalStringify);
  db.parseSequence = fastParseSequence(originalParse);
}
