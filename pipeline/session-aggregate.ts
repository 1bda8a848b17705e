/**
 * The session aggregate: a commutative monoid over sets of distinct events. This is the core of
 * the consumer's exactly-once scheme.
 *
 * Carrier: `SessionState | undefined` (undefined = no events, the identity). `sessionFromEvent`
 * lifts one event; `combineSessions` is the operation. Every field is combined with an
 * operation that is itself associative and commutative, so the state of a set of events does
 * not depend on how it was split into batches nor on the order the parts arrive in:
 *
 * - counts (pageviews, events, engagementEvents, customEvents, botEvents, engagedMs): `+`;
 * - startedAt: `min`; lastSeen, lastInteractionAt: `max` (receivedAt — the edge clock — not the
 *   client's `ts`, because clients' clocks drift; lastInteractionAt is 0 without pageview/custom);
 * - entry / exit: the pageview with the lowest / highest `seq` (ties by path: a total order);
 * - attribution (visitorId + visitorSeq, source, medium, referrerHost, campaign, device,
 *   country): taken whole from the lowest-`seq` event, ties broken by comparing the fields — a
 *   `min` under a total order. The visitor id therefore survives the midnight salt change;
 * - isBot: `or`;
 * - eventNames (custom events per name), outboundLinks (`Outbound Link: Click` per props.url),
 *   pageEngagedMs (engaged time per page: `+`) and pageScrollDepth (deepest scroll per page:
 *   `max`): per-name maps combined per name, then capped (capped-names.ts: the smallest
 *   SESSION_NAMES_PER_MAP names keep their own key, the rest fold into `(other)`), which commutes
 *   with combining as the pruning of pageviewMinutes does;
 * - pageviewMinutes: per-minute counts added, then minutes older than 30 min
 *   (WINDOWS.activeSessionMs) before the combined lastSeen are dropped. Pruning below a
 *   threshold that only grows commutes with adding counts, so prune(a + prune(b + c)) =
 *   prune(a + b + c): still associative, and the map stays bounded;
 * - applied: set union of `seq`s in canonical form (see applied-seqs).
 *
 * Precondition: the operands are states of disjoint sets of events of one session — otherwise
 * counts would add twice. `combineSessions` checks it through `applied` (|a| + |b| = |a ∪ b|)
 * and throws; `applyEvents` is how callers meet it: it drops events whose `seq` is already in
 * the stored state, so re-applying the same events is a no-op and late, out-of-order events
 * count exactly once. Identity of an event here is its `seq` (the tracker's per-session counter;
 * a reused seq within a batch becomes a `duplicate_seq` bad row upstream).
 */
import { WINDOWS, type EnrichedEvent, type SessionState } from '../schemas';
import { appliedFromSorted, appliedSize, unionApplied } from './applied-seqs';
import { OverlappingSessionsError, PipelineArgumentError, SessionMismatchError } from './errors';
import { EVENT_TRAITS } from './event-traits';
import { TRACKER_EVENT_NAMES } from '../schemas/tracker-events';
import {
  addName,
  capNames,
  emptyNames,
  max,
  mergeNames,
  sum,
  type NameCounts,
} from './capped-names';

const MINUTE_MS = 60_000;

type PageAtSeq = NonNullable<SessionState['entry']>;
type PageviewMinutes = SessionState['pageviewMinutes'];

export function epochMinute(epochMs: number): number {
  return Math.floor(epochMs / MINUTE_MS);
}

/** The oldest epoch minute a state whose last activity is `lastSeen` keeps in pageviewMinutes. */
export function oldestKeptMinute(lastSeen: number): number {
  return epochMinute(lastSeen - WINDOWS.activeSessionMs);
}

