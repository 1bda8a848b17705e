/** Limits of the public contract (DESIGN.md section 3a), shared by the edge, the consumer and the docs. */
export const LIMITS = {
  maxEventsPerRequest: 500,
  maxBodyBytes: 1024 * 1024,
  /** One event serialised; enforced by the consumer (JSON Schema cannot count bytes). */
  maxEventBytes: 8 * 1024,
  /** An edge record is one event plus server fields; anything larger never came from our edge. */
  maxEdgeRecordBytes: 12 * 1024,
  maxProps: 30,
  /** Props keys: ASCII letters, digits and `_ . : -`, 1–64 characters (PROP_KEY_PATTERN). */
  maxPropKeyLength: 64,
  /**
   * Numbers DynamoDB can hold: magnitudes from 1e-130 to below 1e126 ("Data types" in the
   * DynamoDB developer guide), and 0. A prop number outside (1e300, 5e-324) would be refused by
   * every write, so the contract refuses it at the edge instead. 1e125 keeps a round bound.
   */
  maxPropNumberMagnitude: 1e125,
  minPropNumberMagnitude: 1e-130,
  maxPropStringLength: 500,
  maxUrlLength: 2048,
  maxTitleLength: 512,
  maxNameLength: 128,
  maxEngagedMs: 24 * 60 * 60 * 1000,
} as const;

/** Session and activity windows (DESIGN.md section 3). */
export const WINDOWS = {
  sessionGapMs: 30 * 60 * 1000,
  activeSessionMs: 30 * 60 * 1000,
  currentVisitorMs: 5 * 60 * 1000,
  bounceEngagedMs: 10 * 1000,
  /** Accepted client clock skew: events stamped further in the future are bad rows. */
  maxFutureSkewMs: 24 * 60 * 60 * 1000,
  /** Oldest accepted event relative to its arrival (offline queues flush within days). */
  maxEventAgeMs: 7 * 24 * 60 * 60 * 1000,
} as const;

/** Retention of the tables' TTL attribute `expiresAt` (epoch seconds). */
export const RETENTION = {
  eventsDays: 90,
  sessionsDays: 90,
  badRowsDays: 30,
} as const;
