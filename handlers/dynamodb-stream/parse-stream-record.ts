/**
 * One Lambda DynamoDB stream record → a typed change for the derivation, or a bad row naming
 * what was wrong. Never throws for bad data: a record that can never be interpreted must not
 * block the stream (DESIGN.md invariant 4).
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { TSchema, Static } from '@sinclair/typebox';
import { match } from 'ts-pattern';
import {
  ActiveSessionItemSchema,
  SessionItemSchema,
  formatIssues,
  parseWith,
  type BadRow,
  type RecordOrigin,
} from '../../schemas';
import { makeBadRow } from '../../pipeline/bad-rows';
import type { Remover, StreamChange, StreamTable } from '../../pipeline/metrics/stream-change';
import {
  DynamoDBStreamRecordSchema,
  TTL_PRINCIPAL,
  type DynamoDBStreamRecord,
} from './stream-record-schema';

/** Table names whose streams the processor reads. */
export interface StreamTables {
  /** Undefined for a reader of the ActiveSessions stream only (the rollup function). */
  readonly sessions?: string;
  readonly activeSessions: string;
}

export type ParsedStreamRecord =
  | { readonly ok: true; readonly sequenceNumber: string; readonly change: StreamChange }
  | {
      readonly ok: false;
      /** Undefined only when the record lacks one (never from Lambda): see the handler. */
      readonly sequenceNumber: string | undefined;
      readonly recordTimeMs: number | undefined;
      readonly badRow: BadRow;
    };

export type MalformedOutcome = Extract<ParsedStreamRecord, { readonly ok: false }>;

class MalformedRecord extends Error {
  constructor(
    message: string,
    readonly details: readonly string[] = [],
  ) {
    super(message);
  }
}

export function parseStreamRecord(raw: unknown, tables: StreamTables): ParsedStreamRecord {
  const envelope = parseWith(DynamoDBStreamRecordSchema, raw);
  if (!envelope.ok) {
    return malformed(
      raw,
      new MalformedRecord(
        'The record is not a DynamoDB stream record (expected Lambda’s DynamoDB event record shape)',
        envelope.issues.map((issue) => formatIssues([issue])),
      ),
    );
  }
  const record = envelope.value;
  try {
    const change = toChange(record, tableOf(record.eventSourceARN, tables));
    return { ok: true, sequenceNumber: record.dynamodb.SequenceNumber, change };
  } catch (error) {
    if (error instanceof MalformedRecord) return malformed(raw, error);
    throw error;
  }
}

type ChangeBody<Item> =
  | { readonly eventName: 'INSERT'; readonly recordTimeMs: number; readonly newImage: Item }
  | {
      readonly eventName: 'MODIFY';
      readonly recordTimeMs: number;
      readonly oldImage: Item;
      readonly newImage: Item;
    }
  | {
      readonly eventName: 'REMOVE';
      readonly recordTimeMs: number;
      readonly oldImage: Item;
      readonly removedBy: Remover;
    };

function toChange(record: DynamoDBStreamRecord, table: StreamTable): StreamChange {
  return table === 'sessions'
    ? { table, ...changeBody(record, SessionItemSchema) }
    : { table, ...changeBody(record, ActiveSessionItemSchema) };
}

function changeBody<S extends TSchema>(
  record: DynamoDBStreamRecord,
  schema: S,
): ChangeBody<Static<S>> {
  const recordTimeMs = Math.round(record.dynamodb.ApproximateCreationDateTime * 1000);
  const image = (name: 'NewImage' | 'OldImage') => parseImage(record, name, schema);
  return match(record.eventName)
    .returnType<ChangeBody<Static<S>>>()
    .with('INSERT', () => ({ eventName: 'INSERT', recordTimeMs, newImage: image('NewImage') }))
    .with('MODIFY', () => ({
      eventName: 'MODIFY',
      recordTimeMs,
      oldImage: image('OldImage'),
      newImage: image('NewImage'),
    }))
    .with('REMOVE', () => ({
      eventName: 'REMOVE',
      recordTimeMs,
      oldImage: image('OldImage'),
      removedBy: removerOf(record),
    }))
    .exhaustive();
}

