/**
 * The rollup's promise: counters moved by one delta per ActiveSessions change answer `/realtime`
 * as a direct count over the sessions' latest images would — for any history of changes
 * (inserts, modifies, removes), any write times up to the read, any read time.
 */
import fc from 'fast-check';
import { CURRENT_VISITOR_WINDOW_MS } from './activity';
import { epochMinute } from '../session-aggregate';
import { answerFromRollup } from './rollup-answer';
import {
  bucketRange,
  changeDelta,
  mergeInto,
  visibleFrom,
  type RollupSessionImage,
  type SiteDelta,
} from './rollup';

const MINUTE_MS = 60_000;
const START_MS = Date.UTC(2026, 10, 22, 9, 0, 0);

const stepArb = fc.record({
  // Whole and round seconds, so that reads often fall on an expiry's very second.
  gapMs: fc.integer({ min: 0, max: 72 }).map((tens) => tens * 10_000),
  interaction: fc.boolean(),
  pageview: fc.boolean(),
  page: fc.constantFrom('/', '/pricing', '/docs', ''),
  custom: fc.constantFrom(undefined, 'signup', 'Outbound Link: Click'),
  link: fc.constantFrom('https://a.example/', 'https://b.example/x'),
  engagedMs: fc.option(fc.integer({ min: 0, max: 9_000 }), { nil: undefined }),
  scrollDepth: fc.option(fc.integer({ min: 0, max: 100 }), { nil: undefined }),
});

const sessionArb = fc.record({
  startOffsetMs: fc.integer({ min: 0, max: 50 * MINUTE_MS }),
  isBot: fc.boolean(),
  source: fc.constantFrom('direct', 'google', 'news.example'),
  deviceType: fc.constantFrom('desktop', 'mobile'),
  country: fc.constantFrom('DE', 'FR', 'unknown'),
  browser: fc.constantFrom('Chrome', 'Firefox'),
  os: fc.constantFrom('Windows', 'iOS'),
  steps: fc.array(stepArb, { minLength: 1, maxLength: 5 }),
  removed: fc.boolean(),
});

type Session = typeof sessionArb extends fc.Arbitrary<infer T> ? T : never;

/** The images one session goes through, oldest first. */
function imagesOf(session: Session): RollupSessionImage[] {
  const images: RollupSessionImage[] = [];
  let at = START_MS + session.startOffsetMs;
  let lastInteractionAt = 0;
  let currentPage = '';
  const pageviewMinutes: Record<string, number> = {};
  const eventNames: Record<string, number> = {};
  const outboundLinks: Record<string, number> = {};
  const pageEngagedMs: Record<string, number> = {};
  const pageScrollDepth: Record<string, number> = {};
  for (const step of session.steps) {
    at += step.gapMs;
    if (step.custom !== undefined) {
      eventNames[step.custom] = (eventNames[step.custom] ?? 0) + 1;
      if (step.custom === 'Outbound Link: Click') {
        outboundLinks[step.link] = (outboundLinks[step.link] ?? 0) + 1;
      }
    }
    // An engagement event measures the page the session is on (`/` before any page view).
    const engagedOn = currentPage === '' ? '/' : currentPage;
    if (step.engagedMs !== undefined) {
      pageEngagedMs[engagedOn] = (pageEngagedMs[engagedOn] ?? 0) + step.engagedMs;
      if (step.scrollDepth !== undefined) {
        pageScrollDepth[engagedOn] = Math.max(pageScrollDepth[engagedOn] ?? 0, step.scrollDepth);
      }
    }
    if (step.pageview) {
      const minute = String(epochMinute(at));
      pageviewMinutes[minute] = (pageviewMinutes[minute] ?? 0) + 1;
      currentPage = step.page;
    }
    if (step.interaction || step.pageview) lastInteractionAt = at;
    images.push({
      expiresAt: Math.floor(at / 1000) + 30 * 60,
      lastInteractionAt,
      isBot: session.isBot,
      currentPage,
      source: session.source,
      deviceType: session.deviceType,
      country: session.country,
      browser: session.browser,
      os: session.os,
      pageviewMinutes: { ...pageviewMinutes },
      eventNames: { ...eventNames },
      outboundLinks: { ...outboundLinks },
      pageEngagedMs: { ...pageEngagedMs },
      pageScrollDepth: { ...pageScrollDepth },
    });
  }
  return images;
}

