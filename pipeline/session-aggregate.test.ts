import { SessionStateSchema, WINDOWS, isValid } from '../schemas';
import { OverlappingSessionsError, SessionMismatchError } from './errors';
import { combineSessions, epochMinute, foldEvents, sessionFromEvent } from './session-aggregate';
import { RECEIVED_AT } from './__fixtures__/edge-records';
import { enrichedEvent } from './__fixtures__/enriched-events';

const MINUTE = 60_000;

describe('sessionFromEvent', () => {
  it('lifts a page view: one page view, entry = exit, its minute, its seq applied', () => {
    // Prepare
    const event = enrichedEvent({ seq: 3, path: '/pricing' });

    // Act
    const state = sessionFromEvent(event);

    // Assess
    expect(state).toEqual({
      siteId: 'demo-shop',
      sessionId: 'sess_01234567',
      visitorId: 'visitor-a',
      visitorSeq: 3,
      startedAt: event.receivedAt,
      lastSeen: event.receivedAt,
      lastInteractionAt: event.receivedAt,
      pageviews: 1,
      events: 1,
      engagementEvents: 0,
      customEvents: 0,
      botEvents: 0,
      engagedMs: 0,
      entry: { path: '/pricing', seq: 3 },
      exit: { path: '/pricing', seq: 3 },
      source: 'google',
      medium: 'search',
      referrerHost: 'google.com',
      deviceType: 'desktop',
      browser: 'Chrome',
      os: 'Windows',
      country: 'DE',
      isBot: false,
      pageviewMinutes: { [epochMinute(event.receivedAt)]: 1 },
      applied: { below: 0, above: [3] },
    });
    expect(isValid(SessionStateSchema, state)).toBe(true);
  });

  it('lifts an engagement ping: engaged time, but no interaction and no page', () => {
    const state = sessionFromEvent(enrichedEvent({ seq: 0, type: 'engagement', engagedMs: 7_500 }));

    expect(state).toMatchObject({
      pageviews: 0,
      engagementEvents: 1,
      engagedMs: 7_500,
      lastInteractionAt: 0,
      pageviewMinutes: {},
      applied: { below: 1, above: [] },
    });
    expect(state).not.toHaveProperty('entry');
    expect(state).not.toHaveProperty('exit');
  });

  it('lifts a custom event as an interaction without a page view', () => {
    const event = enrichedEvent({ type: 'custom', name: 'signup', isBot: true });

    expect(sessionFromEvent(event)).toMatchObject({
      customEvents: 1,
      pageviews: 0,
      lastInteractionAt: event.receivedAt,
      botEvents: 1,
      isBot: true,
    });
  });
});

describe('combineSessions', () => {
  it('adds counts and takes min start, max last seen and max last interaction', () => {
    const a = sessionFromEvent(enrichedEvent({ seq: 0, receivedAt: RECEIVED_AT }));
    const b = sessionFromEvent(
      enrichedEvent({
        seq: 1,
        type: 'engagement',
        engagedMs: 3_000,
        receivedAt: RECEIVED_AT + 9_000,
      }),
    );

    const combined = combineSessions(b, a);

    expect(combined).toMatchObject({
      pageviews: 1,
      events: 2,
      engagementEvents: 1,
      engagedMs: 3_000,
      startedAt: RECEIVED_AT,
      lastSeen: RECEIVED_AT + 9_000,
      lastInteractionAt: RECEIVED_AT,
      applied: { below: 2, above: [] },
    });
  });

  it('takes entry from the lowest-seq and exit from the highest-seq page view, not by time', () => {
    // The seq-5 page view arrived first (a re-put lands after later records).
    const late = sessionFromEvent(
      enrichedEvent({ seq: 1, path: '/a', receivedAt: RECEIVED_AT + 50_000 }),
    );
    const early = sessionFromEvent(enrichedEvent({ seq: 5, path: '/b', receivedAt: RECEIVED_AT }));
    const ping = sessionFromEvent(enrichedEvent({ seq: 9, type: 'engagement', engagedMs: 1 }));

    const combined = combineSessions(combineSessions(early, ping), late);

    expect(combined.entry).toEqual({ path: '/a', seq: 1 });
    expect(combined.exit).toEqual({ path: '/b', seq: 5 });
  });

  it('takes the whole attribution from the lowest-seq event, keeping the visitor id across midnight', () => {
    const first = sessionFromEvent(
      enrichedEvent({
        seq: 0,
        visitorId: 'before-midnight',
        source: { source: 'newsletter', medium: 'email', campaign: 'spring' },
        country: 'FR',
      }),
    );
    const second = sessionFromEvent(
      enrichedEvent({
        seq: 1,
        visitorId: 'after-midnight',
        device: { type: 'mobile', browser: 'Safari', os: 'iOS' },
      }),
    );

    const combined = combineSessions(second, first);

    expect(combined).toMatchObject({
      visitorId: 'before-midnight',
      visitorSeq: 0,
      source: 'newsletter',
      medium: 'email',
      campaign: 'spring',
      country: 'FR',
      deviceType: 'desktop',
    });
    expect(combined).not.toHaveProperty('referrerHost');
  });

  it('marks the session a bot when any event was', () => {
    const human = sessionFromEvent(enrichedEvent({ seq: 0 }));
    const bot = sessionFromEvent(enrichedEvent({ seq: 1, isBot: true }));

    expect(combineSessions(human, bot)).toMatchObject({ isBot: true, botEvents: 1 });
  });

  it('keeps page views per minute only within 30 minutes of the last activity', () => {
    const old = sessionFromEvent(enrichedEvent({ seq: 0, receivedAt: RECEIVED_AT }));
    const edge = sessionFromEvent(
      enrichedEvent({ seq: 1, receivedAt: RECEIVED_AT + WINDOWS.activeSessionMs }),
    );
    const recent = sessionFromEvent(
      enrichedEvent({ seq: 2, receivedAt: RECEIVED_AT + WINDOWS.activeSessionMs + 2 * MINUTE }),
    );

    const combined = combineSessions(combineSessions(old, edge), recent);

    expect(Object.keys(combined.pageviewMinutes)).toEqual([
      String(epochMinute(RECEIVED_AT + WINDOWS.activeSessionMs)),
      String(epochMinute(RECEIVED_AT + WINDOWS.activeSessionMs + 2 * MINUTE)),
    ]);
    expect(combined.pageviews).toBe(3);
  });

  it('refuses to combine different sessions', () => {
    const a = sessionFromEvent(enrichedEvent({ sessionId: 'sess_aaaaaaaa' }));
    const b = sessionFromEvent(enrichedEvent({ sessionId: 'sess_bbbbbbbb', seq: 1 }));

    expect(() => combineSessions(a, b)).toThrow(SessionMismatchError);
  });

  it('refuses to combine states that share an applied seq (counts would double)', () => {
    const a = sessionFromEvent(enrichedEvent({ seq: 4 }));

    expect(() => combineSessions(a, a)).toThrow(OverlappingSessionsError);
    expect(() => combineSessions(a, a)).toThrow(/both applied 1 of the same seq numbers/);
  });
});

