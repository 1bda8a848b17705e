/**
 * Item shapes of the DynamoDB tables (keys in infra/resources.ts). Readers parse items with
 * these schemas at the trust boundary; writers build them with the pure pipeline.
 */
import { Type, type Static } from '@sinclair/typebox';
import { BadRowSchema } from './bad-row';
import { DEVICE_TYPES, EnrichedEventSchema, MEDIUMS } from './enriched-event';

const Ttl = Type.Integer({ minimum: 0, description: 'epoch seconds (DynamoDB TTL attribute)' });

/** Events: pk `${siteId}#${sessionId}`, sk eventId — deterministic, so a redelivery overwrites itself. */
export const EventItemSchema = Type.Composite([
  EnrichedEventSchema,
  Type.Object({ pk: Type.String(), sk: Type.String(), expiresAt: Ttl }),
]);

/**
 * Which `seq` numbers of a session have been applied: every seq below `below`, plus the listed
 * `above` ones (out-of-order arrivals past a gap). This is the session's exactly-once guard.
 */
export const AppliedSeqsSchema = Type.Object(
  {
    below: Type.Integer({ minimum: 0 }),
    above: Type.Array(Type.Integer({ minimum: 0 })),
  },
  { additionalProperties: false },
);

const DeviceType = Type.Union(DEVICE_TYPES.map((d) => Type.Literal(d)));
const Medium = Type.Union(MEDIUMS.map((m) => Type.Literal(m)));

/** Page views per minute, keyed by the epoch minute as digits. */
const PageviewMinutes = Type.Record(
  Type.String({ pattern: '^[0-9]+$' }),
  Type.Integer({ minimum: 1 }),
);

/**
 * Counts (or maxima) per name — a custom event name, a link URL, a page path — of one session:
 * names cut to 160 UTF-8 bytes, at most 8 names of their own plus `(other)`
 * (pipeline/capped-names.ts). Absent when empty, and on items written before they existed.
 */
const NameCounts = (description: string) =>
  Type.Optional(Type.Record(Type.String(), Type.Integer({ minimum: 0 }), { description }));

/** What a session did beyond page views, per name: `/realtime`'s custom events, links, engagement. */
const namedActivity = {
  eventNames: NameCounts('custom events per event name'),
  outboundLinks: NameCounts('`Outbound Link: Click` events per props.url'),
  pageEngagedMs: NameCounts('engaged time (ms) per page path: the sum of engagedMs'),
  pageScrollDepth: NameCounts('deepest scrollDepth (%) reported per page path'),
};

/** A page reached at a given `seq` (entry = lowest pageview seq, exit = highest). */
const PageAtSeq = Type.Object(
  { path: Type.String(), seq: Type.Integer({ minimum: 0 }) },
  { additionalProperties: false },
);

/**
 * The folded state of one session: the result of applying each distinct event once, in any
 * order (the fold is commutative; see pipeline/session-aggregate).
 */
export const SessionStateSchema = Type.Object(
  {
    siteId: Type.String(),
    sessionId: Type.String(),
    /** Visitor id of the session's lowest-seq event: a session keeps it across the midnight salt change. */
    visitorId: Type.String(),
    visitorSeq: Type.Integer({ minimum: 0 }),
    /** Edge clock (ms) of the first and last event. */
    startedAt: Type.Integer(),
    lastSeen: Type.Integer(),
    /** Edge clock (ms) of the last page view or custom event; 0 when none (engagement alone). */
    lastInteractionAt: Type.Integer({ minimum: 0 }),
    pageviews: Type.Integer({ minimum: 0 }),
    events: Type.Integer({ minimum: 0 }),
    engagementEvents: Type.Integer({ minimum: 0 }),
    customEvents: Type.Integer({ minimum: 0 }),
    botEvents: Type.Integer({ minimum: 0 }),
    engagedMs: Type.Integer({ minimum: 0 }),
    entry: Type.Optional(PageAtSeq),
    exit: Type.Optional(PageAtSeq),
    /** Attribution of the lowest-seq event. */
    source: Type.String(),
    medium: Medium,
    referrerHost: Type.Optional(Type.String()),
    campaign: Type.Optional(Type.String()),
    deviceType: DeviceType,
    browser: Type.String(),
    os: Type.String(),
    country: Type.String(),
    isBot: Type.Boolean(),
    /** Page views per minute (key: epoch minute) within the last 30 minutes of activity. */
    pageviewMinutes: PageviewMinutes,
    ...namedActivity,
    applied: AppliedSeqsSchema,
  },
  { additionalProperties: false },
);

/** Sessions: pk `${siteId}#${sessionId}`; `version` guards optimistic writes; streamed to the processor. */
export const SessionItemSchema = Type.Composite([
  SessionStateSchema,
  Type.Object({
    pk: Type.String(),
    /** `${siteId}#${yyyy-mm-dd}` of startedAt: the `bySiteDay` index lists a site's sessions per day. */
    siteDay: Type.String(),
    version: Type.Integer({ minimum: 1 }),
    expiresAt: Ttl,
  }),
]);

/**
 * ActiveSessions: pk `${siteId}#${shard}`, sk sessionId — read with one Query per shard.
 * `expiresAt` = last activity + 30 min; readers filter on it because TTL deletes lag.
 */
export const ActiveSessionItemSchema = Type.Object(
  {
    pk: Type.String(),
    sk: Type.String(),
    siteId: Type.String(),
    sessionId: Type.String(),
    visitorId: Type.String(),
    startedAt: Type.Integer(),
    lastSeen: Type.Integer(),
    lastInteractionAt: Type.Integer({ minimum: 0 }),
    pageviews: Type.Integer({ minimum: 0 }),
    events: Type.Integer({ minimum: 0 }),
    /** With `pageviews`, what the bounce definition needs when the session expires. */
    customEvents: Type.Integer({ minimum: 0 }),
    engagedMs: Type.Integer({ minimum: 0 }),
    entryPage: Type.String(),
    currentPage: Type.String(),
    source: Type.String(),
    medium: Medium,
    deviceType: DeviceType,
    browser: Type.String(),
    os: Type.String(),
    country: Type.String(),
    isBot: Type.Boolean(),
    pageviewMinutes: PageviewMinutes,
    ...namedActivity,
    expiresAt: Ttl,
  },
  { additionalProperties: false },
);

/** BadRows: pk `${yyyy-mm-dd}#${bucket}` of arrival, sk `${origin kind}#${position}` — deterministic. */
export const BadRowItemSchema = Type.Composite([
  BadRowSchema,
  Type.Object({
    pk: Type.String(),
    sk: Type.String(),
    expiresAt: Ttl,
    /**
     * Set when the payload was too large to keep in the item (DynamoDB items hold 400 KB, a
     * Kinesis record up to 1 MB): the object holds `payloadBase64` byte for byte, and the item's
     * `payloadBase64` is then empty. The key derives from pk/sk, so a redelivery rewrites it.
     */
    payloadObject: Type.Optional(
      Type.Object({ bucket: Type.String(), key: Type.String() }, { additionalProperties: false }),
    ),
  }),
]);

export type EventItem = Static<typeof EventItemSchema>;
export type AppliedSeqs = Static<typeof AppliedSeqsSchema>;
export type SessionState = Static<typeof SessionStateSchema>;
export type SessionItem = Static<typeof SessionItemSchema>;
export type ActiveSessionItem = Static<typeof ActiveSessionItemSchema>;
export type BadRowItem = Static<typeof BadRowItemSchema>;