/** The counts the rollup's definitions give, straight from the latest images. */
function expected(sessions: readonly Session[], nowMs: number) {
  const nowSecond = Math.floor(nowMs / 1000);
  const nowMinute = epochMinute(nowMs);
  let active = 0;
  let bots = 0;
  let current = 0;
  const perMinute = new Array<number>(30).fill(0);
  const pages = new Map<string, number>();
  const browsers = new Map<string, number>();
  const customEvents = new Map<string, { sessions: number; events: number }>();
  const links = new Map<string, { sessions: number; events: number }>();
  const engaged = new Map<
    string,
    { sessions: number; ms: number; scrolled: number; depth: number }
  >();
  const tally = (
    into: Map<string, { sessions: number; events: number }>,
    counts: Readonly<Record<string, number>> | undefined,
  ) => {
    for (const [name, n] of Object.entries(counts ?? {})) {
      const row = into.get(name) ?? { sessions: 0, events: 0 };
      into.set(name, { sessions: row.sessions + 1, events: row.events + n });
    }
  };
  for (const session of sessions) {
    const images = imagesOf(session);
    const last = images[images.length - 1] as RollupSessionImage;
    // Page views count once they happened, also when the item was removed since.
    if (!last.isBot) {
      for (const [minute, n] of Object.entries(last.pageviewMinutes)) {
        const index = Number(minute) - (nowMinute - 29);
        if (index >= 0 && index < 30) perMinute[index] = (perMinute[index] ?? 0) + n;
      }
    }
    if (session.removed) continue;
    if (last.isBot) {
      if (last.expiresAt > nowSecond) bots += 1;
      continue;
    }
    if (last.expiresAt > nowSecond) active += 1;
    const until = Math.ceil((last.lastInteractionAt + CURRENT_VISITOR_WINDOW_MS) / 1000);
    if (last.lastInteractionAt > 0 && until > nowSecond) current += 1;
    // Breakdowns count a session until the end of the minute it expires in.
    if (Math.floor(last.expiresAt / 60) < nowMinute) continue;
    if (last.currentPage !== '') {
      pages.set(last.currentPage, (pages.get(last.currentPage) ?? 0) + 1);
    }
    browsers.set(session.browser, (browsers.get(session.browser) ?? 0) + 1);
    tally(customEvents, last.eventNames);
    tally(links, last.outboundLinks);
    for (const [page, ms] of Object.entries(last.pageEngagedMs ?? {})) {
      const row = engaged.get(page) ?? { sessions: 0, ms: 0, scrolled: 0, depth: 0 };
      const depth = last.pageScrollDepth?.[page];
      engaged.set(page, {
        sessions: row.sessions + 1,
        ms: row.ms + ms,
        scrolled: row.scrolled + (depth === undefined ? 0 : 1),
        depth: row.depth + (depth ?? 0),
      });
    }
  }
  const pageEngagement = new Map(
    [...engaged].map(([page, row]) => [
      page,
      {
        name: page,
        sessions: row.sessions,
        engagedMs: Math.round(row.ms / row.sessions),
        ...(row.scrolled === 0
          ? {}
          : { scrollDepth: Math.round(row.depth / row.scrolled), scrolledSessions: row.scrolled }),
      },
    ]),
  );
  return { active, bots, current, perMinute, pages, browsers, customEvents, links, pageEngagement };
}

/** A human session active at START_MS on `/`, with one page view then unless overridden. */
function humanImage(overrides: Partial<RollupSessionImage> = {}): RollupSessionImage {
  return {
    expiresAt: Math.floor(START_MS / 1000) + 1800,
    lastInteractionAt: START_MS,
    isBot: false,
    currentPage: '/',
    source: 'direct',
    deviceType: 'desktop',
    country: 'DE',
    pageviewMinutes: { [String(epochMinute(START_MS))]: 1 },
    ...overrides,
  };
}

