import { RealtimeAnswerSchema } from '../../schemas/query';
import { isValid } from '../../schemas/validator';
import { aggregateRealtime } from './aggregate';
import { MINUTE_MS, NOW_MS, epochMinute, realtimeView } from './__fixtures__/session-views';

const siteId = 'site-a';

describe('aggregateRealtime', () => {
  it('counts sessions active in 30 minutes and visitors current in 5 minutes, apart', () => {
    // Prepare: one visitor with two sessions now, one session 10 min ago, one 29 min ago.
    const items = [
      realtimeView({ visitorId: 'v-1', agoMs: 30_000 }),
      realtimeView({ visitorId: 'v-1', agoMs: 90_000 }),
      realtimeView({ visitorId: 'v-2', agoMs: 10 * MINUTE_MS }),
      realtimeView({ visitorId: 'v-3', agoMs: 29 * MINUTE_MS }),
    ];

    const answer = aggregateRealtime(items, { siteId, nowMs: NOW_MS });

    expect(answer.activeSessions).toBe(4);
    expect(answer.currentVisitors).toBe(1);
    expect(isValid(RealtimeAnswerSchema, answer)).toBe(true);
  });

  it('leaves out expired items even when a read returns them', () => {
    const expired = realtimeView({ agoMs: 31 * MINUTE_MS });
    const expiringThisSecond = realtimeView({ expiresAt: Math.floor(NOW_MS / 1000) });

    const answer = aggregateRealtime([expired, expiringThisSecond], { siteId, nowMs: NOW_MS });

    expect(answer.activeSessions).toBe(0);
    expect(answer.pageviewsPerMinute.every((n) => n === 0)).toBe(true);
  });

  it('does not make a visitor current on engagement pings alone', () => {
    // Engagement 10 s ago moved lastSeen; the last page view was 6 minutes ago.
    const engagedOnly = realtimeView({
      visitorId: 'reader',
      lastSeen: NOW_MS - 10_000,
      lastInteractionAt: NOW_MS - 6 * MINUTE_MS,
    });
    const neverViewed = realtimeView({ visitorId: 'ping', lastInteractionAt: 0 });

    const answer = aggregateRealtime([engagedOnly, neverViewed], { siteId, nowMs: NOW_MS });

    expect(answer.activeSessions).toBe(2);
    expect(answer.currentVisitors).toBe(0);
  });

  it('buckets page views into 30 minutes ending with the current one', () => {
    const nowMinute = epochMinute(NOW_MS);
    const item = realtimeView({
      pageviewMinutes: {
        [String(nowMinute)]: 2,
        [String(nowMinute - 29)]: 3,
        [String(nowMinute - 30)]: 7, // outside the window
        [String(nowMinute - 5)]: 1,
      },
    });

    const answer = aggregateRealtime([item, item], { siteId, nowMs: NOW_MS });

    expect(answer.pageviewsPerMinute).toHaveLength(30);
    expect(answer.pageviewsPerMinute[29]).toBe(4);
    expect(answer.pageviewsPerMinute[0]).toBe(6);
    expect(answer.pageviewsPerMinute[24]).toBe(2);
    expect(answer.pageviewsPerMinute.reduce((a, b) => a + b, 0)).toBe(12);
    expect(answer.minutesFrom).toBe((nowMinute - 29) * MINUTE_MS);
  });

  it('ranks breakdowns by sessions, ties by name, and caps the rows', () => {
    const items = [
      realtimeView({ currentPage: '/b', source: 'google', deviceType: 'mobile', country: 'US' }),
      realtimeView({ currentPage: '/a', source: 'google', deviceType: 'mobile', country: 'US' }),
      realtimeView({ currentPage: '/a', source: 'direct', deviceType: 'desktop', country: 'FR' }),
      realtimeView({ currentPage: '/c', source: 'bing', deviceType: 'tablet', country: 'DE' }),
    ];

    const answer = aggregateRealtime(items, { siteId, nowMs: NOW_MS, rows: 2 });

    expect(answer.topPages).toEqual([
      { name: '/a', sessions: 2 },
      { name: '/b', sessions: 1 },
    ]);
    expect(answer.topReferrers).toEqual([
      { name: 'google', sessions: 2 },
      { name: 'bing', sessions: 1 },
    ]);
    expect(answer.devices[0]).toEqual({ name: 'mobile', sessions: 2 });
    expect(answer.countries[0]).toEqual({ name: 'US', sessions: 2 });
  });

  it('leaves a session without a page (engagement only) out of the top pages', () => {
    const items = [realtimeView({ currentPage: '' }), realtimeView({ currentPage: '/a' })];

    const answer = aggregateRealtime(items, { siteId, nowMs: NOW_MS });

    expect(answer.activeSessions).toBe(2);
    expect(answer.topPages).toEqual([{ name: '/a', sessions: 1 }]);
  });

  it('reports bots apart and keeps them out of every human figure', () => {
    const items = [
      realtimeView({ visitorId: 'h' }),
      realtimeView({ visitorId: 'b1', isBot: true, currentPage: '/wp-admin' }),
      realtimeView({ visitorId: 'b2', isBot: true }),
      realtimeView({ visitorId: 'b3', isBot: true, agoMs: 40 * MINUTE_MS }), // expired
    ];

    const answer = aggregateRealtime(items, { siteId, nowMs: NOW_MS });

    expect(answer.activeSessions).toBe(1);
    expect(answer.currentVisitors).toBe(1);
    expect(answer.bots).toEqual({ sessions: 2, share: 2 / 3 });
    expect(answer.topPages).toEqual([{ name: '/', sessions: 1 }]);
    expect(answer.pageviewsPerMinute.reduce((a, b) => a + b, 0)).toBe(1);
  });

  it('answers zeros and labelled windows for a site without traffic', () => {
    const answer = aggregateRealtime([], { siteId, nowMs: NOW_MS });

    expect(answer).toMatchObject({
      siteId,
      at: NOW_MS,
      activeSessions: 0,
      currentVisitors: 0,
      bots: { sessions: 0, share: 0 },
      windows: { activeSessionsMinutes: 30, currentVisitorsMinutes: 5 },
    });
    expect(answer.definitions.currentVisitors).toMatch(/5 minutes/);
    expect(answer.definitions.activeSessions).toMatch(/30 minutes/);
  });
});
