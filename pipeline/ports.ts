/**
 * Ports: what the pure pipeline needs from the outside (a clock, the visitor-id salt) and what
 * the consumer's adapters implement (storage). The pipeline never imports an adapter; handlers
 * wire concrete ones in. Raw events, active sessions and bad rows need no port: the consumer
 * writes them with idempotent batch writes that report per-record failures (handlers/adapters).
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

/**
 * Sessions: read-modify-write with optimistic concurrency. `put` writes only when the stored
 * version is still `expectedVersion` (undefined = the item must not exist yet) and reports a
 * conflict instead of throwing, so the caller re-reads and re-applies (`applyEvents` is
 * idempotent, so re-applying after a conflict is safe).
 */
export interface SessionStore {
  get(siteId: string, sessionId: string): Promise<VersionedSession | undefined>;
  put(item: SessionItem, expectedVersion: number | undefined): Promise<'written' | 'conflict'>;
}
