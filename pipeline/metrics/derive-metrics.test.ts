import { deriveMetrics, type MetricPoint } from './derive-metrics';
import type { SiteMetricName } from '../../schemas/business-metrics';
import type { StreamChange } from './stream-change';
import {
  M0,
  MINUTE,
  T0,
  activeSessionItem,
  activeSessionRemove,
  minutes,
  sessionInsert,
  sessionItem,
  sessionModify,
} from './__fixtures__/stream-changes';

/** Points of one change as {metric: {minute: value}}, relative to M0 for readability. */
function table(change: StreamChange): Partial<Record<SiteMetricName, Record<number, number>>> {
  const derivation = deriveMetrics(change);
  if (!derivation.ok)
    throw new Error(`expected a derivation, got ${derivation.problems.join('; ')}`);
  return toTable(derivation.points);
}

function toTable(points: readonly MetricPoint[]) {
  const result: Partial<Record<SiteMetricName, Record<number, number>>> = {};
  for (const point of points) {
    const row = (result[point.name] ??= {});
    row[point.minute - M0] = (row[point.minute - M0] ?? 0) + point.value;
  }
  return result;
}

const ones = (relativeMinutes: readonly number[]) =>
  Object.fromEntries(relativeMinutes.map((m) => [m, 1]));

describe('deriveMetrics: Sessions INSERT (a new session)', () => {
  it('starts a session and counts its first page view, active for 30 minutes, current for 5', () => {
    // Prepare: one page view at 12:00:10.
    const item = sessionItem([{ seq: 0, at: 0, type: 'pageview' }]);

    // Act
    const result = table(sessionInsert(item));

    // Assess
    expect(result).toEqual({
      SessionsStarted: { 0: 1 },
      PageViews: { 0: 1 },
      Events: { 0: 1 },
      ActiveSessionMinutes: ones(minutes(0, 29)),
      CurrentVisitorMinutes: ones(minutes(0, 4)),
    });
  });

  it('counts every event type of a first write that already holds several events', () => {
    const item = sessionItem([
      { seq: 0, at: 0, type: 'pageview' },
      { seq: 1, at: 20_000, type: 'engagement', engagedMs: 15_000 },
      { seq: 2, at: 50_000, type: 'custom', name: 'signup' },
    ]);

    const result = table(sessionInsert(item));

    // Last activity at 12:01:00 (minute 1): counters land there, the start at minute 0.
    expect(result).toEqual({
      SessionsStarted: { 0: 1 },
      PageViews: { 1: 1 },
      Events: { 1: 3 },
      EngagementEvents: { 1: 1 },
      CustomEvents: { 1: 1 },
      EngagedTime: { 1: 15_000 },
      ActiveSessionMinutes: ones(minutes(0, 30)),
      // Interactions in minute 0 (page view) and minute 1 (custom event).
      CurrentVisitorMinutes: ones(minutes(0, 5)),
    });
  });

  it('counts an engagement-only session as active but never as a current visitor', () => {
    const item = sessionItem([{ seq: 0, at: 0, type: 'engagement', engagedMs: 3_000 }]);

    const result = table(sessionInsert(item));

    expect(result).toEqual({
      SessionsStarted: { 0: 1 },
      Events: { 0: 1 },
      EngagementEvents: { 0: 1 },
      EngagedTime: { 0: 3_000 },
      ActiveSessionMinutes: ones(minutes(0, 29)),
    });
  });
});

