/**
 * Building bad rows: a record that can never succeed, kept with its reason, its original payload
 * byte for byte (base64, exactly as Kinesis delivered it) and where it came from.
 */
import { match } from 'ts-pattern';
import type { BadRow, BadRowReason, RecordOrigin } from '../schemas';
import { kinesisOrigin, type KinesisInputRecord } from './kinesis-record';

/** The original payload as delivered. */
export interface Payload {
  /** Exactly the `data` string Lambda delivered (even when it is not valid base64). */
  readonly base64: string;
  /** Decoded length in bytes; for data that is not base64, the length of the text itself. */
  readonly bytes: number;
}

/** The payload of a record that decoded as base64 (its size follows from the text). */
export function payloadOf(base64: string): Payload {
  return { base64, bytes: Buffer.byteLength(base64, 'base64') };
}

export interface Attribution {
  readonly siteId?: string | undefined;
  readonly eventId?: string | undefined;
}

export function makeBadRow(
  reason: BadRowReason,
  message: string,
  origin: RecordOrigin,
  payload: Payload,
  attribution: Attribution = {},
  details?: readonly string[],
): BadRow {
  const row: BadRow = {
    reason,
    message,
    origin,
    payloadBase64: payload.base64,
    payloadBytes: payload.bytes,
  };
  if (details !== undefined && details.length > 0) row.details = [...details];
  if (attribution.siteId !== undefined) row.siteId = attribution.siteId;
  if (attribution.eventId !== undefined) row.eventId = attribution.eventId;
  return row;
}

/**
 * A record whose event passed every check of the pipeline but whose item the store refused for
 * good (`problem`: what the store said). It is a bad row at once — retrying would hold back the
 * shard and end in the on-failure destination, neither stored nor a bad row.
 */
export function unwritableBadRow(
  input: KinesisInputRecord,
  attribution: Attribution,
  problem: string,
): BadRow {
  return makeBadRow(
    'unwritable',
    `The event's item was refused by the store: ${problem} (expected an item it can hold)`,
    kinesisOrigin(input),
    payloadOf(input.kinesis.data),
    attribution,
  );
}

/** Attribution values are echoed from untrusted data: keep them short. */
const MAX_ATTRIBUTION_LENGTH = 128;

/** Best-effort siteId / eventId of a parsed value of unknown shape. */
export function attributionOf(value: unknown): Attribution {
  if (value === null || typeof value !== 'object') return {};
  const record = value as Record<string, unknown>;
  const event = record['event'];
  const eventId =
    event !== null && typeof event === 'object'
      ? (event as Record<string, unknown>)['eventId']
      : undefined;
  return { siteId: shortString(record['siteId']), eventId: shortString(eventId) };
}

/** How much of an unparseable payload is searched for ids. */
const SNIFF_CHARS = 16 * 1024;
const SITE_ID_PATTERN = /"siteId"\s*:\s*"([^"\\]{1,128})"/;
const EVENT_ID_PATTERN = /"eventId"\s*:\s*"([^"\\]{1,128})"/;

/** Best-effort ids from text that did not parse (truncated JSON, oversized, broken UTF-8). */
export function sniffAttribution(text: string): Attribution {
  const head = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  return {
    siteId: SITE_ID_PATTERN.exec(head)?.[1],
    eventId: EVENT_ID_PATTERN.exec(head)?.[1],
  };
}

function shortString(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  return value.length > MAX_ATTRIBUTION_LENGTH ? value.slice(0, MAX_ATTRIBUTION_LENGTH) : value;
}

/** A record's position in its stream: (shard or stream event id, sequence number). */
export function originPosition(origin: RecordOrigin): {
  readonly shardId: string;
  readonly sequenceNumber: string;
} {
  const shardId = match(origin)
    .with({ kind: 'kinesis' }, (o) => o.shardId)
    .with({ kind: 'dynamodb-stream' }, (o) => o.eventId)
    .exhaustive();
  return { shardId, sequenceNumber: origin.sequenceNumber };
}