/** The state of a session that has seen exactly one event. */
export function sessionFromEvent(event: EnrichedEvent): SessionState {
  const traits = EVENT_TRAITS[event.type];
  const at = event.receivedAt;
  const state: SessionState = {
    siteId: event.siteId,
    sessionId: event.sessionId,
    visitorId: event.visitorId,
    visitorSeq: event.seq,
    startedAt: at,
    lastSeen: at,
    lastInteractionAt: traits.interaction ? at : 0,
    pageviews: traits.pageview ? 1 : 0,
    events: 1,
    engagementEvents: traits.engagement ? 1 : 0,
    customEvents: traits.custom ? 1 : 0,
    botEvents: event.isBot ? 1 : 0,
    engagedMs: traits.engagement ? (event.engagedMs ?? 0) : 0,
    source: event.source.source,
    medium: event.source.medium,
    deviceType: event.device.type,
    browser: event.device.browser,
    os: event.device.os,
    country: event.country,
    isBot: event.isBot,
    pageviewMinutes: traits.pageview ? { [epochMinute(at)]: 1 } : {},
    applied: appliedFromSorted([event.seq]),
  };
  if (traits.pageview) {
    state.entry = { path: event.path, seq: event.seq };
    state.exit = { path: event.path, seq: event.seq };
  }
  if (event.source.referrerHost !== undefined) state.referrerHost = event.source.referrerHost;
  if (event.source.campaign !== undefined) state.campaign = event.source.campaign;
  const named: NamedMaps = {};
  addNamed(named, event);
  setNamed(state, named);
  return state;
}

/** The state of the union of two disjoint event sets of one session. Associative, commutative. */
export function combineSessions(a: SessionState, b: SessionState): SessionState {
  if (a.siteId !== b.siteId || a.sessionId !== b.sessionId) throw new SessionMismatchError(a, b);
  const applied = unionApplied(a.applied, b.applied);
  const overlap = appliedSize(a.applied) + appliedSize(b.applied) - appliedSize(applied);
  if (overlap !== 0) throw new OverlappingSessionsError(a.siteId, a.sessionId, overlap);

  const first = compareAttribution(a, b) <= 0 ? a : b;
  const lastSeen = Math.max(a.lastSeen, b.lastSeen);
  const combined: SessionState = {
    siteId: a.siteId,
    sessionId: a.sessionId,
    visitorId: first.visitorId,
    visitorSeq: first.visitorSeq,
    startedAt: Math.min(a.startedAt, b.startedAt),
    lastSeen,
    lastInteractionAt: Math.max(a.lastInteractionAt, b.lastInteractionAt),
    pageviews: a.pageviews + b.pageviews,
    events: a.events + b.events,
    engagementEvents: a.engagementEvents + b.engagementEvents,
    customEvents: a.customEvents + b.customEvents,
    botEvents: a.botEvents + b.botEvents,
    engagedMs: a.engagedMs + b.engagedMs,
    source: first.source,
    medium: first.medium,
    deviceType: first.deviceType,
    browser: first.browser,
    os: first.os,
    country: first.country,
    isBot: a.isBot || b.isBot,
    pageviewMinutes: mergeMinutes(a.pageviewMinutes, b.pageviewMinutes, lastSeen),
    applied,
  };
  const entry = pickPage(a.entry, b.entry, -1);
  const exit = pickPage(a.exit, b.exit, 1);
  if (entry !== undefined) combined.entry = { path: entry.path, seq: entry.seq };
  if (exit !== undefined) combined.exit = { path: exit.path, seq: exit.seq };
  if (first.referrerHost !== undefined) combined.referrerHost = first.referrerHost;
  if (first.campaign !== undefined) combined.campaign = first.campaign;
  setNamed(combined, {
    eventNames: mergeNames(a.eventNames, b.eventNames, sum),
    outboundLinks: mergeNames(a.outboundLinks, b.outboundLinks, sum),
    pageEngagedMs: mergeNames(a.pageEngagedMs, b.pageEngagedMs, sum),
    pageScrollDepth: mergeNames(a.pageScrollDepth, b.pageScrollDepth, max),
  });
  return combined;
}