describe('deriveMetrics: Sessions MODIFY (more activity)', () => {
  it('counts only what the session gained and only the minutes newly covered', () => {
    // Prepare: a page view at 12:00:10, then an engagement ping and a page view at 12:03:10.
    const before = sessionItem([{ seq: 0, at: 0, type: 'pageview' }], 1);
    const after = sessionItem(
      [
        { seq: 0, at: 0, type: 'pageview' },
        { seq: 1, at: 40_000, type: 'engagement', engagedMs: 12_000 },
        { seq: 2, at: 3 * MINUTE, type: 'pageview', path: '/pricing' },
      ],
      2,
    );

    const result = table(sessionModify(before, after));

    expect(result).toEqual({
      PageViews: { 3: 1 },
      Events: { 3: 2 },
      EngagementEvents: { 3: 1 },
      EngagedTime: { 3: 12_000 },
      // Active until minute 29 before, until minute 32 now.
      ActiveSessionMinutes: ones([30, 31, 32]),
      // Current in minutes 0–4 before; the page view in minute 3 extends that to minute 7.
      CurrentVisitorMinutes: ones([5, 6, 7]),
    });
    expect(result.SessionsStarted).toBeUndefined();
  });

  it('emits nothing for a rewrite that changed nothing but the version', () => {
    const specs = [{ seq: 0, at: 0, type: 'pageview' as const }];

    const derivation = deriveMetrics(sessionModify(sessionItem(specs, 1), sessionItem(specs, 2)));

    expect(derivation).toEqual({ ok: true, points: [] });
  });

  it('counts a late event that moves the start earlier: active minutes before, no current ones', () => {
    const before = sessionItem([{ seq: 1, at: 5 * MINUTE, type: 'pageview' }]);
    const after = sessionItem([
      { seq: 0, at: 2 * MINUTE, type: 'pageview' },
      { seq: 1, at: 5 * MINUTE, type: 'pageview' },
    ]);

    const result = table(sessionModify(before, after));

    expect(result).toEqual({
      PageViews: { 5: 1 },
      Events: { 5: 1 },
      ActiveSessionMinutes: ones([2, 3, 4]),
      // Minutes before the latest interaction may have been counted already: never again.
    });
  });

  it('gives the same points for the same change however often it is delivered', () => {
    const change = sessionModify(
      sessionItem([{ seq: 0, at: 0 }]),
      sessionItem([
        { seq: 0, at: 0 },
        { seq: 1, at: 90_000 },
      ]),
    );

    expect(deriveMetrics(change)).toEqual(deriveMetrics(structuredClone(change)));
  });
});

describe('deriveMetrics: bots are kept apart', () => {
  it('counts a bot session only in BotEvents and BotActiveSessionMinutes', () => {
    const item = sessionItem([
      { seq: 0, at: 0, type: 'pageview', isBot: true },
      { seq: 1, at: 1_000, type: 'pageview', isBot: true },
    ]);

    const result = table(sessionInsert(item));

    expect(result).toEqual({
      BotEvents: { 0: 2 },
      BotActiveSessionMinutes: ones(minutes(0, 29)),
    });
  });

  it('does not count the expiry of a bot session', () => {
    const item = activeSessionItem([{ seq: 0, at: 0, isBot: true }]);

    expect(deriveMetrics(activeSessionRemove(item, 'ttl'))).toEqual({ ok: true, points: [] });
  });
});

describe('deriveMetrics: ActiveSessions REMOVE (the 30-minute window closed)', () => {
  // The item expires 30 min after the last activity at 12:00:40 → 12:30:40, minute 30.
  const expiryMinute = 30;

  it('counts an expiry by TTL as an expired session, its bounce and its duration', () => {
    const item = activeSessionItem([
      { seq: 0, at: 0, type: 'pageview' },
      { seq: 1, at: 30_000, type: 'engagement', engagedMs: 4_000 },
    ]);

    const result = table(activeSessionRemove(item, 'ttl'));

    expect(result).toEqual({
      SessionsExpired: { [expiryMinute]: 1 },
      Bounces: { [expiryMinute]: 1 },
      SessionDuration: { [expiryMinute]: 30_000 },
    });
  });

  it('does not count a bounce when the visitor viewed a second page', () => {
    const item = activeSessionItem([
      { seq: 0, at: 0, type: 'pageview' },
      { seq: 1, at: 30_000, type: 'pageview' },
    ]);

    expect(table(activeSessionRemove(item, 'ttl'))).toEqual({
      SessionsExpired: { [expiryMinute]: 1 },
      SessionDuration: { [expiryMinute]: 30_000 },
    });
  });

  it.each([
    ['a custom event', { seq: 1, at: 30_000, type: 'custom' as const, name: 'cta' }],
    [
      '10 s of engaged time',
      { seq: 1, at: 30_000, type: 'engagement' as const, engagedMs: 10_000 },
    ],
  ])('does not count a bounce after %s', (_label, second) => {
    const item = activeSessionItem([{ seq: 0, at: 0, type: 'pageview' }, second]);

    expect(table(activeSessionRemove(item, 'ttl')).Bounces).toBeUndefined();
  });

  it('counts nothing when a user or an application deleted the item', () => {
    const item = activeSessionItem([{ seq: 0, at: 0 }]);

    expect(deriveMetrics(activeSessionRemove(item, 'principal'))).toEqual({ ok: true, points: [] });
  });

  it('places the expiry at the minute the window closed, not when TTL deleted the item', () => {
    const item = activeSessionItem([{ seq: 0, at: 0 }]);
    const sweptTwoDaysLater = item.expiresAt * 1000 + 2 * 24 * 60 * MINUTE;

    const result = table(activeSessionRemove(item, 'ttl', sweptTwoDaysLater));

    expect(result.SessionsExpired).toEqual({ 30: 1 });
  });
});

