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
import { makeBadRow, payloadOf } from './bad-rows';
import { kinesisOrder, kinesisOrigin, type KinesisInputRecord } from './kinesis-record';
import { sessionKey } from './items';
import type { RecordOutcome } from './outcomes';
import { foldEvents } from './session-aggregate';

/** An event that passed decode and enrichment (as its Events item), with its record. */
export interface AcceptedEvent {
  readonly event: EventItem;
  readonly input: KinesisInputRecord;
}

/** One session's part of a batch. */
export interface SessionDelta {
  /** Sessions table key. */
  readonly pk: string;
  readonly siteId: string;
  readonly sessionId: string;
  /** The batch's distinct events of this session, by seq then ts (each is its Events item). */
  readonly events: readonly EventItem[];
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
  readonly siteId: string;
  readonly sessionId: string;
  readonly events: EventItem[];
  /** Built once the session has more than SCAN_LIMIT events in the batch. */
  index:
    | { readonly eventIds: Map<string, EventItem>; readonly seqs: Map<number, EventItem> }
    | undefined;
}

/**
 * Up to this many events, a session's earlier events are scanned for a repeated eventId or seq
 * (a handful of comparisons, no per-session maps); a bigger session gets an index.
 */
const SCAN_LIMIT = 16;

/**
 * Coalesces events added one by one in Kinesis order: what `processBatch` uses while it decodes,
 * so each event is grouped while its data is still in the CPU's cache.
 */
export class BatchCoalescer {
  private readonly bySession = new Map<string, SessionGroup>();
  // The same session id on two sites (rare): the other site's group, by Sessions key.
  private readonly byKey = new Map<string, SessionGroup>();
  private readonly groups: SessionGroup[] = [];
  private readonly eventItems: EventItem[] = [];
  private readonly badRows: BadRow[] = [];

  /** Adds the next event in Kinesis order and returns its record's outcome. */
  add(event: EventItem, input: KinesisInputRecord): RecordOutcome {
    const group = this.groupOf(event);
    const earlier = earlierOf(group, event);
    const sequenceNumber = input.kinesis.sequenceNumber;
    if (earlier !== undefined && earlier.eventId === event.eventId) {
      return { kind: 'stored', sequenceNumber, eventId: event.eventId, duplicate: true };
    }
    if (earlier !== undefined) {
      this.badRows.push(duplicateSeq(event, earlier.eventId, input));
      return { kind: 'bad', sequenceNumber, reason: 'duplicate_seq' };
    }
    add(group, event);
    this.eventItems.push(event);
    return { kind: 'stored', sequenceNumber, eventId: event.eventId, duplicate: false };
  }

  finish(): Omit<CoalescedBatch, 'outcomes'> {
    const sessionDeltas: SessionDelta[] = [];
    for (const group of this.groups) {
      const events = isSorted(group.events) ? group.events : group.events.sort(bySeqThenTs);
      sessionDeltas.push({
        pk: sessionKey(group.siteId, group.sessionId),
        siteId: group.siteId,
        sessionId: group.sessionId,
        events,
        summary: foldEvents(events),
      });
    }
    return { eventItems: this.eventItems, sessionDeltas, badRows: this.badRows };
  }

  private groupOf(event: EventItem): SessionGroup {
    let group = this.bySession.get(event.sessionId);
    if (group !== undefined && group.siteId === event.siteId) return group;
    if (group !== undefined) group = this.byKey.get(event.pk);
    if (group === undefined) {
      group = { siteId: event.siteId, sessionId: event.sessionId, events: [], index: undefined };
      if (this.bySession.has(event.sessionId)) this.byKey.set(event.pk, group);
      else this.bySession.set(event.sessionId, group);
      this.groups.push(group);
    }
    return group;
  }
}

/** Coalesces accepted events given in any order (they are taken in Kinesis order). */
export function coalesce(accepted: readonly AcceptedEvent[]): CoalescedBatch {
  const outcomes = new Array<RecordOutcome>(accepted.length);
  const order = kinesisOrder(accepted.map((a) => a.input));
  const coalescer = new BatchCoalescer();
  for (let i = 0; i < accepted.length; i += 1) {
    const index = order === undefined ? i : (order[i] as number);
    const { event, input } = accepted[index] as AcceptedEvent;
    outcomes[index] = coalescer.add(event, input);
  }
  return { ...coalescer.finish(), outcomes };
}

/** The stored event with the same eventId (preferred) or else the same seq, if any. */
function earlierOf(group: SessionGroup, event: EventItem): EventItem | undefined {
  if (group.index !== undefined) {
    return group.index.eventIds.get(event.eventId) ?? group.index.seqs.get(event.seq);
  }
  let sameSeq: EventItem | undefined;
  for (const stored of group.events) {
    if (stored.eventId === event.eventId) return stored;
    if (stored.seq === event.seq) sameSeq = stored;
  }
  return sameSeq;
}

function add(group: SessionGroup, event: EventItem): void {
  group.events.push(event);
  if (group.index !== undefined) {
    group.index.eventIds.set(event.eventId, event);
    group.index.seqs.set(event.seq, event);
  } else if (group.events.length > SCAN_LIMIT) {
    group.index = {
      eventIds: new Map(group.events.map((e) => [e.eventId, e])),
      seqs: new Map(group.events.map((e) => [e.seq, e])),
    };
  }
}

/** Events mostly arrive in seq order: checking is cheaper than sorting. */
function isSorted(events: readonly EventItem[]): boolean {
  for (let i = 1; i < events.length; i += 1) {
    if (bySeqThenTs(events[i - 1] as EventItem, events[i] as EventItem) > 0) return false;
  }
  return true;
}

function bySeqThenTs(a: EnrichedEvent, b: EnrichedEvent): number {
  return (
    a.seq - b.seq || a.ts - b.ts || (a.eventId < b.eventId ? -1 : a.eventId > b.eventId ? 1 : 0)
  );
}

function duplicateSeq(event: EnrichedEvent, holder: string, input: KinesisInputRecord): BadRow {
  return makeBadRow(
    'duplicate_seq',
    `seq ${event.seq} of session ${event.sessionId} is already used by event ${holder} in this ` +
      `batch (received event ${event.eventId}; expected each event of a session to have its own seq)`,
    kinesisOrigin(input),
    payloadOf(input.kinesis.data),
    { siteId: event.siteId, eventId: event.eventId },
  );
}
