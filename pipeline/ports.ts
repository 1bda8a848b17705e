/**
 * Ports: what the pure pipeline needs from the outside (a clock, the visitor-id salt) and what
 * the consumer's adapters implement (storage). The pipeline never imports an adapter; handlers
 * wire concrete ones in. Kept minimal on purpose — the consumer refines the storage ports.
 */
import type { ActiveSessionItem, BadRowItem, EventItem, SessionItem } from '../schemas';

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

/** Raw events; keys are deterministic, so writing an item twice is harmless. */
export interface EventStore {
  putAll(items: readonly EventItem[]): Promise<void>;
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

/** ActiveSessions: one upsert per session per batch (the item is a full projection). */
export interface ActiveSessionStore {
  putAll(items: readonly ActiveSessionItem[]): Promise<void>;
}

/**
 * Bad rows. Keys are deterministic, so a redelivered batch overwrites its own bad rows. A payload
 * can be as large as a Kinesis record (1 MB), more than a DynamoDB item holds (400 KB): the
 * adapter must keep oversized payloads elsewhere (e.g. S3) rather than drop them.
 */
export interface BadRowStore {
  putAll(items: readonly BadRowItem[]): Promise<void>;
}