describe('foldEvents', () => {
  it('refuses an empty list, a repeated seq and mixed sessions', () => {
    expect(() => foldEvents([])).toThrow(/expected at least one event/);
    expect(() => foldEvents([enrichedEvent({ seq: 1 }), enrichedEvent({ seq: 1 })])).toThrow(
      OverlappingSessionsError,
    );
    expect(() =>
      foldEvents([enrichedEvent({ seq: 0 }), enrichedEvent({ seq: 1, siteId: 'other-site' })]),
    ).toThrow(SessionMismatchError);
  });
});

describe('per-name activity of a session (custom events, outbound links, engagement per page)', () => {
  const custom = (seq: number, name: string, props?: Record<string, string>) =>
    enrichedEvent({ seq, type: 'custom', name, ...(props === undefined ? {} : { props }) });
  const ping = (seq: number, path: string, engagedMs: number, scrollDepth?: number) =>
    enrichedEvent({
      seq,
      type: 'engagement',
      path,
      engagedMs,
      ...(scrollDepth === undefined ? {} : { scrollDepth }),
    });

  it('counts custom events by name, outbound clicks by url, engaged time (sum) and scroll (max) by page', () => {
    // Arrange
    const events = [
      enrichedEvent({ seq: 0, path: '/' }),
      custom(1, 'signup'),
      custom(2, 'Outbound Link: Click', { url: 'https://github.com/x' }),
      custom(3, 'Outbound Link: Click', { url: 'https://github.com/x' }),
      custom(4, 'signup'),
      ping(5, '/', 4_000, 30),
      ping(6, '/', 2_500, 80),
      ping(7, '/pricing', 1_000, 20),
      ping(8, '/docs', 500),
    ];

    // Act
    const state = foldEvents(events);

    // Assert
    expect(state).toMatchObject({
      eventNames: { signup: 2, 'Outbound Link: Click': 2 },
      outboundLinks: { 'https://github.com/x': 2 },
      pageEngagedMs: { '/': 6_500, '/pricing': 1_000, '/docs': 500 },
      pageScrollDepth: { '/': 80, '/pricing': 20 },
    });
    expect(isValid(SessionStateSchema, state)).toBe(true);
    expect(foldEvents([enrichedEvent({ seq: 0 })])).not.toHaveProperty('eventNames');
  });

  it('keeps at most 8 names per map, the smallest, and folds the rest into (other), in any split', () => {
    // Arrange: 12 names, hostile ones included; 500-byte names are cut.
    const names = [
      '__proto__',
      'constructor',
      ...Array.from({ length: 9 }, (_, i) => `goal ${i}`),
      'é'.repeat(250),
    ];
    const events = names.map((name, seq) => custom(seq, name));

    // Act
    const whole = foldEvents(events);
    const split = combineSessions(foldEvents(events.slice(7)), foldEvents(events.slice(0, 7)));
    const reversed = foldEvents([...events].reverse());

    // Assert
    const counts = whole.eventNames ?? {};
    expect(Object.keys(counts)).toHaveLength(9);
    expect(Object.hasOwn(counts, '__proto__')).toBe(true);
    expect(counts['(other)']).toBe(4);
    expect(Object.values(counts).reduce((a, b) => a + b, 0)).toBe(12);
    expect(split.eventNames).toEqual(whole.eventNames);
    expect(reversed.eventNames).toEqual(whole.eventNames);
    for (const name of Object.keys(counts)) {
      expect(Buffer.byteLength(name, 'utf8')).toBeLessThanOrEqual(160);
    }
  });
});
