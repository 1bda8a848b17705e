/**
 * The ingest contract: `POST /events` with `{siteId, events: Event[]}` (DESIGN.md section 3a).
 * This TypeBox schema is the single source: the TypeScript types, the runtime validator and the
 * draft-04 model that API Gateway validates with are all derived from it.
 */
import { Type, type Static } from '@sinclair/typebox';
import { LIMITS } from './limits';

const idPattern = '^[A-Za-z0-9_-]+$';

export const SiteIdSchema = Type.String({
  pattern: '^[a-z0-9][a-z0-9-]{1,62}$',
  description: 'lower-case letters, digits and dashes, 2-63 characters',
});

const EventId = Type.String({ minLength: 16, maxLength: 64, pattern: idPattern });
const SessionId = Type.String({ minLength: 8, maxLength: 64, pattern: idPattern });

/**
 * What a props key may be, at the edge (API Gateway's model) and in the consumer alike: ASCII
 * letters, digits and `_ . : -`, 1 to 64 characters. Names of JavaScript's Object.prototype
 * (`constructor`, `__proto__`, `toString`…) are ordinary keys: accepted and stored as sent —
 * no code of ours builds an object whose prototype a key could reach (see item-codec.ts).
 */
export const PROP_KEY_PATTERN = `^[A-Za-z0-9_.:-]{1,${LIMITS.maxPropKeyLength}}$`;

/** A number DynamoDB can store (see LIMITS.maxPropNumberMagnitude): 0 or a bounded magnitude. */
const PropNumber = Type.Union([
  Type.Number({
    minimum: LIMITS.minPropNumberMagnitude,
    maximum: LIMITS.maxPropNumberMagnitude,
  }),
  Type.Number({
    minimum: -LIMITS.maxPropNumberMagnitude,
    maximum: -LIMITS.minPropNumberMagnitude,
  }),
  Type.Literal(0),
]);

const PropValue = Type.Union([
  Type.String({ maxLength: LIMITS.maxPropStringLength }),
  PropNumber,
  Type.Boolean(),
]);

/** Custom event properties: at most 30 flat key/value pairs. */
const Props = Type.Record(Type.String({ pattern: PROP_KEY_PATTERN }), PropValue, {
  maxProperties: LIMITS.maxProps,
  additionalProperties: false,
  description:
    `At most ${LIMITS.maxProps} keys, each matching ${PROP_KEY_PATTERN} (names such as ` +
    '`constructor` or `__proto__` are ordinary keys, stored as sent). Values: a string of at ' +
    `most ${LIMITS.maxPropStringLength} characters, a boolean, or a number that is 0 or of ` +
    `magnitude ${LIMITS.minPropNumberMagnitude} to ${LIMITS.maxPropNumberMagnitude} (what DynamoDB holds).`,
});

const Screen = Type.Object(
  {
    w: Type.Integer({ minimum: 0, maximum: 100_000 }),
    h: Type.Integer({ minimum: 0, maximum: 100_000 }),
  },
  { additionalProperties: false },
);

/** Fields every event carries; `type` picks the variant. */
const common = {
  eventId: EventId,
  sessionId: SessionId,
  seq: Type.Integer({ minimum: 0, maximum: 2_147_483_647 }),
  ts: Type.Integer({ minimum: 0, maximum: 8_640_000_000_000 }),
  url: Type.String({ minLength: 1, maxLength: LIMITS.maxUrlLength, pattern: '^https?://' }),
  referrer: Type.Optional(Type.String({ maxLength: LIMITS.maxUrlLength })),
  title: Type.Optional(Type.String({ maxLength: LIMITS.maxTitleLength })),
  screen: Type.Optional(Screen),
  lang: Type.Optional(Type.String({ maxLength: 35 })),
  /**
   * Sent by the tracker from a browser driven by automation (`navigator.webdriver`) when the site
   * opts in to counting such browsers: the consumer flags the event and its session as a bot's
   * with reason `automation`.
   */
  automation: Type.Optional(
    Type.Boolean({ description: 'true: sent from an automated browser (navigator.webdriver)' }),
  ),
};

export const PageviewEventSchema = Type.Object(
  { ...common, type: Type.Literal('pageview') },
  { additionalProperties: false },
);

export const EngagementEventSchema = Type.Object(
  {
    ...common,
    type: Type.Literal('engagement'),
    engagedMs: Type.Integer({
      minimum: 0,
      maximum: LIMITS.maxEngagedMs,
      description:
        'engaged time (page visible and focused) since the previous engagement event of this page ' +
        "view, not a running total: a session's and a page's engaged time are the sum",
    }),
    scrollDepth: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 100,
        description:
          'the largest share (percent) of the page the visitor has seen so far on this page view',
      }),
    ),
  },
  { additionalProperties: false },
);

export const CustomEventSchema = Type.Object(
  {
    ...common,
    type: Type.Literal('custom'),
    name: Type.String({ minLength: 1, maxLength: LIMITS.maxNameLength }),
    props: Type.Optional(Props),
  },
  { additionalProperties: false },
);

const EventUnion = Type.Union([PageviewEventSchema, EngagementEventSchema, CustomEventSchema]);

/**
 * `oneOf` with a discriminator rather than TypeBox's `anyOf`: Ajv then reports the errors of
 * the variant that `type` names instead of every variant's, and draft-04 knows `oneOf`.
 */
export const EventSchema = Type.Unsafe<Static<typeof EventUnion>>({
  type: 'object',
  discriminator: { propertyName: 'type' },
  oneOf: EventUnion.anyOf,
});

export const EVENT_TYPES = ['pageview', 'engagement', 'custom'] as const;

export const IngestRequestSchema = Type.Object(
  {
    siteId: SiteIdSchema,
    events: Type.Array(EventSchema, { minItems: 1, maxItems: LIMITS.maxEventsPerRequest }),
  },
  { additionalProperties: false },
);

export type PageviewEvent = Static<typeof PageviewEventSchema>;
export type EngagementEvent = Static<typeof EngagementEventSchema>;
export type CustomEvent = Static<typeof CustomEventSchema>;
export type TrackerEvent = Static<typeof EventUnion>;
export type EventType = TrackerEvent['type'];
export type IngestRequest = Static<typeof IngestRequestSchema>;
