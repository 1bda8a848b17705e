/**
 * Ports: what the pure pipeline needs from the outside (a clock, the visitor-id salt). The
 * pipeline never imports an adapter; handlers wire concrete ones in. Storage needs no port: the
 * pipeline plans each write (pipeline/session-update.ts) and the consumer's adapters carry it out
 * (handlers/adapters: version-guarded PutItem for sessions, idempotent batch writes for the rest).
 */
import type { SessionItem } from '../schemas';

/** Wall clock in epoch milliseconds. */
export interface Clock {
  now(): number;
}

/**
 * The daily salt of the cookieless visitor id. `day` is `yyyy-mm-dd` (UTC) of the event's
 * `receivedAt`. The salt must be secret and stable for that day everywhere (every Lambda, every
 * redelivery), e.g. HMAC(secret, day); rotating it daily is what makes visitor ids unlinkable
 * across days.
 */
export interface SaltProvider {
  saltForDay(day: string): string;
}

/** What `processBatch` needs. */
export interface PipelinePorts {
  readonly clock: Clock;
  readonly salt: SaltProvider;
}

/** A stored session with the version that guards its next write. */
export interface VersionedSession {
  readonly item: SessionItem;
  readonly version: number;
}
