import type { KinesisStreamRecord } from 'aws-lambda';
import { BadRowSchema, WINDOWS, isValid, type BadRowReason } from '../schemas';
import { processBatch } from './process-batch';
import { RECEIVED_AT, customEvent, edgeRecord, pageviewEvent } from './__fixtures__/edge-records';
import {
  kinesisRecordWithBytes,
  kinesisRecordWithData,
  kinesisRecordWithText,
} from './__fixtures__/kinesis-records';
import { testPorts } from './__fixtures__/ports';

interface HostileCase {
  readonly name: string;
  readonly record: () => KinesisStreamRecord;
  readonly reason: BadRowReason;
  /** Must appear in the message or one of the details: what was wrong, precisely. */
  readonly says: RegExp;
}

const json = (value: unknown) => kinesisRecordWithText(JSON.stringify(value));
const withEvent = (event: Record<string, unknown>) =>
  json({ ...edgeRecord(), event: { ...pageviewEvent(), ...event } });
const bytes = (...parts: (string | number[])[]) =>
  kinesisRecordWithBytes(
    Buffer.concat(parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))),
  );
const FIVE_MB = 5 * 1024 * 1024;

const CORPUS: readonly HostileCase[] = [
  {
    name: 'prose instead of base64',
    record: () => kinesisRecordWithData('hello world!'),
    reason: 'not_base64',
    says: /character " " at offset 5/,
  },
  {
    name: 'base64url alphabet',
    record: () => kinesisRecordWithData('eyJ2Ijox-_8='),
    reason: 'not_base64',
    says: /character "-"/,
  },
  {
    name: 'base64 without padding',
    record: () => kinesisRecordWithData('eyJ2IjoxfQ'),
    reason: 'not_base64',
    says: /padding is not canonical/,
  },
  {
    name: 'a lone UTF-8 continuation byte',
    record: () => bytes('{"v":1,"siteId":"demo-shop","x":"', [0x80], '"}'),
    reason: 'not_utf8',
    says: /not valid UTF-8/,
  },
  {
    name: 'an overlong UTF-8 encoding',
    record: () => bytes('{"a":"', [0xc0, 0xaf], '"}'),
    reason: 'not_utf8',
    says: /not valid UTF-8/,
  },
  {
    name: 'a UTF-8 encoded surrogate (CESU-8)',
    record: () => bytes('{"a":"', [0xed, 0xa0, 0x80], '"}'),
    reason: 'not_utf8',
    says: /not valid UTF-8/,
  },
  {
    name: 'a truncated multi-byte sequence',
    record: () => bytes('{"a":"', [0xe2, 0x82]),
    reason: 'not_utf8',
    says: /not valid UTF-8/,
  },
  {
    name: 'an empty payload',
    record: () => kinesisRecordWithData(''),
    reason: 'not_json',
    says: /Unexpected end of JSON input/,
  },
  {
    name: 'truncated JSON',
    record: () => kinesisRecordWithText(JSON.stringify(edgeRecord()).slice(0, 120)),
    reason: 'not_json',
    says: /not JSON/,
  },
  {
    name: 'JSON with trailing garbage',
    record: () => kinesisRecordWithText('{"v":1} trailing'),
    reason: 'not_json',
    says: /not JSON/,
  },
  {
    name: 'a NaN literal',
    record: () => kinesisRecordWithText('{"v":NaN}'),
    reason: 'not_json',
    says: /not JSON/,
  },
  {
    name: 'JSON null',
    record: () => kinesisRecordWithText('null'),
    reason: 'schema',
    says: /\(root\): expected object, received null/,
  },
  {
    name: 'a JSON array',
    record: () => kinesisRecordWithText('[1,2,3]'),
    reason: 'schema',
    says: /\(root\): expected object, received an array of 3 items/,
  },
  {
    name: 'a JSON string',
    record: () => kinesisRecordWithText('"pageview"'),
    reason: 'schema',
    says: /\(root\): expected object/,
  },
  {
    name: 'seq as a string',
    record: () => withEvent({ seq: '7' }),
    reason: 'schema',
    says: /event\.seq: expected integer, received string "7"/,
  },
  {
    name: 'seq beyond a 32-bit counter',
    record: () => withEvent({ seq: 2 ** 53 }),
    reason: 'schema',
    says: /event\.seq: expected a number <= 2147483647/,
  },
  {
    name: 'seq that overflows to Infinity',
    record: () =>
      kinesisRecordWithText(JSON.stringify(edgeRecord()).replace('"seq":0', '"seq":1e400')),
    reason: 'schema',
    says: /event\.seq/,
  },
  {
    name: 'receivedAt as an ISO date',
    record: () => json({ ...edgeRecord(), receivedAt: '2025-11-13T02:13:20Z' }),
    reason: 'schema',
    says: /receivedAt: expected integer/,
  },
  {
    name: 'receivedAt beyond what a Date holds',
    record: () => json({ ...edgeRecord(), receivedAt: 9e15 }),
    reason: 'schema',
    says: /receivedAt: expected a number <= 8640000000000000/,
  },
  {
    name: 'no event',
    record: () => json({ ...edgeRecord(), event: undefined }),
    reason: 'schema',
    says: /event: expected a value/,
  },
  {
    name: '10,000 props',
    record: () =>
      json(
        edgeRecord({
          event: customEvent({
            props: Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`p${i}`, i])),
          }),
        }),
      ),
    reason: 'too_large',
    says: /The record is \d+ bytes \(expected at most 12288\)/,
  },
  {
    name: '31 props',
    record: () =>
      json(
        edgeRecord({
          event: customEvent({
            props: Object.fromEntries(Array.from({ length: 31 }, (_, i) => [`p${i}`, i])),
          }),
        }),
      ),
    reason: 'schema',
    says: /event\.props: expected at most 30 properties/,
  },
  {
    name: 'a 5 MB title',
    record: () => json(edgeRecord({ event: pageviewEvent({ title: 'x'.repeat(FIVE_MB) }) })),
    reason: 'too_large',
    says: /The record is 52\d{5} bytes/,
  },
  {
    name: 'a 5 MB prop value',
    record: () =>
      json(edgeRecord({ event: customEvent({ props: { blob: 'x'.repeat(FIVE_MB) } }) })),
    reason: 'too_large',
    says: /expected at most 12288/,
  },
  {
    name: 'a timestamp two days ahead',
    record: () => json(edgeRecord({ event: pageviewEvent({ ts: RECEIVED_AT + 2 * 86_400_000 }) })),
    reason: 'ts_out_of_range',
    says: new RegExp(
      `172800000 ms after receivedAt.*expected at most ${WINDOWS.maxFutureSkewMs} ms after`,
    ),
  },
  {
    name: 'a timestamp from 1970',
    record: () => json(edgeRecord({ event: pageviewEvent({ ts: 0 }) })),
    reason: 'ts_out_of_range',
    says: new RegExp(`${RECEIVED_AT} ms before receivedAt`),
  },
  {
    name: 'an unknown event type',
    record: () => withEvent({ type: 'click' }),
    reason: 'schema',
    says: /event\.type: expected one of "pageview", "engagement", "custom", received string "click"/,
  },
  {
    name: 'an unknown version v',
    record: () => json({ ...edgeRecord(), v: 2 }),
    reason: 'schema',
    says: /Unsupported edge record version v=2 \(expected 1\)/,
  },
  {
    name: 'no version v',
    record: () => json({ ...edgeRecord(), v: undefined }),
    reason: 'schema',
    says: /v: expected a value/,
  },
  {
    name: 'nesting 5,000 levels deep',
    record: () => kinesisRecordWithText(`${'['.repeat(5000)}${']'.repeat(5000)}`),
    reason: 'schema',
    says: /\(root\): expected object, received an array of 1 items/,
  },
  {
    name: 'a __proto__ key',
    record: () =>
      kinesisRecordWithText(
        JSON.stringify(edgeRecord()).replace('{', '{"__proto__":{"isAdmin":true},'),
      ),
    reason: 'schema',
    says: /__proto__: expected no such field/,
  },
  {
    name: 'a field outside the contract',
    record: () => withEvent({ userId: 'u-1' }),
    reason: 'schema',
    says: /event\.userId: expected no such field/,
  },
  {
    name: 'a URL the WHATWG parser refuses',
    record: () => withEvent({ url: 'https://exa mple.com/' }),
    reason: 'schema',
    says: /event\.url: expected an absolute http\(s\) URL/,
  },
];

