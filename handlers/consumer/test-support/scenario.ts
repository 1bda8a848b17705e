/**
 * Test scenarios: sessions of tracker events wrapped as edge records, and their Kinesis records
 * as Lambda delivers them. Event ids and contents are pure functions of (session, seq), so a
 * "redelivered" or "double-put" event is byte-identical to the original, as a producer retry is.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import {
  RECEIVED_AT,
  USER_AGENTS,
  customEvent,
  edgeRecord,
  engagementEvent,
  eventIdFor,
  pageviewEvent,
} from '../../../pipeline/__fixtures__/edge-records';
import {
  kinesisRecord,
  kinesisRecordWithText,
} from '../../../pipeline/__fixtures__/kinesis-records';
import type { EdgeRecord, TrackerEvent } from '../../../schemas';

export const SITE_ID = 'demo-shop';

export function sessionIdFor(session: number): string {
  return `sess_${String(session).padStart(8, '0')}`;
}

/** Event `seq` of session `session`: page views mostly, some engagement and custom events. */
export function scenarioEvent(session: number, seq: number): EdgeRecord {
  const sessionId = sessionIdFor(session);
  const common = {
    eventId: eventIdFor(seq, `s${session}`),
    sessionId,
    seq,
    ts: RECEIVED_AT + seq * 7_000,
    url: `https://shop.example.com/products/${(session + seq) % 5}`,
  };
  const event: TrackerEvent =
    seq % 5 === 3
      ? engagementEvent({ ...common, engagedMs: 1_000 + seq })
      : seq % 7 === 6
        ? customEvent({ ...common, name: 'add_to_cart', props: { sku: `sku-${seq}` } })
        : pageviewEvent(common);
  return edgeRecord({
    siteId: SITE_ID,
    receivedAt: RECEIVED_AT + seq * 7_000 + session,
    requestId: `req_${session}_${seq}`,
    userAgent: session % 2 === 0 ? USER_AGENTS.chromeWindows : USER_AGENTS.safariIphone,
    sourceIp: `198.51.100.${session % 250}`,
    event,
  });
}

/** Events `seqs` of each of `sessions` sessions, interleaved by seq (as traffic arrives). */
export function interleavedSessions(sessions: number, seqs: readonly number[]): EdgeRecord[] {
  const records: EdgeRecord[] = [];
  for (const seq of seqs) {
    for (let session = 0; session < sessions; session += 1)
      records.push(scenarioEvent(session, seq));
  }
  return records;
}

/** A record that can never succeed: not JSON at all. */
export const POISON_TEXT = '{"siteId": "demo-shop", "event": {"eventId": "broken';

export type Delivered = EdgeRecord | { readonly poison: string };

/** Kinesis records for `items`, at consecutive positions from `firstPosition`. */
export function kinesisRecords(
  items: readonly Delivered[],
  firstPosition = 0,
): KinesisStreamRecord[] {
  return items.map((item, index) =>
    'poison' in item
      ? kinesisRecordWithText(item.poison, {
          position: firstPosition + index,
          partitionKey: 'poison',
        })
      : kinesisRecord(item, { position: firstPosition + index }),
  );
}

export function kinesisEvent(records: readonly KinesisStreamRecord[]) {
  return { Records: [...records] };
}