function parseImage<S extends TSchema>(
  record: DynamoDBStreamRecord,
  name: 'NewImage' | 'OldImage',
  schema: S,
): Static<S> {
  const image = record.dynamodb[name];
  if (image === undefined) {
    throw new MalformedRecord(
      `${record.eventName} record without dynamodb.${name} (expected a stream with view type NEW_AND_OLD_IMAGES)`,
    );
  }
  let value: unknown;
  try {
    value = unmarshall(image as Record<string, AttributeValue>);
  } catch (cause) {
    throw new MalformedRecord(
      `dynamodb.${name} is not a DynamoDB attribute map (${cause instanceof Error ? cause.message : String(cause)})`,
    );
  }
  const parsed = parseWith(schema, value);
  if (!parsed.ok) {
    throw new MalformedRecord(
      `dynamodb.${name} does not match the table's item schema`,
      parsed.issues.map((issue) => formatIssues([issue])),
    );
  }
  return parsed.value;
}

function removerOf(record: DynamoDBStreamRecord): Remover {
  const identity = record.userIdentity;
  return identity?.type === TTL_PRINCIPAL.type && identity.principalId === TTL_PRINCIPAL.principalId
    ? 'ttl'
    : 'principal';
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → which of our tables. */
function tableOf(streamArn: string, tables: StreamTables): StreamTable {
  const name = /:table\/([^/]+)\/stream\//.exec(streamArn)?.[1];
  if (name !== undefined && name === tables.sessions) return 'sessions';
  if (name === tables.activeSessions) return 'activeSessions';
  const expected = [tables.sessions, tables.activeSessions]
    .filter((table) => table !== undefined)
    .map((table) => JSON.stringify(table))
    .join(' or ');
  throw new MalformedRecord(
    `eventSourceARN ${JSON.stringify(streamArn)} is the stream of ${name === undefined ? 'no table' : `table ${JSON.stringify(name)}`} (expected the stream of ${expected})`,
  );
}

/** Malformed record → its outcome: the bad row keeps the record exactly as Lambda delivered it. */
export function malformedRecord(
  raw: unknown,
  message: string,
  details: readonly string[] = [],
): MalformedOutcome {
  return malformed(raw, new MalformedRecord(message, details));
}

function malformed(raw: unknown, error: MalformedRecord): MalformedOutcome {
  const ids = looseIdentifiers(raw);
  const text = JSON.stringify(raw) ?? String(raw);
  const origin: RecordOrigin = {
    kind: 'dynamodb-stream',
    streamArn: ids.streamArn ?? '',
    eventId: ids.eventId ?? '',
    sequenceNumber: ids.sequenceNumber ?? '',
    arrivedAt: ids.recordTimeMs ?? 0,
  };
  const badRow = makeBadRow(
    'malformed_stream_record',
    error.message,
    origin,
    {
      base64: Buffer.from(text, 'utf8').toString('base64'),
      bytes: Buffer.byteLength(text, 'utf8'),
    },
    { siteId: ids.siteId },
    error.details,
  );
  return { ok: false, sequenceNumber: ids.sequenceNumber, recordTimeMs: ids.recordTimeMs, badRow };
}

interface LooseIdentifiers {
  readonly eventId?: string | undefined;
  readonly streamArn?: string | undefined;
  readonly sequenceNumber?: string | undefined;
  readonly recordTimeMs?: number | undefined;
  readonly siteId?: string | undefined;
}

/** Whatever identifiers a record of unknown shape still carries, for its bad row. */
function looseIdentifiers(raw: unknown): LooseIdentifiers {
  const record = asObject(raw);
  const change = asObject(record?.['dynamodb']);
  const created = change?.['ApproximateCreationDateTime'];
  const siteIdOf = (image: unknown) => asString(asObject(asObject(image)?.['siteId'])?.['S']);
  return {
    eventId: asString(record?.['eventID']),
    streamArn: asString(record?.['eventSourceARN']),
    sequenceNumber: asString(change?.['SequenceNumber']),
    recordTimeMs:
      typeof created === 'number' && Number.isFinite(created) && created >= 0
        ? Math.round(created * 1000)
        : undefined,
    siteId: siteIdOf(change?.['NewImage']) ?? siteIdOf(change?.['OldImage']),
  };
}

function asObject(value: unknown): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function asString(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 && value.length <= 1024 ? value : undefined;
}
