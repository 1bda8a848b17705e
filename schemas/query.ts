/**
 * The query contract (DESIGN.md section 3a): what `GET /realtime`, `GET /sessions/active` and
 * `GET /health` answer, and the projections of ActiveSessions items those answers are computed
 * from. The OpenAPI document (schemas/openapi.ts → openapi.json) is generated from these.
 */
import { Type, type Static } from '@sinclair/typebox';
import { SiteIdSchema } from './ingest';
import { ActiveSessionItemSchema } from './items';

/** Minutes of the two realtime windows (DESIGN.md section 3). */
export const REALTIME_WINDOWS = {
  activeSessionsMinutes: 30,
  currentVisitorsMinutes: 5,
} as const;

/** Rows of each breakdown (top pages, referrers, devices, countries). */
export const BREAKDOWN_ROWS = 10;

/** A read token's lifetime unless rotated sooner: also the ReadTokens table's retention. */
export const READ_TOKEN_LIFETIME_SECONDS = 365 * 24 * 60 * 60;

/** Paging bounds of `GET /sessions/active`. */
export const SESSIONS_PAGE = { defaultLimit: 50, maxLimit: 200 } as const;

/**
 * What `/realtime` reads of an ActiveSessions item. The query handler projects exactly these
 * attributes (ProjectionExpression is derived from this list) and parses items with the schema.
 */
export const REALTIME_VIEW_ATTRIBUTES = [
  'visitorId',
  'lastInteractionAt',
  'currentPage',
  'source',
  'deviceType',
  'country',
  'browser',
  'os',
  'isBot',
  'pageviewMinutes',
  'eventNames',
  'outboundLinks',
  'pageEngagedMs',
  'pageScrollDepth',
  'expiresAt',
] as const;

export const RealtimeSessionViewSchema = Type.Pick(
  ActiveSessionItemSchema,
  REALTIME_VIEW_ATTRIBUTES,
  { additionalProperties: false },
);

/** What `/sessions/active` reads of an ActiveSessions item. */
export const ACTIVE_SESSION_VIEW_ATTRIBUTES = [
  'sessionId',
  'visitorId',
  'startedAt',
  'lastSeen',
  'pageviews',
  'events',
  'entryPage',
  'currentPage',
  'source',
  'deviceType',
  'country',
  'isBot',
  'expiresAt',
] as const;

export const ActiveSessionViewSchema = Type.Pick(
  ActiveSessionItemSchema,
  ACTIVE_SESSION_VIEW_ATTRIBUTES,
  { additionalProperties: false },
);

const Count = Type.Integer({ minimum: 0 });
const EpochMs = Type.Integer({ minimum: 0, description: 'epoch milliseconds (server clock)' });

export const BreakdownRowSchema = Type.Object(
  {
    name: Type.String({ description: 'page path, traffic source, device type or country code' }),
    sessions: Type.Integer({ minimum: 1, description: 'active human sessions' }),
  },
  { additionalProperties: false },
);

const Breakdown = (description: string) =>
  Type.Array(BreakdownRowSchema, { maxItems: BREAKDOWN_ROWS, description });

/** A custom event name or an outbound link: the active sessions that sent it, and how often. */
const ActivityRowSchema = Type.Object(
  {
    name: Type.String({ description: 'custom event name, or outbound link URL' }),
    sessions: Type.Integer({ minimum: 1, description: 'active human sessions that sent it' }),
    events: Type.Integer({ minimum: 0, description: 'how many they sent (events, or clicks)' }),
  },
  { additionalProperties: false },
);

/** Engagement on one page: sessions that reported it, their average engaged time and scroll. */
const PageEngagementRowSchema = Type.Object(
  {
    name: Type.String({ description: 'page path' }),
    sessions: Type.Integer({
      minimum: 1,
      description: 'active human sessions with an engagement event on this page',
    }),
    engagedMs: Type.Integer({
      minimum: 0,
      description: 'average engaged time (page visible and focused) per such session, ms',
    }),
    scrollDepth: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        description:
          'average of the deepest scroll (% of the page) each session reported here; absent when none did',
      }),
    ),
    scrolledSessions: Type.Optional(
      Type.Integer({ minimum: 1, description: 'sessions the scroll average is over' }),
    ),
  },
  { additionalProperties: false },
);

/** The labels a dashboard shows next to each figure, so the page never re-invents a definition. */
export const RealtimeDefinitionsSchema = Type.Object(
  {
    activeSessions: Type.String(),
    currentVisitors: Type.String(),
    pageviewsPerMinute: Type.String(),
    breakdowns: Type.String(),
    customEvents: Type.String(),
    outboundLinks: Type.String(),
    pageEngagement: Type.String(),
    bots: Type.String(),
  },
  { additionalProperties: false },
);