/**
 * The fold of a list of events of one session with distinct `seq`s: equal to combining their
 * `sessionFromEvent`s (property-tested), but in one pass with one state object, because it runs
 * for every event of every batch. Throws on an empty list, mixed sessions or a repeated seq.
 */
export function foldEvents(events: readonly EnrichedEvent[]): SessionState {
  const first = events[0];
  if (first === undefined) {
    throw new PipelineArgumentError('foldEvents(events)', 'an empty list', 'at least one event');
  }
  let attribution = first;
  let entry: EnrichedEvent | undefined;
  let exit: EnrichedEvent | undefined;
  let startedAt = first.receivedAt;
  let lastSeen = first.receivedAt;
  let lastInteractionAt = 0;
  let pageviews = 0;
  let engagementEvents = 0;
  let customEvents = 0;
  let botEvents = 0;
  let engagedMs = 0;
  let sorted = true;
  const seqs: number[] = [];
  // A session's page views fall in few minutes, mostly ascending: two small arrays beat a Map.
  const minuteKeys: number[] = [];
  const minuteCounts: number[] = [];
  const named: NamedMaps = {};

  for (const event of events) {
    if (event.siteId !== first.siteId || event.sessionId !== first.sessionId) {
      throw new SessionMismatchError(first, event);
    }
    const traits = EVENT_TRAITS[event.type];
    const at = event.receivedAt;
    if (at < startedAt) startedAt = at;
    if (at > lastSeen) lastSeen = at;
    if (event.seq < attribution.seq) attribution = event;
    if (event.isBot) botEvents += 1;
    if (traits.interaction && at > lastInteractionAt) lastInteractionAt = at;
    if (traits.pageview) {
      pageviews += 1;
      if (entry === undefined || event.seq < entry.seq) entry = event;
      if (exit === undefined || event.seq > exit.seq) exit = event;
      const minute = epochMinute(at);
      const slot = minuteKeys.lastIndexOf(minute);
      if (slot === -1) {
        minuteKeys.push(minute);
        minuteCounts.push(1);
      } else {
        minuteCounts[slot] = (minuteCounts[slot] as number) + 1;
      }
    }
    if (traits.engagement) {
      engagementEvents += 1;
      engagedMs += event.engagedMs ?? 0;
    }
    if (traits.custom) customEvents += 1;
    if (!traits.pageview) addNamed(named, event);
    const previous = seqs[seqs.length - 1];
    if (previous !== undefined && event.seq <= previous) sorted = false;
    seqs.push(event.seq);
  }

  if (!sorted) seqs.sort((x, y) => x - y);
  for (let i = 1; i < seqs.length; i += 1) {
    if (seqs[i] === seqs[i - 1]) {
      throw new OverlappingSessionsError(first.siteId, first.sessionId, 1);
    }
  }

  const pageviewMinutes: PageviewMinutes = {};
  const oldest = oldestKeptMinute(lastSeen);
  for (let i = 0; i < minuteKeys.length; i += 1) {
    const minute = minuteKeys[i] as number;
    if (minute >= oldest) pageviewMinutes[minute] = minuteCounts[i] as number;
  }

  const state: SessionState = {
    siteId: first.siteId,
    sessionId: first.sessionId,
    visitorId: attribution.visitorId,
    visitorSeq: attribution.seq,
    startedAt,
    lastSeen,
    lastInteractionAt,
    pageviews,
    events: events.length,
    engagementEvents,
    customEvents,
    botEvents,
    engagedMs,
    source: attribution.source.source,
    medium: attribution.source.medium,
    deviceType: attribution.device.type,
    browser: attribution.device.browser,
    os: attribution.device.os,
    country: attribution.country,
    isBot: botEvents > 0,
    pageviewMinutes,
    applied: appliedFromSorted(seqs),
  };
  if (entry !== undefined) state.entry = { path: entry.path, seq: entry.seq };
  if (exit !== undefined) state.exit = { path: exit.path, seq: exit.seq };
  if (attribution.source.referrerHost !== undefined) {
    state.referrerHost = attribution.source.referrerHost;
  }
  if (attribution.source.campaign !== undefined) state.campaign = attribution.source.campaign;
  setNamed(state, named);
  return state;
}

