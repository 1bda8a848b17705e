import { parseShardPlan } from '../schemas/shard-plan';
import { coalesce } from './coalesce';
import { activeSessionShard } from './items';
import { toSessionItem } from './items';
import { planSessionUpdate } from './session-update';
import { foldEvents } from './session-aggregate';
import { acceptedEvent } from './__fixtures__/accepted-events';
import { enrichedEvent } from './__fixtures__/enriched-events';

const deltaOf = (seqs: number[]) => {
  const [delta] = coalesce(
    seqs.map((seq, i) => acceptedEvent(enrichedEvent({ seq }), i)),
  ).sessionDeltas;
  if (delta === undefined) throw new Error('fixture: expected one delta');
  return delta;
};

describe('planSessionUpdate', () => {
  it('creates a new session at version 1, guarded by "must not exist"', () => {
    // Act
    const update = planSessionUpdate(undefined, deltaOf([0, 1]), 4);

    // Assess
    expect(update.kind).toBe('write');
    if (update.kind !== 'write') return;
    expect(update.expectedVersion).toBeUndefined();
    expect(update.session.version).toBe(1);
    expect(update.session.events).toBe(2);
    expect(update.active.events).toBe(2);
  });

  it('projects the session onto its site’s own shard count from the stage’s plan', () => {
    const delta = deltaOf([0]);
    const hot = parseShardPlan(4, { [delta.siteId]: { activeSessionShards: 64, rollupKeys: 32 } });
    const other = parseShardPlan(4, { 'other-site': { activeSessionShards: 64 } });

    expect(planSessionUpdate(undefined, delta, hot).active.pk).toBe(
      `${delta.siteId}#${activeSessionShard(delta.sessionId, 64)}`,
    );
    expect(planSessionUpdate(undefined, delta, other).active.pk).toBe(
      `${delta.siteId}#${activeSessionShard(delta.sessionId, 4)}`,
    );
  });

  it('adds only new events to a stored session and bumps its version', () => {
    const stored = {
      item: toSessionItem(foldEvents([0, 1].map((seq) => enrichedEvent({ seq }))), 5),
      version: 5,
    };

    const update = planSessionUpdate(stored, deltaOf([1, 2]), 4);

    expect(update).toMatchObject({
      kind: 'write',
      expectedVersion: 5,
      session: { version: 6, events: 3 },
    });
    expect(update.kind === 'write' && update.newlyApplied.map((e) => e.seq)).toEqual([2]);
  });

  it('writes no session for a redelivery, but still returns the active projection', () => {
    const stored = {
      item: toSessionItem(foldEvents([0, 1].map((seq) => enrichedEvent({ seq }))), 2),
      version: 2,
    };

    const update = planSessionUpdate(stored, deltaOf([0, 1]), 4);

    expect(update.kind).toBe('unchanged');
    expect(update.active.events).toBe(2);
  });
});