describe('realtime rollup', () => {
  it('answers as a direct count over the latest images, whatever the history', () => {
    fc.assert(
      fc.property(
        fc.array(sessionArb, { maxLength: 25 }),
        fc.integer({ min: 0, max: 240 }).map((tens) => tens * 10_000 + 0),
        fc.integer({ min: 0, max: 10_000 }),
        (sessions, readOffsetMs, writeLagMs) => {
          // Read after the last activity: a change is never read before it happened.
          const lastActivity = Math.max(
            START_MS,
            ...sessions.map(
              (session) =>
                imagesOf(session).reduce((latest, image) => Math.max(latest, image.expiresAt), 0) *
                1000,
            ),
          );
          const nowMs = lastActivity - 30 * MINUTE_MS + readOffsetMs;
          const counters: SiteDelta = new Map();
          for (const session of sessions) {
            const images = imagesOf(session);
            const changes: [RollupSessionImage | undefined, RollupSessionImage | undefined][] =
              images.map((image, i) => [images[i - 1], image]);
            if (session.removed) changes.push([images[images.length - 1], undefined]);
            for (const [before, after] of changes) {
              // Written at most `writeLagMs` before the read: the writer drops only the past.
              mergeInto(counters, visibleFrom(changeDelta(before, after), nowMs - writeLagMs));
            }
          }
          const range = bucketRange(nowMs);
          const buckets = [...counters]
            .filter(([minute]) => minute >= range.from && minute <= range.to)
            .map(([minute, cells]) => ({ minute, cells }));

          const answer = answerFromRollup(buckets, { siteId: 'site-a', nowMs, rows: 10 });

          const want = expected(sessions, nowMs);
          expect(answer.activeSessions).toBe(want.active);
          expect(answer.bots.sessions).toBe(want.bots);
          expect(answer.currentVisitors).toBe(want.current);
          expect(answer.pageviewsPerMinute).toEqual(want.perMinute);
          expect(new Map(answer.topPages.map((row) => [row.name, row.sessions]))).toEqual(
            want.pages,
          );
          expect(new Map(answer.browsers.map((row) => [row.name, row.sessions]))).toEqual(
            want.browsers,
          );
          const activity = (rows: typeof answer.customEvents) =>
            new Map(rows.map(({ name, sessions, events }) => [name, { sessions, events }]));
          expect(activity(answer.customEvents)).toEqual(want.customEvents);
          expect(activity(answer.outboundLinks)).toEqual(want.links);
          expect(new Map(answer.pageEngagement.map((row) => [row.name, row]))).toEqual(
            want.pageEngagement,
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('moves a session between its two buckets only: the old one loses what the new one gains', () => {
    const before = humanImage();
    const after: RollupSessionImage = {
      ...before,
      expiresAt: before.expiresAt + 120,
      lastInteractionAt: START_MS + 120_000,
      currentPage: '/pricing',
      pageviewMinutes: { ...before.pageviewMinutes, [String(epochMinute(START_MS) + 2)]: 1 },
    };

    const delta = changeDelta(before, after);

    // START_MS is a whole minute: the session expired at second 0 of minute E, current until
    // 25 minutes before that; afterwards both two minutes later.
    const oldMinute = Math.floor(before.expiresAt / 60);
    expect([...delta.keys()]).toEqual([oldMinute, oldMinute + 2]);
    expect(Object.fromEntries(delta.get(oldMinute) ?? [])).toEqual({
      'A:00': -1,
      'C:-1500': -1,
      'P:/': -1,
      'S:direct': -1,
      'D:desktop': -1,
      'K:DE': -1,
    });
    // One new page view, in the minute it happened (E − 30); the earlier one is not counted again.
    expect(Object.fromEntries(delta.get(oldMinute + 2) ?? [])).toEqual({
      'A:00': 1,
      'C:-1500': 1,
      'P:/pricing': 1,
      'S:direct': 1,
      'D:desktop': 1,
      'K:DE': 1,
      'V:-30': 1,
    });
  });

  it('counts a session active up to the second before its expiry, current up to 5 minutes after its last page view', () => {
    const image = humanImage({ pageviewMinutes: {} });
    const counters = changeDelta(undefined, image);
    const at = (nowMs: number) =>
      answerFromRollup(
        [...counters].map(([minute, cells]) => ({ minute, cells })),
        { siteId: 'site-a', nowMs },
      );

    expect(at(START_MS + 30 * MINUTE_MS - 1).activeSessions).toBe(1);
    expect(at(START_MS + 30 * MINUTE_MS).activeSessions).toBe(0);
    expect(at(START_MS + 5 * MINUTE_MS - 1).currentVisitors).toBe(1);
    expect(at(START_MS + 5 * MINUTE_MS).currentVisitors).toBe(0);
  });

  it('writes nothing a reader can no longer see', () => {
    const image = humanImage();

    const removedLater = visibleFrom(changeDelta(image, undefined), START_MS + 31 * MINUTE_MS);
    const insertedLate = visibleFrom(changeDelta(undefined, image), START_MS + 20 * MINUTE_MS);

    expect(removedLater.size).toBe(0);
    // Still active 20 minutes on: its one bucket, page view included, is written.
    expect([...insertedLate.keys()]).toEqual([Math.floor(image.expiresAt / 60)]);
    expect(insertedLate.get(Math.floor(image.expiresAt / 60))?.get('V:-30')).toBe(1);
  });
});
