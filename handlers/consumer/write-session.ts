/**
 * One session's writes for one batch: Sessions first (the exactly-once guard), then the
 * ActiveSessions projection of the resulting state.
 *
 * Sessions: the pipeline plans next = applyEvents(prev, events) as a whole item with version
 * prev.version + 1; the store writes it with `version = prev.version` (or
 * `attribute_not_exists(pk)`). `prev` is the process cache's last known item; when the stored
 * item differs, the refused write returns it (ALL_OLD) and the plan is made again on top of it,
 * a bounded number of times. Events whose seq the stored state already holds are dropped by the
 * plan, so a redelivered batch, a double-put event or a late out-of-order event counts exactly
 * once; when nothing is new there is no Sessions write at all.
 *
 * ActiveSessions: always written, also when nothing was new — that repairs a crash between the
 * two writes (the redelivery finds Sessions up to date but still projects).
 */
import type { SessionDelta } from '../../pipeline/coalesce';
import { planSessionUpdate } from '../../pipeline/session-update';
import type { SessionItem } from '../../schemas';
import type { ShardPlan } from '../../schemas/shard-plan';
import type {
  ActiveSessionPutResult,
  DynamoActiveSessionStore,
} from '../adapters/dynamo-active-session-store';
import type { DynamoSessionStore } from '../adapters/dynamo-session-store';
import { WriteFailedError } from '../adapters/write-errors';
import type { SessionCache } from './session-cache';

/** Conditional attempts per session per batch before its records are reported as failed. */
export const MAX_SESSION_WRITE_ATTEMPTS = 4;

export interface SessionWriteDeps {
  readonly sessions: DynamoSessionStore;
  readonly activeSessions: DynamoActiveSessionStore;
  readonly cache: SessionCache;
  /** The stage's shard plan (each site's ActiveSessions shards), or one count for all. */
  readonly activeSessionShards: ShardPlan | number;
}

export interface SessionWriteOutcome {
  /** Events applied for the first time by this write (0: all were applied before). */
  readonly newlyApplied: number;
  /** Sessions PutItem requests made, refused ones included. */
  readonly sessionWrites: number;
  readonly activeSession: ActiveSessionPutResult;
}

export async function writeSession(
  delta: SessionDelta,
  deps: SessionWriteDeps,
): Promise<SessionWriteOutcome> {
  let stored: SessionItem | undefined = deps.cache.get(delta.pk);
  let sessionWrites = 0;
  for (let attempt = 1; ; attempt += 1) {
    const plan = planSessionUpdate(
      stored === undefined ? undefined : { item: stored, version: stored.version },
      delta,
      deps.activeSessionShards,
    );
    if (plan.kind === 'write') {
      sessionWrites += 1;
      const result = await deps.sessions.putGuarded(plan.session, plan.expectedVersion);
      if (result.kind === 'conflict') {
        stored = result.current?.item;
        if (stored !== undefined) deps.cache.remember(stored);
        if (attempt >= MAX_SESSION_WRITE_ATTEMPTS) {
          throw new WriteFailedError(
            'PutItem',
            delta.pk,
            `the stored version kept changing through ${attempt} conditional writes (expected it to settle)`,
          );
        }
        continue;
      }
      deps.cache.remember(plan.session);
    }
    const activeSession = await deps.activeSessions.put(plan.active);
    return {
      newlyApplied: plan.kind === 'write' ? plan.newlyApplied.length : 0,
      sessionWrites,
      activeSession,
    };
  }
}