export const RealtimeAnswerSchema = Type.Object(
  {
    siteId: SiteIdSchema,
    /** When the answer was computed; a cached answer keeps its original `at`. */
    at: EpochMs,
    activeSessions: Type.Integer({
      minimum: 0,
      description: 'human sessions with any activity in the last 30 minutes',
    }),
    currentVisitors: Type.Integer({
      minimum: 0,
      description:
        'human visitors with a page view or custom event in the last 5 minutes, counted per session',
    }),
    pageviewsPerMinute: Type.Array(Count, {
      minItems: REALTIME_WINDOWS.activeSessionsMinutes,
      maxItems: REALTIME_WINDOWS.activeSessionsMinutes,
      description:
        'page views of human sessions per minute, oldest first; the last is the current minute',
    }),
    /** Start (epoch ms) of the first minute of `pageviewsPerMinute`. */
    minutesFrom: EpochMs,
    topPages: Breakdown('active sessions by the page they are on now'),
    topReferrers: Breakdown('active sessions by traffic source (`direct` when none)'),
    devices: Breakdown('active sessions by device type'),
    countries: Breakdown('active sessions by country (ISO 3166-1 alpha-2 or `unknown`)'),
    browsers: Breakdown('active sessions by browser (e.g. `Chrome`, `Firefox`, `unknown`)'),
    operatingSystems: Breakdown('active sessions by operating system (e.g. `Windows`, `iOS`)'),
    customEvents: Type.Array(ActivityRowSchema, {
      maxItems: BREAKDOWN_ROWS,
      description:
        "custom events of active sessions by name (the tracker's own `Outbound Link: Click`, " +
        '`File Download` and `404` included), ranked by sessions',
    }),
    outboundLinks: Type.Array(ActivityRowSchema, {
      maxItems: BREAKDOWN_ROWS,
      description:
        'outbound link clicks (`Outbound Link: Click` by props.url) of active sessions, ranked by sessions; `events` = clicks',
    }),
    pageEngagement: Type.Array(PageEngagementRowSchema, {
      maxItems: BREAKDOWN_ROWS,
      description: 'engaged time and scroll depth per page, ranked by engaged sessions',
    }),
    bots: Type.Object(
      {
        sessions: Count,
        share: Type.Number({
          minimum: 0,
          maximum: 1,
          description: 'bot sessions / all active sessions (0 when there are none)',
        }),
      },
      { additionalProperties: false },
    ),
    windows: Type.Object(
      {
        activeSessionsMinutes: Type.Literal(REALTIME_WINDOWS.activeSessionsMinutes),
        currentVisitorsMinutes: Type.Literal(REALTIME_WINDOWS.currentVisitorsMinutes),
      },
      { additionalProperties: false },
    ),
    definitions: RealtimeDefinitionsSchema,
  },
  { additionalProperties: false },
);

/** One live session as `/sessions/active` lists it (DESIGN.md section 3a). */
export const ActiveSessionSchema = Type.Object(
  {
    sessionId: Type.String(),
    visitorId: Type.String(),
    startedAt: EpochMs,
    lastSeen: EpochMs,
    pageviews: Count,
    events: Count,
    entryPage: Type.String(),
    currentPage: Type.String(),
    source: Type.String(),
    device: Type.String({ description: 'desktop, mobile, tablet or other' }),
    country: Type.String(),
    isBot: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const ActiveSessionsPageSchema = Type.Object(
  {
    siteId: SiteIdSchema,
    at: EpochMs,
    sessions: Type.Array(ActiveSessionSchema, { maxItems: SESSIONS_PAGE.maxLimit }),
    /** Opaque; pass as `cursor` for the next page. Absent on the last page. */
    nextCursor: Type.Optional(Type.String({ minLength: 1 })),
  },
  { additionalProperties: false },
);

export const HealthAnswerSchema = Type.Object(
  {
    status: Type.Union([Type.Literal('ok'), Type.Literal('unavailable')]),
    at: EpochMs,
    checks: Type.Object(
      { activeSessionsTable: Type.Union([Type.Literal('ok'), Type.Literal('unreachable')]) },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/** Every error body of both APIs (DESIGN.md section 3a). */
export const ErrorBodySchema = Type.Object(
  {
    error: Type.Object(
      {
        code: Type.String(),
        message: Type.String(),
        details: Type.Optional(Type.Unknown()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);

/**
 * ReadTokens: pk = siteId, sk = hex SHA-256 of the token (the token itself is never stored).
 * `expiresAt` (epoch s) is the table's TTL attribute; the authorizer checks it on every read,
 * because expired items still come back from reads until TTL deletes them.
 */
export const ReadTokenItemSchema = Type.Object(
  {
    pk: SiteIdSchema,
    sk: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    createdAt: EpochMs,
    expiresAt: Type.Integer({ minimum: 0, description: 'epoch seconds (DynamoDB TTL attribute)' }),
    /** Who or what the token is for, e.g. `dashboard` or `demo`. */
    label: Type.String({ maxLength: 128 }),
  },
  { additionalProperties: false },
);

export type ReadTokenItem = Static<typeof ReadTokenItemSchema>;
export type RealtimeSessionView = Static<typeof RealtimeSessionViewSchema>;
export type ActiveSessionView = Static<typeof ActiveSessionViewSchema>;
export type BreakdownRow = Static<typeof BreakdownRowSchema>;
export type ActivityRow = Static<typeof ActivityRowSchema>;
export type PageEngagementRow = Static<typeof PageEngagementRowSchema>;
export type RealtimeDefinitions = Static<typeof RealtimeDefinitionsSchema>;
export type RealtimeAnswer = Static<typeof RealtimeAnswerSchema>;
export type ActiveSession = Static<typeof ActiveSessionSchema>;
export type ActiveSessionsPage = Static<typeof ActiveSessionsPageSchema>;
export type HealthAnswer = Static<typeof HealthAnswerSchema>;
export type ErrorBody = Static<typeof ErrorBodySchema>;
