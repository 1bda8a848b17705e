/**
 * An event after enrichment: what the Events table stores (plus its keys) and what the session
 * fold consumes. Derived from the edge record; the raw IP and user agent are gone by now.
 */
import { Type, type Static } from '@sinclair/typebox';

export const DEVICE_TYPES = ['desktop', 'mobile', 'tablet', 'other'] as const;
export const MEDIUMS = [
  'direct',
  'internal',
  'search',
  'social',
  'referral',
  'email',
  'paid',
  'campaign',
] as const;

/** GA4's default channel groups, in the order its rules run (pipeline/channel-group.ts). */
export const CHANNELS = [
  'Direct',
  'Cross-network',
  'Paid Shopping',
  'Paid Search',
  'Paid Social',
  'Paid Video',
  'Display',
  'Paid Other',
  'Organic Shopping',
  'Organic Social',
  'Organic Video',
  'Organic Search',
  'Referral',
  'Email',
  'Affiliates',
  'Audio',
  'SMS',
  'Mobile Push Notifications',
  'Unassigned',
] as const;

export const TrafficSourceSchema = Type.Object(
  {
    /** e.g. `google`, `twitter`, a referrer host, `utm_source`, or `direct`. */
    source: Type.String(),
    medium: Type.Union(MEDIUMS.map((m) => Type.Literal(m))),
    referrerHost: Type.Optional(Type.String()),
    campaign: Type.Optional(Type.String()),
    term: Type.Optional(Type.String()),
    content: Type.Optional(Type.String()),
    /** GA4's default channel group of the visit (absent on events stored before it existed). */
    channel: Type.Optional(Type.Union(CHANNELS.map((c) => Type.Literal(c)))),
  },
  { additionalProperties: false },
);

/**
 * Why an event was flagged as a bot's: the tracker's own signal that the browser is driven by
 * automation (`automation`: the event's `automation: true`, from `navigator.webdriver`), its user
 * agent (empty, on isbot's list, or naming an automation tool) or its network
 * (`network:<provider>`, a published cloud, hosting, crawler or uptime-checker range, e.g.
 * `network:aws`).
 */
export const BotReasonSchema = Type.Union([
  Type.Literal('automation'),
  Type.Literal('empty-user-agent'),
  Type.Literal('bot-user-agent'),
  Type.Literal('automation-user-agent'),
  Type.TemplateLiteral('network:${string}'),
]);

export const DeviceSchema = Type.Object(
  {
    type: Type.Union(DEVICE_TYPES.map((d) => Type.Literal(d))),
    browser: Type.String(),
    browserVersion: Type.Optional(Type.String()),
    os: Type.String(),
    osVersion: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const PropValue = Type.Union([Type.String(), Type.Number(), Type.Boolean()]);

export const EnrichedEventSchema = Type.Object(
  {
    eventId: Type.String(),
    siteId: Type.String(),
    sessionId: Type.String(),
    seq: Type.Integer({ minimum: 0 }),
    type: Type.Union([
      Type.Literal('pageview'),
      Type.Literal('engagement'),
      Type.Literal('custom'),
    ]),
    /** Client clock (ms). */
    ts: Type.Integer(),
    /** Edge clock (ms): used for activity windows because clients' clocks drift. */
    receivedAt: Type.Integer(),
    requestId: Type.String(),
    url: Type.String(),
    host: Type.String(),
    /** Normalised path: no query or fragment, no duplicate or trailing slashes. */
    path: Type.String(),
    referrer: Type.Optional(Type.String()),
    title: Type.Optional(Type.String()),
    name: Type.Optional(Type.String()),
    props: Type.Optional(Type.Record(Type.String(), PropValue)),
    engagedMs: Type.Optional(Type.Integer({ minimum: 0 })),
    /** Engagement: the largest share (%) of the page seen so far on this page view. */
    scrollDepth: Type.Optional(Type.Integer({ minimum: 0, maximum: 100 })),
    screen: Type.Optional(Type.Object({ w: Type.Integer(), h: Type.Integer() })),
    lang: Type.Optional(Type.String()),
    /** Cookieless visitor id: hash(daily salt, site, IP, user agent). */
    visitorId: Type.String(),
    source: TrafficSourceSchema,
    device: DeviceSchema,
    isBot: Type.Boolean(),
    /** Why isBot is true (absent for people, and on events stored before it existed). */
    botReason: Type.Optional(BotReasonSchema),
    /** ISO 3166-1 alpha-2, or `unknown`. */
    country: Type.String(),
  },
  { additionalProperties: false },
);

export type TrafficSource = Static<typeof TrafficSourceSchema>;
export type Medium = TrafficSource['medium'];
export type Channel = (typeof CHANNELS)[number];
export type BotReason = Static<typeof BotReasonSchema>;
export type Device = Static<typeof DeviceSchema>;
export type DeviceType = Device['type'];
export type EnrichedEvent = Static<typeof EnrichedEventSchema>;
