/**
 * Coalesce a batch's enriched events: group by session, dedupe, order, fold — so the consumer
 * writes each session once per batch instead of once per event.
 *
 * - Records are taken in Kinesis order (shard, sequence number) whatever order they are passed
 *   in, so "first occurrence" means the same thing on every delivery of a batch.
 * - An event whose (siteId, sessionId, eventId) — its Events key — was already seen is a
 *   duplicate (a producer put it twice): stored once, counted once.
 * - Another eventId with a `seq` already taken in the batch breaks the tracker's contract (seq
 *   is the session's event identity): the later record becomes a `duplicate_seq` bad row.
 * - Each session's events are ordered by seq, then ts (then eventId, for a total order), and
 *   folded into a summary.
 */
import type { BadRow, EnrichedEvent, EventItem, SessionState } from '../schemas';
import { makeBadRow, type Payload } from './bad-rows';
import { comparePositions, type KinesisOrigin } from './kinesis-record';
import { sessionKey, toEventItem } from './items';
import type { RecordOutcome } from './outcomes';
import { foldEvents } from './session-aggregate';

/** An event that passed decode and enrichment, with where it came from. */
export interface AcceptedEvent {
  readonly event: EnrichedEvent;
  readonly origin: KinesisOrigin;
  readonly payload: Payload;
}

/** One session's part of a batch. */
export interface SessionDelta {
  /** Sessions table key. */
  readonly pk: string;
  readonly siteId: string;
  readonly sessionId: string;
  /** The batch's distinct events of this session, by seq then ts. */
  readonly events: readonly EnrichedEvent[];
  /**
   * The events folded. Combine with the stored state through `applyEvents(stored, events)`,
   * which drops what an earlier delivery already applied; the summary alone is for a session
   * with no stored state and for reporting.
   */
  readonly summary: SessionState;
}

export interface CoalescedBatch {
  /** One item per distinct event, in Kinesis order. */
  readonly eventItems: readonly EventItem[];
  /** One delta per session, in the Kinesis order of each session's first event. */
  readonly sessionDeltas: readonly SessionDelta[];
  /** `duplicate_seq` rows, in Kinesis order. */
  readonly badRows: readonly BadRow[];
  /** One per input, in input order. */
  readonly outcomes: readonly RecordOutcome[];
}

interface SessionGroup {
  readonly pk: string;
  readonly events: EnrichedEvent[];
  /** eventIds stored so far (with the session, the Events key). */
  readonly eventIds: Set<string>;
  /** seq → eventId that holds it. */
  readonly seqs: Map<number, string>;
}

export function coalesce(accepted: readonly AcceptedEvent[]): CoalescedBatch {
  const outcomes = new Array<RecordOutcome>(accepted.length);
  const eventItems: EventItem[] = [];
  const badRows: BadRow[] = [];
  const groups = new Map<string, SessionGroup>();

  for (const index of kinesisOrder(accepted)) {
    const { event, origin, payload } = accepted[index] as AcceptedEvent;
    const pk = sessionKey(event.siteId, event.sessionId);
    let group = groups.get(pk);
    if (group === undefined) {
      group = { pk, events: [], eventIds: new Set(), seqs: new Map() };
      groups.set(pk, group);
    }
    const sequenceNumber = origin.sequenceNumber;
    if (group.eventIds.has(event.eventId)) {
      outcomes[index] = { kind: 'stored', sequenceNumber, eventId: event.eventId, duplicate: true };
      continue;
    }
    const holder = group.seqs.get(event.seq);
    if (holder !== undefined) {
      badRows.push(duplicateSeq(event, holder, origin, payload));
      outcomes[index] = { kind: 'bad', sequenceNumber, reason: 'duplicate_seq' };
      continue;
    }
    group.eventIds.add(event.eventId);
    group.seqs.set(event.seq, event.eventId);
    group.events.push(event);
    eventItems.push(toEventItem(event));
    outcomes[index] = { kind: 'stored', sequenceNumber, eventId: event.eventId, duplicate: false };
  }

  const sessionDeltas: SessionDelta[] = [];
  for (const group of groups.values()) {
    const events = group.events.sort(bySeqThenTs);
    const summary = foldEvents(events);
    sessionDeltas.push({
      pk: group.pk,
      siteId: summary.siteId,
      sessionId: summary.sessionId,
      events,
      summary,
    });
  }
  return { eventItems, sessionDeltas, badRows, outcomes };
}

/** Indices of `accepted` in Kinesis order; a batch from Lambda is usually in order already. */
function kinesisOrder(accepted: readonly AcceptedEvent[]): number[] {
  const order = accepted.map((_, index) => index);
  let sorted = true;
  for (let i = 1; i < accepted.length && sorted; i += 1) {
    const previous = accepted[i - 1] as AcceptedEvent;
    if (comparePositions(previous.origin, (accepted[i] as AcceptedEvent).origin) > 0)
      sorted = false;
  }
  if (!sorted) {
    order.sort((a, b) =>
      comparePositions(
        (accepted[a] as AcceptedEvent).origin,
        (accepted[b] as AcceptedEvent).origin,
      ),
    );
  }
  return order;
}

function bySeqThenTs(a: EnrichedEvent, b: EnrichedEvent): number {
  return (
    a.seq - b.seq || a.ts - b.ts || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

function duplicateSeq(
  event: EnrichedEvent,
  holder: string,
  origin: KinesisOrigin,
  payload: Payload,
): BadRow {
  return makeBadRow(
    'duplicate_seq',
    `seq ${event.seq} of session ${event.sessionId} is already used by event ${holder} in this ` +
      `batch (received event ${event.eventId}; expected each event of a session to have its own seq)`,
    origin,
    payload,
    { siteId: event.siteId, eventId: event.eventId },
  );
}
