/**
 * Table items built from pipeline values (shapes and keys in schemas/items.ts). Every key is a
 * pure function of the data, never of the clock or of arrival order, so a redelivered batch
 * overwrites exactly the items it wrote before.
 */
import {
  RETENTION,
  WINDOWS,
  type ActiveSessionItem,
  type BadRow,
  type BadRowItem,
  type EnrichedEvent,
  type EventItem,
  type SessionItem,
  type SessionState,
} from '../schemas';
import {
  MAX_ACTIVE_SESSION_SHARDS,
  activeSessionShardsOf,
  type ShardPlan,
} from '../schemas/shard-plan';
import { originPosition } from './bad-rows';
import { PipelineArgumentError } from './errors';
import { siteDayKey } from './site-day-index';
import { fnv1a32 } from './stable-hash';
import { utcDay } from './utc-day';

const DAY_SECONDS = 86_400;
const ACTIVE_SESSION_SECONDS = WINDOWS.activeSessionMs / 1000;

/** Bad rows of one day spread over this many partitions (a bad-data storm must not make one hot). */
export const BAD_ROW_BUCKETS = 8;

export { MAX_ACTIVE_SESSION_SHARDS };

/** pk of Events and Sessions: a session's raw events sit in one partition, sorted by eventId. */
export function sessionKey(siteId: string, sessionId: string): string {
  return `${siteId}#${sessionId}`;
}

/** The ActiveSessions shard of a session: stable across processes, so upserts hit one item. */
export function activeSessionShard(sessionId: string, shardCount: number): number {
  assertShardCount(shardCount);
  return fnv1a32(sessionId) % shardCount;
}

/** TTL of a raw event: 90 days (RETENTION.eventsDays) after the edge received it. */
export function eventExpiresAt(receivedAt: number): number {
  return epochSeconds(receivedAt) + RETENTION.eventsDays * DAY_SECONDS;
}

/**
 * Every field of the schema is present, absent optional ones as undefined: all items then share
 * one hidden class, which keeps every later step monomorphic (the enricher builds its items the
 * same way). Undefined is no value in DynamoDB or JSON: the consumer marshals with
 * `removeUndefinedValues`, JSON.stringify drops them, the validator ignores them.
 */
export function toEventItem(event: EnrichedEvent): EventItem {
  return {
    pk: sessionKey(event.siteId, event.sessionId),
    sk: event.eventId,
    expiresAt: eventExpiresAt(event.receivedAt),
    eventId: event.eventId,
    siteId: event.siteId,
    sessionId: event.sessionId,
    seq: event.seq,
    type: event.type,
    ts: event.ts,
    receivedAt: event.receivedAt,
    requestId: event.requestId,
    url: event.url,
    host: event.host,
    path: event.path,
    referrer: event.referrer,
    title: event.title,
    name: event.name,
    props: event.props,
    engagedMs: event.engagedMs,
    scrollDepth: event.scrollDepth,
    screen: event.screen,
    lang: event.lang,
    visitorId: event.visitorId,
    source: event.source,
    device: event.device,
    isBot: event.isBot,
    botReason: event.botReason,
    country: event.country,
  };
}

/** `version`: the version this write creates (1 for a new session, stored + 1 otherwise). */
export function toSessionItem(state: SessionState, version: number): SessionItem {
  if (!Number.isSafeInteger(version) || version < 1) {
    throw new PipelineArgumentError('toSessionItem version', version, 'an integer >= 1');
  }
  return {
    ...state,
    pk: sessionKey(state.siteId, state.sessionId),
    siteDay: siteDayKey(state.siteId, state.startedAt, state.sessionId),
    version,
    expiresAt: epochSeconds(state.lastSeen) + RETENTION.sessionsDays * DAY_SECONDS,
  };
}

/** The session state of a stored item (the item minus its keys, version and TTL). */
export function sessionStateOf(item: SessionItem): SessionState {
  const { pk: _pk, siteDay: _siteDay, version: _version, expiresAt: _expiresAt, ...state } = item;
  return state;
}

/**
 * The realtime projection of a session: what `/realtime` and `/sessions/active` read. `shards`:
 * the stage's shard plan (the site's own count), or one count for every site.
 */
export function toActiveSessionItem(
  state: SessionState,
  shards: ShardPlan | number,
): ActiveSessionItem {
  const shardCount = activeSessionShardsOf(shards, state.siteId);
  return {
    pk: `${state.siteId}#${activeSessionShard(state.sessionId, shardCount)}`,
    sk: state.sessionId,
    siteId: state.siteId,
    sessionId: state.sessionId,
    visitorId: state.visitorId,
    startedAt: state.startedAt,
    lastSeen: state.lastSeen,
    lastInteractionAt: state.lastInteractionAt,
    pageviews: state.pageviews,
    events: state.events,
    customEvents: state.customEvents,
    engagedMs: state.engagedMs,
    entryPage: state.entry?.path ?? '',
    currentPage: state.exit?.path ?? '',
    source: state.source,
    medium: state.medium,
    deviceType: state.deviceType,
    browser: state.browser,
    os: state.os,
    country: state.country,
    isBot: state.isBot,
    pageviewMinutes: { ...state.pageviewMinutes },
    // Bounded per session (pipeline/capped-names.ts); the rollup's custom-event, link and
    // per-page engagement breakdowns come from them.
    eventNames: state.eventNames,
    outboundLinks: state.outboundLinks,
    pageEngagedMs: state.pageEngagedMs,
    pageScrollDepth: state.pageScrollDepth,
    // Last activity + 30 min: the TTL deletes it eventually; readers filter on it meanwhile.
    expiresAt: epochSeconds(state.lastSeen) + ACTIVE_SESSION_SECONDS,
  };
}

/**
 * pk `${yyyy-mm-dd of arrival}#${bucket}`, sk `${kind}#${shardId or eventId}#${sequenceNumber}`:
 * the record's position in its stream, so one record has one bad-row item however often it is
 * delivered, and a day's bad rows are listed with BAD_ROW_BUCKETS queries.
 */
export function toBadRowItem(badRow: BadRow): BadRowItem {
  const origin = badRow.origin;
  const { shardId, sequenceNumber } = originPosition(origin);
  const position = `${shardId}#${sequenceNumber}`;
  return {
    ...badRow,
    pk: `${utcDay(origin.arrivedAt)}#${fnv1a32(position) % BAD_ROW_BUCKETS}`,
    sk: `${origin.kind}#${position}`,
    expiresAt: epochSeconds(origin.arrivedAt) + RETENTION.badRowsDays * DAY_SECONDS,
  };
}

function epochSeconds(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function assertShardCount(shardCount: number): void {
  if (!Number.isInteger(shardCount) || shardCount < 1 || shardCount > MAX_ACTIVE_SESSION_SHARDS) {
    throw new PipelineArgumentError(
      'shardCount',
      shardCount,
      `an integer from 1 to ${MAX_ACTIVE_SESSION_SHARDS}`,
    );
  }
}