describe('deriveMetrics: changes that carry no activity', () => {
  it.each<[string, StreamChange]>([
    [
      'a Sessions REMOVE (retention or deletion)',
      {
        table: 'sessions',
        eventName: 'REMOVE',
        oldImage: sessionItem([{ seq: 0, at: 0 }]),
        removedBy: 'ttl',
        recordTimeMs: T0,
      },
    ],
    [
      'an ActiveSessions INSERT (counted from Sessions)',
      {
        table: 'activeSessions',
        eventName: 'INSERT',
        newImage: activeSessionItem([{ seq: 0, at: 0 }]),
        recordTimeMs: T0,
      },
    ],
    [
      'an ActiveSessions MODIFY (counted from Sessions)',
      {
        table: 'activeSessions',
        eventName: 'MODIFY',
        oldImage: activeSessionItem([{ seq: 0, at: 0 }]),
        newImage: activeSessionItem([
          { seq: 0, at: 0 },
          { seq: 1, at: 1_000 },
        ]),
        recordTimeMs: T0,
      },
    ],
  ])('emits nothing for %s', (_label, change) => {
    expect(deriveMetrics(change)).toEqual({ ok: true, points: [] });
  });
});

describe('deriveMetrics: inconsistent changes are reported, never guessed at', () => {
  it('reports counters that decreased and a last activity that moved back', () => {
    const before = sessionItem([
      { seq: 0, at: 0 },
      { seq: 1, at: MINUTE },
    ]);
    const after = sessionItem([{ seq: 0, at: 0 }]);

    const derivation = deriveMetrics(sessionModify(before, after));

    expect(derivation).toEqual({
      ok: false,
      problems: [
        'pageviews went from 2 to 1 (expected it never to decrease)',
        'events went from 2 to 1 (expected it never to decrease)',
        `lastSeen went from ${T0 + MINUTE} to ${T0} (expected it never to move earlier)`,
        `lastInteractionAt went from ${T0 + MINUTE} to ${T0} (expected it never to move earlier)`,
      ],
    });
  });

  it('reports a MODIFY whose images belong to two sessions', () => {
    const before = sessionItem([{ seq: 0, at: 0, sessionId: 'sess_a1234567' }]);
    const after = sessionItem([{ seq: 0, at: 0, sessionId: 'sess_b1234567' }]);

    const derivation = deriveMetrics(sessionModify(before, after));

    expect(derivation).toEqual({
      ok: false,
      problems: [
        'NewImage.pk is "demo-shop#sess_b1234567" but OldImage.pk is "demo-shop#sess_a1234567" (expected one item)',
      ],
    });
  });

  it('reports a site id that cannot be a CloudWatch dimension of ours', () => {
    const item = { ...sessionItem([{ seq: 0, at: 0 }]), siteId: 'Shop With Spaces' };

    const derivation = deriveMetrics(sessionInsert(item));

    expect(derivation.ok).toBe(false);
    expect(!derivation.ok && derivation.problems).toEqual([
      'NewImage.siteId is "Shop With Spaces" (expected lower-case letters, digits and dashes, 2-63 characters)',
    ]);
  });
});

describe('deriveMetrics: timestamps CloudWatch accepts', () => {
  it('keeps counts of a record processed long after its activity, at the oldest accepted minute', () => {
    const item = sessionItem([{ seq: 0, at: 0 }]);
    const twentyDaysLater = T0 + 20 * 24 * 60 * MINUTE;

    const derivation = deriveMetrics(sessionInsert(item, twentyDaysLater));

    // 13 days before the record: the oldest minute accepted; activity minutes that old are gone.
    const oldest = M0 + 20 * 24 * 60 - 13 * 24 * 60;
    expect(derivation).toEqual({
      ok: true,
      points: [
        { siteId: 'demo-shop', minute: oldest, name: 'SessionsStarted', value: 1 },
        { siteId: 'demo-shop', minute: oldest, name: 'PageViews', value: 1 },
        { siteId: 'demo-shop', minute: oldest, name: 'Events', value: 1 },
      ],
    });
  });

  it('drops active minutes more than 115 minutes ahead of the record', () => {
    // A four-hour-long first write (a backlog), recorded 3 hours before its last activity.
    const item = sessionItem([
      { seq: 0, at: 0, type: 'engagement' },
      { seq: 1, at: 240 * MINUTE, type: 'engagement' },
    ]);

    const result = table(sessionInsert(item, T0 + 60 * MINUTE));

    expect(Object.keys(result.ActiveSessionMinutes ?? {}).map(Number)).toEqual(minutes(0, 175));
    // Counters are moved inside the window rather than lost.
    expect(result.Events).toEqual({ 175: 2 });
  });
});
