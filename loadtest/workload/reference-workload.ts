/**
 * THE reference workload of LiveInsight's benchmarks (DESIGN.md section 6): deterministic
 * (seeded), so every benchmark and every machine measures the same records.
 *
 * Defaults (REFERENCE_WORKLOAD):
 * - one site (`demo-shop`, https://shop.example.com), 500 sessions × 20 events = 10,000
 *   distinct events; each session lands with a page view, then page views (45 %), engagement
 *   pings (40 %) and custom events with 1–3 props (15 %), 2–40 s apart (~5 min per session);
 * - 100 sessions live at once (starts staggered), so a batch holds many interleaved sessions;
 * - visitors: realistic user-agent mix (desktop/mobile/tablet, ~3 % bots and headless), 14
 *   countries plus unknown, landing referrers from search, social, email, paid (UTM), partner
 *   sites and direct (see audience.ts); later page views are internal navigations;
 * - 1 % of events are put twice by a producer retry (same eventId, new receivedAt/requestId,
 *   arriving 1–5 s later) and 1 % arrive late (a 207 partial-failure retry: after later events
 *   of their session) — so records = 10,100, all valid;
 * - one Kinesis shard, records in arrival order, ~600 B of JSON per edge record, split into
 *   Lambda batches of 1,000 (the consumer's BatchSize): 11 batches, with about 100–150
 *   sessions and 7–9 events per session per batch (printed by `describeWorkload`).
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import type { EdgeRecord, IngestRequest, TrackerEvent } from '../../schemas';
import {
  COUNTRY_MIX,
  CUSTOM_EVENTS,
  LANDING_MIX,
  PAGES,
  USER_AGENT_MIX,
} from '../../localstack/demo-traffic/audience';
import { Prng } from '../../localstack/demo-traffic/prng';

export interface WorkloadOptions {
  readonly seed: number;
  readonly siteId: string;
  readonly origin: string;
  readonly sessions: number;
  readonly eventsPerSession: number;
  /** Sessions live at the same time (start times are staggered to keep this many overlapping). */
  readonly concurrentSessions: number;
  /** Records per Lambda batch. */
  readonly batchSize: number;
  /** Share of events put twice (producer retry after a timeout). */
  readonly duplicateRate: number;
  /** Share of events that arrive after later events of their session (207 retry). */
  readonly lateRate: number;
  /** Edge clock of the first session's first event (epoch ms). */
  readonly startAt: number;
  readonly streamArn: string;
  readonly shardId: string;
}

export const REFERENCE_WORKLOAD: WorkloadOptions = {
  seed: 20_251_113,
  siteId: 'demo-shop',
  origin: 'https://shop.example.com',
  sessions: 500,
  eventsPerSession: 20,
  concurrentSessions: 100,
  batchSize: 1_000,
  duplicateRate: 0.01,
  lateRate: 0.01,
  startAt: Date.UTC(2025, 10, 13, 9, 0, 0),
  streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/liveinsight-dev-events',
  shardId: 'shardId-000000000000',
};

/** One visitor's request to the edge, as the tracker sends it (for edge benchmarks). */
export interface WorkloadRequest {
  readonly body: IngestRequest;
  readonly userAgent: string;
  readonly sourceIp: string;
  readonly country: string;
  /** When the edge receives it (epoch ms). */
  readonly at: number;
}

export interface WorkloadSession {
  readonly sessionId: string;
  readonly userAgent: string;
  readonly sourceIp: string;
  readonly country: string;
  /** The distinct events, in seq order. */
  readonly events: readonly TrackerEvent[];
}

export interface Workload {
  readonly options: WorkloadOptions;
  readonly sessions: readonly WorkloadSession[];
  /** What the edge puts on Kinesis, in arrival order, re-puts included. */
  readonly edgeRecords: readonly EdgeRecord[];
  /** The same records as Lambda delivers them (base64 data, positions in one shard). */
  readonly kinesisRecords: readonly KinesisStreamRecord[];
  /** `kinesisRecords` cut into Lambda batches of `batchSize`. */
  readonly batches: readonly (readonly KinesisStreamRecord[])[];
  /** The tracker's requests (one per event), in arrival order, re-puts included. */
  readonly requests: readonly WorkloadRequest[];
}

