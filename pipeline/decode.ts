/**
 * Decode: a Lambda Kinesis record → the edge record it carries, or exactly one bad row with a
 * typed reason. Never throws for bad data. Checks, in order (each reason names what was received
 * and what was expected):
 *
 * - `not_base64`: `data` must be canonical base64. Buffer.from silently skips junk, so the text
 *   is checked against the decoded length without allocating (see base64.ts);
 * - `too_large`: the decoded length, before any parsing, is at most LIMITS.maxEdgeRecordBytes;
 * - `not_utf8`: a fatal TextDecoder, so broken bytes are refused rather than replaced by U+FFFD;
 * - `not_json`;
 * - `schema`: the edge record schema (version `v`, server fields, the event), with the
 *   validator's issues as details;
 * - `too_large` again: the event as serialised must fit LIMITS.maxEventBytes (see below);
 * - `ts_out_of_range`: the client's `ts` within WINDOWS.maxFutureSkewMs after and
 *   WINDOWS.maxEventAgeMs before `receivedAt`. Judged against receivedAt, not the clock, so a
 *   redelivered record always gets the same verdict (one in, one out).
 */
import {
  EDGE_RECORD_VERSION,
  EdgeRecordSchema,
  LIMITS,
  WINDOWS,
  formatIssues,
  parseWith,
  type BadRow,
  type BadRowReason,
  type EdgeRecord,
} from '../schemas';
import {
  attributionOf,
  makeBadRow,
  sniffAttribution,
  type Attribution,
  type Payload,
} from './bad-rows';
import { isCanonicalBase64 } from './base64';
import { isEdgeRecord } from './fast-accept';
import { kinesisOrigin, type KinesisInputRecord } from './kinesis-record';

export type DecodeResult =
  /** The record's origin and payload are only built for bad rows (see `kinesisOrigin`). */
  | { readonly ok: true; readonly record: EdgeRecord }
  | { readonly ok: false; readonly badRow: BadRow };

/**
 * Serialising the event cannot make it longer than its bytes in the record, except for numbers
 * (`1e3` → `1000`): strings and keys never grow (JSON.stringify escapes only what valid input
 * had to escape already) and whitespace only shrinks. The schema allows at most 34 numbers in
 * an event (seq, ts, screen w/h, engagedMs or 30 props) and a number's canonical text is at most
 * 24 characters, i.e. at most 23 bytes of growth each (782 in all). So a record at least this
 * much under the event limit needs no serialisation to know its event fits.
 */
const EVENT_SIZE_SLACK = 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function decode(input: KinesisInputRecord): DecodeResult {
  const data = input.kinesis.data;
  const bytes = Buffer.from(data, 'base64');
  if (!isCanonicalBase64(data, bytes.length)) {
    return bad('not_base64', notBase64Message(data), input, {
      base64: data,
      bytes: Buffer.byteLength(data),
    });
  }
  if (bytes.length > LIMITS.maxEdgeRecordBytes) {
    return bad(
      'too_large',
      `The record is ${bytes.length} bytes (expected at most ${LIMITS.maxEdgeRecordBytes})`,
      input,
      decodedPayload(data, bytes),
      sniffAttribution(bytes.toString('utf8', 0, 16 * 1024)),
    );
  }

  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch (cause) {
    return bad(
      'not_utf8',
      `The record's ${bytes.length} bytes are not valid UTF-8 (${errorMessage(cause)})`,
      input,
      decodedPayload(data, bytes),
      sniffAttribution(bytes.toString('utf8')),
    );
  }

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (cause) {
    return bad(
      'not_json',
      `The record is not JSON (${errorMessage(cause)}; expected an edge record object)`,
      input,
      decodedPayload(data, bytes),
      sniffAttribution(text),
    );
  }

  // The fast pre-check accepts only what the schema accepts; the schema decides the rest.
  if (!isEdgeRecord(value)) return schemaBadRow(value, input, decodedPayload(data, bytes));
  const record = value;

  if (bytes.length + EVENT_SIZE_SLACK > LIMITS.maxEventBytes) {
    const eventBytes = Buffer.byteLength(JSON.stringify(record.event));
    if (eventBytes > LIMITS.maxEventBytes) {
      return bad(
        'too_large',
        `The event is ${eventBytes} bytes serialised (expected at most ${LIMITS.maxEventBytes})`,
        input,
        decodedPayload(data, bytes),
        attributionOf(record),
      );
    }
  }

  const ahead = record.event.ts - record.receivedAt;
  if (ahead > WINDOWS.maxFutureSkewMs || -ahead > WINDOWS.maxEventAgeMs) {
    const relation =
      ahead > 0
        ? `${ahead} ms after receivedAt ${record.receivedAt}`
        : `${-ahead} ms before receivedAt ${record.receivedAt}`;
    return bad(
      'ts_out_of_range',
      `event.ts ${record.event.ts} is ${relation} (expected at most ` +
        `${WINDOWS.maxFutureSkewMs} ms after and ${WINDOWS.maxEventAgeMs} ms before)`,
      input,
      decodedPayload(data, bytes),
      attributionOf(record),
    );
  }
  return { ok: true, record };
}

function schemaBadRow(value: unknown, input: KinesisInputRecord, payload: Payload): DecodeResult {
  const result = parseWith(EdgeRecordSchema, value);
  const issues = result.ok ? [] : result.issues;
  const details = issues.map((i) => `${i.field}: expected ${i.expected}, received ${i.received}`);
  const version =
    value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)['v']
      : undefined;
  const summary =
    version !== undefined && version !== EDGE_RECORD_VERSION
      ? `Unsupported edge record version v=${JSON.stringify(version)} (expected ${EDGE_RECORD_VERSION})`
      : 'The record does not match the edge record schema';
  return bad(
    'schema',
    `${summary}: ${formatIssues(issues)}`,
    input,
    payload,
    attributionOf(value),
    details,
  );
}

/** The payload of a bad row, built only then: a good record has no use for it. */
function decodedPayload(base64: string, bytes: Buffer): Payload {
  return { base64, bytes: bytes.length };
}

function notBase64Message(data: string): string {
  const junk = /[^A-Za-z0-9+/=]/.exec(data);
  const problem =
    junk !== null
      ? `character ${JSON.stringify(junk[0])} at offset ${junk.index}`
      : `length ${data.length} or padding is not canonical`;
  return `The record's data is not base64 (${problem}; expected canonical base64, RFC 4648)`;
}

function bad(
  reason: BadRowReason,
  message: string,
  input: KinesisInputRecord,
  payload: Payload,
  attribution: Attribution = {},
  details?: readonly string[],
): DecodeResult {
  const origin = kinesisOrigin(input);
  return { ok: false, badRow: makeBadRow(reason, message, origin, payload, attribution, details) };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