describe('hostile records', () => {
  it.each(CORPUS)('$name → $reason, precisely, without throwing', ({ record, reason, says }) => {
    // Prepare
    const input = record();

    // Act
    const result = processBatch([input], testPorts());

    // Assess
    expect(result.outcomes).toEqual([
      { kind: 'bad', sequenceNumber: input.kinesis.sequenceNumber, reason },
    ]);
    expect(result.eventItems).toHaveLength(0);
    expect(result.badRows).toHaveLength(1);
    const row = result.badRows[0];
    expect(row?.reason).toBe(reason);
    expect([row?.message, ...(row?.details ?? [])].join('\n')).toMatch(says);
    expect(row?.payloadBase64).toBe(input.kinesis.data);
    expect(isValid(BadRowSchema, row)).toBe(true);
  });

  it('keeps good records of the same batch: a bad record fails itself, not the batch', () => {
    const good = edgeRecord();
    const records = [
      kinesisRecordWithData('hello world!', { position: 0 }),
      kinesisRecordWithText(JSON.stringify(good), { position: 1 }),
    ];

    const result = processBatch(records, testPorts());

    expect(result.outcomes.map((o) => o.kind)).toEqual(['bad', 'stored']);
    expect(result.eventItems.map((i) => i.eventId)).toEqual([good.event.eventId]);
  });
});