export interface WorkloadDescription {
  readonly records: number;
  readonly distinctEvents: number;
  readonly sessions: number;
  readonly batches: number;
  readonly meanRecordBytes: number;
  readonly meanSessionsPerBatch: number;
  readonly meanEventsPerSessionPerBatch: number;
}

interface Arrival {
  readonly record: EdgeRecord;
  readonly request: WorkloadRequest;
  /** Ties in `record.receivedAt` break by generation order, for determinism. */
  readonly order: number;
}

export function generateWorkload(overrides: Partial<WorkloadOptions> = {}): Workload {
  const options: WorkloadOptions = { ...REFERENCE_WORKLOAD, ...overrides };
  const prng = new Prng(options.seed);
  const sessions: WorkloadSession[] = [];
  const arrivals: Arrival[] = [];
  // Mean session length is eventsPerSession × ~21 s; stagger starts to keep N sessions live.
  const meanSessionMs = options.eventsPerSession * 21_000;
  const startEveryMs = meanSessionMs / options.concurrentSessions;

  for (let s = 0; s < options.sessions; s += 1) {
    const visitor = {
      userAgent: prng.weighted(USER_AGENT_MIX).userAgent,
      sourceIp: prng.chance(0.2)
        ? `2001:db8:${prng.int(0, 0xffff).toString(16)}::${prng.int(1, 0xffff).toString(16)}`
        : `${prng.pick(['192.0.2', '198.51.100', '203.0.113'])}.${prng.int(1, 254)}`,
      country: prng.weighted(COUNTRY_MIX).country,
    };
    const sessionId = `s_${prng.id(22)}`;
    const landing = prng.weighted(LANDING_MIX);
    const screen = screenFor(visitor.userAgent);
    const lang = prng.pick(['en-US', 'en-GB', 'de-DE', 'fr-FR', 'es-ES', 'pt-BR', 'ja-JP']);
    let at = Math.round(options.startAt + s * startEveryMs + prng.int(0, 2_000));
    let page = prng.pick(PAGES);
    let pageUrl = `${options.origin}${page[0]}${landing.query === undefined ? '' : `?${landing.query}`}`;
    let referrer = landing.referrer;
    const events: TrackerEvent[] = [];

    for (let seq = 0; seq < options.eventsPerSession; seq += 1) {
      const kind = seq === 0 ? 'pageview' : pickKind(prng);
      if (kind === 'pageview' && seq > 0) {
        referrer = pageUrl;
        page = prng.pick(PAGES);
        // Some links carry a trailing slash or a query: path normalisation has work to do.
        const decoration = prng.next();
        pageUrl = `${options.origin}${page[0]}${decoration < 0.05 ? '/' : decoration < 0.1 ? '?color=blue' : ''}`;
      }
      const common = {
        eventId: `e_${prng.id(22)}`,
        sessionId,
        seq,
        // Client clocks drift: up to 2 s behind or 0.5 s ahead of the edge.
        ts: at - prng.int(-500, 2_000),
        url: pageUrl,
        ...(referrer === undefined ? {} : { referrer }),
        title: page[1],
        screen,
        lang,
      };
      const event: TrackerEvent =
        kind === 'pageview'
          ? { ...common, type: 'pageview' }
          : kind === 'engagement'
            ? { ...common, type: 'engagement', engagedMs: prng.int(1_000, 60_000) }
            : customEvent(prng, common);
      events.push(event);

      const requestId = requestIdOf(prng);
      const late = prng.chance(options.lateRate) ? prng.int(1_000, 5_000) : 0;
      const first = edgeRecord(options, visitor, event, at + late, requestId);
      arrivals.push(arrival(first, visitor, arrivals.length));
      if (prng.chance(options.duplicateRate)) {
        const retryAt = at + late + prng.int(1_000, 5_000);
        const again = edgeRecord(options, visitor, event, retryAt, requestIdOf(prng));
        arrivals.push(arrival(again, visitor, arrivals.length));
      }
      at += prng.int(2_000, 40_000);
    }
    sessions.push({ sessionId, ...visitor, events });
  }

  arrivals.sort((a, b) => a.record.receivedAt - b.record.receivedAt || a.order - b.order);
  const edgeRecords = arrivals.map((a) => a.record);
  const kinesisRecords = edgeRecords.map((record, i) => toKinesisRecord(options, record, i));
  const batches: KinesisStreamRecord[][] = [];
  for (let i = 0; i < kinesisRecords.length; i += options.batchSize) {
    batches.push(kinesisRecords.slice(i, i + options.batchSize));
  }
  return {
    options,
    sessions,
    edgeRecords,
    kinesisRecords,
    batches,
    requests: arrivals.map((a) => a.request),
  };
}