/** A session's per-name maps while they are built (uncapped). */
interface NamedMaps {
  eventNames?: NameCounts | undefined;
  outboundLinks?: NameCounts | undefined;
  pageEngagedMs?: NameCounts | undefined;
  pageScrollDepth?: NameCounts | undefined;
}

/** What one event adds to the per-name maps: custom events by name and link, engagement by page. */
function addNamed(named: NamedMaps, event: EnrichedEvent): void {
  if (event.type === 'custom' && event.name !== undefined) {
    addName((named.eventNames ??= emptyNames()), event.name, 1, sum);
    const url = event.props?.['url'];
    if (event.name === TRACKER_EVENT_NAMES.outbound && typeof url === 'string' && url !== '') {
      addName((named.outboundLinks ??= emptyNames()), url, 1, sum);
    }
  } else if (event.type === 'engagement') {
    addName((named.pageEngagedMs ??= emptyNames()), event.path, event.engagedMs ?? 0, sum);
    if (event.scrollDepth !== undefined) {
      addName((named.pageScrollDepth ??= emptyNames()), event.path, event.scrollDepth, max);
    }
  }
}

/** The capped maps onto the state; absent when empty (no attribute stored). */
function setNamed(state: SessionState, named: NamedMaps): void {
  const eventNames = named.eventNames && capNames(named.eventNames, sum);
  const outboundLinks = named.outboundLinks && capNames(named.outboundLinks, sum);
  const pageEngagedMs = named.pageEngagedMs && capNames(named.pageEngagedMs, sum);
  const pageScrollDepth = named.pageScrollDepth && capNames(named.pageScrollDepth, max);
  if (eventNames !== undefined) state.eventNames = eventNames;
  if (outboundLinks !== undefined) state.outboundLinks = outboundLinks;
  if (pageEngagedMs !== undefined) state.pageEngagedMs = pageEngagedMs;
  if (pageScrollDepth !== undefined) state.pageScrollDepth = pageScrollDepth;
}

function mergeMinutes(a: PageviewMinutes, b: PageviewMinutes, lastSeen: number): PageviewMinutes {
  const oldest = oldestKeptMinute(lastSeen);
  const merged: PageviewMinutes = {};
  for (const source of [a, b]) {
    for (const key in source) {
      const count = source[key] as number;
      if (Number(key) >= oldest) merged[key] = (merged[key] ?? 0) + count;
    }
  }
  return merged;
}

/** The lower (`direction` -1) or higher (+1) page by (seq, path); undefined loses. */
function pickPage(
  a: PageAtSeq | undefined,
  b: PageAtSeq | undefined,
  direction: -1 | 1,
): PageAtSeq | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  const order = a.seq - b.seq || compareText(a.path, b.path);
  return order * direction >= 0 ? a : b;
}

/** Total order on the attribution block: lowest visitorSeq first, then field by field. */
function compareAttribution(a: SessionState, b: SessionState): number {
  return (
    a.visitorSeq - b.visitorSeq ||
    compareText(a.visitorId, b.visitorId) ||
    compareText(a.source, b.source) ||
    compareText(a.medium, b.medium) ||
    compareOptional(a.referrerHost, b.referrerHost) ||
    compareOptional(a.campaign, b.campaign) ||
    compareText(a.deviceType, b.deviceType) ||
    compareText(a.browser, b.browser) ||
    compareText(a.os, b.os) ||
    compareText(a.country, b.country)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareOptional(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  return compareText(a, b);
}
