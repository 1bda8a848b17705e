/** fast-check arbitraries: sessions of enriched events, and whole Kinesis batches. */
import type { KinesisStreamRecord } from 'aws-lambda';
import fc from 'fast-check';
import type {
  EdgeRecord,
  EnrichedEvent,
  EventType,
  TrackerEvent,
  TrafficSource,
} from '../../schemas';
import {
  RECEIVED_AT,
  USER_AGENTS,
  customEvent,
  edgeRecord,
  engagementEvent,
  eventIdFor,
  pageviewEvent,
} from './edge-records';
import { enrichedEvent } from './enriched-events';
import { TRACKER_EVENT_NAMES } from '../../schemas/tracker-events';
import { kinesisRecord, kinesisRecordWithData } from './kinesis-records';

const EVENT_TYPES: readonly EventType[] = ['pageview', 'engagement', 'custom'];
const PATHS = ['/', '/pricing', '/blog/a', '/checkout'];
const CUSTOM_NAMES = [
  'signup',
  TRACKER_EVENT_NAMES.outbound,
  ...Array.from({ length: 10 }, (_, i) => `goal ${i}`),
];
const SOURCES: readonly TrafficSource[] = [
  { source: 'google', medium: 'search', referrerHost: 'google.com' },
  { source: 'direct', medium: 'direct' },
  { source: 'newsletter', medium: 'email', campaign: 'spring' },
];
/** Activity spread over 90 minutes, so the 30-minute pruning of pageviewMinutes is exercised. */
const SPREAD_MS = 90 * 60_000;

function arbEnrichedEvent(seq: number, sessionId: string): fc.Arbitrary<EnrichedEvent> {
  return fc
    .record({
      type: fc.constantFrom(...EVENT_TYPES),
      offsetMs: fc.integer({ min: 0, max: SPREAD_MS }),
      path: fc.constantFrom(...PATHS),
      isBot: fc.boolean(),
      engagedMs: fc.integer({ min: 0, max: 60_000 }),
      scrollDepth: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
      // More names than a session keeps (capped-names.ts), so the cap's `(other)` is exercised.
      name: fc.constantFrom(...CUSTOM_NAMES),
      link: fc.integer({ min: 0, max: 11 }),
      visitorId: fc.constantFrom('visitor-a', 'visitor-b'),
      source: fc.constantFrom(...SOURCES),
      country: fc.constantFrom('DE', 'US', 'unknown'),
    })
    .map(({ type, offsetMs, engagedMs, scrollDepth, name, link, ...rest }) => {
      const event = enrichedEvent({
        ...rest,
        seq,
        sessionId,
        eventId: eventIdFor(seq, sessionId),
        type,
        receivedAt: RECEIVED_AT + offsetMs,
      });
      if (type === 'engagement') {
        event.engagedMs = engagedMs;
        if (scrollDepth !== undefined) event.scrollDepth = scrollDepth;
      }
      if (type === 'custom') {
        event.name = name;
        if (name === TRACKER_EVENT_NAMES.outbound)
          event.props = { url: `https://x.example/${link}` };
      }
      return event;
    });
}

/** The distinct events of one session (distinct seqs, any order, gaps allowed). */
export function arbSessionEvents(sessionId = 'sess_01234567'): fc.Arbitrary<EnrichedEvent[]> {
  return fc
    .uniqueArray(fc.nat({ max: 40 }), { minLength: 1, maxLength: 20 })
    .chain((seqs) => fc.tuple(...seqs.map((seq) => arbEnrichedEvent(seq, sessionId))));
}

/** Payloads that can never succeed, one per early failure reason. */
const HOSTILE_DATA: readonly string[] = [
  'not base64!',
  Buffer.from('{"v":1,"siteId":"demo-shop","event":{').toString('base64'),
  Buffer.from([0x7b, 0xff, 0xfe, 0x7d]).toString('base64'),
  Buffer.from(JSON.stringify({ v: 2, siteId: 'demo-shop' })).toString('base64'),
];

function trackerEvent(
  type: EventType,
  seq: number,
  sessionId: string,
  eventId: string,
  ts: number,
): TrackerEvent {
  const common = { seq, sessionId, eventId, ts, url: `https://shop.example.com${PATHS[seq % 4]}` };
  if (type === 'engagement') return engagementEvent(common);
  if (type === 'custom') return customEvent(common);
  return pageviewEvent(common);
}

/** One record to put in a batch: valid, or `data` that can never succeed. */
type Planned = { readonly edge: EdgeRecord } | { readonly data: string };

/**
 * A batch as Lambda delivers it: 1–3 sessions of valid events, a few hostile payloads, and a
 * few events that reuse a seq of their session under another eventId; in random Kinesis order
 * (positions 0..n-1).
 */
export const arbBatch: fc.Arbitrary<KinesisStreamRecord[]> = fc
  .tuple(
    fc.uniqueArray(fc.constantFrom('sess_aaaaaaaa', 'sess_bbbbbbbb', 'sess_cccccccc'), {
      minLength: 1,
      maxLength: 3,
    }),
    fc.array(fc.constantFrom(...HOSTILE_DATA), { maxLength: 3 }),
    fc.array(fc.nat({ max: 1000 }), { maxLength: 2 }),
  )
  .chain(([sessions, hostile, conflicts]) =>
    fc
      .tuple(
        ...sessions.map((sessionId) =>
          fc
            .tuple(
              fc.uniqueArray(fc.nat({ max: 15 }), { minLength: 1, maxLength: 8 }),
              fc.constantFrom(...Object.values(USER_AGENTS)),
            )
            .chain(([seqs, userAgent]) =>
              fc.tuple(
                ...seqs.map((seq) =>
                  fc
                    .record({
                      type: fc.constantFrom(...EVENT_TYPES),
                      offsetMs: fc.integer({ min: 0, max: SPREAD_MS }),
                    })
                    .map(({ type, offsetMs }): Planned => ({
                      edge: edgeRecord({
                        userAgent,
                        receivedAt: RECEIVED_AT + offsetMs,
                        event: trackerEvent(
                          type,
                          seq,
                          sessionId,
                          eventIdFor(seq, sessionId),
                          RECEIVED_AT + offsetMs - 100,
                        ),
                      }),
                    })),
                ),
              ),
            ),
        ),
      )
      .map((perSession) => {
        const valid = perSession.flat();
        const planned: Planned[] = [...valid, ...hostile.map((data) => ({ data }))];
        conflicts.forEach((pick, i) => {
          const victim = valid[pick % valid.length];
          if (victim === undefined || !('edge' in victim)) return;
          const event = { ...victim.edge.event, eventId: eventIdFor(i, 'conflict') };
          planned.push({ edge: { ...victim.edge, event } });
        });
        return planned;
      }),
  )
  .chain((planned) => fc.shuffledSubarray(planned, { minLength: planned.length }))
  .map((planned) =>
    planned.map((item, position) =>
      'edge' in item
        ? kinesisRecord(item.edge, { position })
        : kinesisRecordWithData(item.data, { position }),
    ),
  );

/** `records` plus re-puts of some of them: same data, later positions (a producer retry). */
export function withDuplicates(
  records: readonly KinesisStreamRecord[],
  picks: readonly number[],
): KinesisStreamRecord[] {
  const copies = picks.map((pick, i) => {
    const original = records[pick % records.length] as KinesisStreamRecord;
    return kinesisRecordWithData(original.kinesis.data, {
      position: records.length + i,
      partitionKey: original.kinesis.partitionKey,
    });
  });
  return [...records, ...copies];
}