/** Figures a benchmark prints next to its results, so the workload is documented in the output. */
export function describeWorkload(workload: Workload): WorkloadDescription {
  let bytes = 0;
  for (const record of workload.edgeRecords) bytes += Buffer.byteLength(JSON.stringify(record));
  let sessionBatches = 0;
  for (const batch of workload.batches) {
    sessionBatches += new Set(batch.map((r) => r.kinesis.partitionKey)).size;
  }
  const records = workload.kinesisRecords.length;
  return {
    records,
    distinctEvents: workload.sessions.reduce((n, s) => n + s.events.length, 0),
    sessions: workload.sessions.length,
    batches: workload.batches.length,
    meanRecordBytes: Math.round(bytes / records),
    meanSessionsPerBatch: Math.round(sessionBatches / workload.batches.length),
    meanEventsPerSessionPerBatch: Math.round((records / sessionBatches) * 10) / 10,
  };
}

function pickKind(prng: Prng): TrackerEvent['type'] {
  const draw = prng.next();
  return draw < 0.45 ? 'pageview' : draw < 0.85 ? 'engagement' : 'custom';
}

function customEvent(
  prng: Prng,
  common: Omit<TrackerEvent, 'type' | 'engagedMs' | 'name' | 'props'>,
): TrackerEvent {
  const template = prng.pick(CUSTOM_EVENTS);
  const entries = Object.entries(template.props).slice(0, prng.int(1, 3));
  return { ...common, type: 'custom', name: template.name, props: Object.fromEntries(entries) };
}

function screenFor(userAgent: string): { w: number; h: number } {
  if (/iPad|SM-X/.test(userAgent)) return { w: 820, h: 1180 };
  if (/Mobile|iPhone/.test(userAgent)) return { w: 390, h: 844 };
  return { w: 1920, h: 1080 };
}

function requestIdOf(prng: Prng): string {
  const hex = () => prng.int(0, 0xffff).toString(16).padStart(4, '0');
  return `${hex()}${hex()}-${hex()}-${hex()}-${hex()}-${hex()}${hex()}${hex()}`;
}

function edgeRecord(
  options: WorkloadOptions,
  visitor: { userAgent: string; sourceIp: string; country: string },
  event: TrackerEvent,
  receivedAt: number,
  requestId: string,
): EdgeRecord {
  return { v: 1, siteId: options.siteId, receivedAt, requestId, ...visitor, event };
}

function arrival(
  record: EdgeRecord,
  visitor: { userAgent: string; sourceIp: string; country: string },
  order: number,
): Arrival {
  return {
    record,
    order,
    request: {
      body: { siteId: record.siteId, events: [record.event] },
      ...visitor,
      at: record.receivedAt,
    },
  };
}

function toKinesisRecord(
  options: WorkloadOptions,
  record: EdgeRecord,
  position: number,
): KinesisStreamRecord {
  // 56 digits like real sequence numbers, increasing with the position in the shard.
  const sequenceNumber = `4964${String(position).padStart(52, '0')}`;
  return {
    awsRegion: 'us-east-1',
    eventID: `${options.shardId}:${sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    eventSource: 'aws:kinesis',
    eventSourceARN: options.streamArn,
    eventVersion: '1.0',
    invokeIdentityArn: 'arn:aws:iam::000000000000:role/liveinsight-consumer',
    kinesis: {
      // Lambda's unit: epoch seconds with a fraction; Kinesis receives ~15 ms after the edge.
      approximateArrivalTimestamp: (record.receivedAt + 15) / 1000,
      data: Buffer.from(JSON.stringify(record)).toString('base64'),
      kinesisSchemaVersion: '1.0',
      partitionKey: record.event.sessionId,
      sequenceNumber,
    },
  };
}
