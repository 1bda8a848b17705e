/**
 * The tracker (li.js as built) in Debian's Chromium, asserting on the requests it sends — bodies
 * and exact counts — to a recording ingest endpoint on another origin (tracker-test-server.ts).
 * One browser for the file, a fresh context (storage) per test, pages on 127.0.0.1 (data-local).
 * Tests run concurrently (each has its own site id and context): most of their time is the
 * tracker's 1 s batch timer. Waits poll the recording; nothing sleeps.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { QUEUE_SNIPPET } from '../../pipeline/script-tag';
import { buildOne } from '../build/build-tracker';
import {
  launchTrackerChromium,
  startTrackerTestServers,
  until,
  type SentEvent,
  type TrackerTestServers,
} from './tracker-test-server';

let servers: TrackerTestServers;
let browser: Browser;
const contexts: BrowserContext[] = [];
let siteCounter = 0;

beforeAll(async () => {
  servers = await startTrackerTestServers({ '/li.js': buildOne('default').code });
  browser = await launchTrackerChromium();
}, 30_000);

afterAll(async () => {
  await Promise.all(contexts.splice(0).map((context) => context.close()));
  await browser?.close();
  await servers?.close();
});

interface Site {
  readonly id: string;
  readonly key: string;
  /** Registers a fixture page at `/<site id><path>` and returns its URL. */
  page(path: string, options?: PageOptions): string;
  /** Events the endpoint accepted (not refused), in arrival order. */
  accepted(): SentEvent[];
  /** Every event in every request, refused ones included. */
  sent(): SentEvent[];
  requests(): TrackerTestServers['requests'];
}

interface PageOptions {
  readonly title?: string;
  readonly attributes?: string;
  readonly head?: string;
  readonly body?: string;
  /** Inline script before the tracker (e.g. the queue snippet and calls). */
  readonly before?: string;
  readonly headers?: Record<string, string>;
  /** How many script tags (double include). */
  readonly includes?: number;
}

function newSite(): Site {
  siteCounter += 1;
  const id = `browser-site-${siteCounter}`;
  const key = `li_${id}_${'K'.repeat(32)}`;
  const requests = () => servers.requests.filter((request) => request.siteId === id);
  return {
    id,
    key,
    page(path, options = {}) {
      const tag = `<script defer src="/li.js" data-site="${id}" data-key="${key}" data-api="${servers.apiUrl}" data-local ${options.attributes ?? ''}></script>`;
      const html =
        `<!doctype html><html><head><title>${options.title ?? 'Home'}</title>${options.head ?? ''}` +
        `${options.before ?? ''}${tag.repeat(options.includes ?? 1)}</head>` +
        `<body>${options.body ?? '<p>page</p>'}</body></html>`;
      servers.pages.set(`/${id}${path}`, {
        html,
        ...(options.headers ? { headers: options.headers } : {}),
      });
      return `${servers.siteUrl}/${id}${path}`;
    },
    accepted: () =>
      requests().flatMap((request) =>
        request.events.filter((_, index) => request.status < 300 && !request.refused.has(index)),
      ),
    sent: () => requests().flatMap((request) => request.events),
    requests,
  };
}

async function newPage(init?: string): Promise<Page> {
  const context = await browser.newContext();
  contexts.push(context);
  if (init !== undefined) await context.addInitScript(init);
  return context.newPage();
}

const pathOf = (event: SentEvent): string => new URL(event.url).pathname.replace(/^\/[^/]+/, '');
const pageviews = (site: Site): string[] =>
  site
    .accepted()
    .filter((event) => event.type === 'pageview')
    .map(pathOf);

/** Polls until the endpoint accepted `count` events matching `filter`, then returns them. */
async function acceptedWhere(
  site: Site,
  count: number,
  filter: (event: SentEvent) => boolean = () => true,
): Promise<SentEvent[]> {
  return until(
    () => {
      const events = site.accepted().filter(filter);
      return events.length >= count && events;
    },
    `${count} accepted events on ${site.id}; have ${JSON.stringify(site.accepted().map((e) => [e.type, pathOf(e), e['name']]))}`,
  );
}

/** Each eventId accepted exactly once, and seqs unique per session. */
function expectNoDuplicates(site: Site): void {
  const ids = site.accepted().map((event) => event.eventId);
  expect(new Set(ids).size).toBe(ids.length);
  const seqs = site.accepted().map((event) => `${event.sessionId}/${event.seq}`);
  expect(new Set(seqs).size).toBe(seqs.length);
}

/** The page's queued (not yet sent) events: sessionStorage `li` = [session, queue]. */
async function queuedIn(page: Page): Promise<unknown[]> {
  return page.evaluate(
    `(() => { const stored = sessionStorage.getItem('li'); return stored === null ? [] : (JSON.parse(stored)[1] || []); })()`,
  );
}

const trackerRunning = (page: Page): Promise<boolean> => page.evaluate('window.li?.l === 1');

/** The tracker decided this page sends nothing: it says so with data-debug. */
function offMessage(page: Page): Promise<unknown> {
  return new Promise((resolve) =>
    page.on('console', (message) => {
      if (message.text() === 'li off') resolve(true);
    }),
  );
}

describe('tracker in Chromium: counting', () => {
  it.concurrent(
    'sends the first view as a simple cross-origin request: text/plain, key in the query, no preflight',
    async () => {
      const site = newSite();
      const page = await newPage();
      const url = site.page('/home', { title: 'Welcome' });
      await page.goto(url);
      const [view] = await acceptedWhere(site, 1);

      expect(site.requests()).toHaveLength(1);
      const request = site.requests()[0]!;
      expect(request.method).toBe('POST');
      expect(request.key).toBe(site.key);
      expect(request.contentType).toBe('text/plain;charset=UTF-8');
      expect(request.origin).toBe(servers.siteUrl);
      expect(servers.requests.filter((r) => r.method === 'OPTIONS')).toHaveLength(0);
      expect(view).toEqual({
        eventId: expect.stringMatching(/^[A-Za-z0-9_-]{16,64}$/),
        sessionId: expect.stringMatching(/^[A-Za-z0-9_-]{8,64}$/),
        seq: 0,
        type: 'pageview',
        ts: expect.any(Number),
        url,
        title: 'Welcome',
        screen: { w: expect.any(Number), h: expect.any(Number) },
        lang: expect.any(String),
      });
    },
  );

  it.concurrent(
    'counts SPA navigation once each: pushState, replaceState only on a path change, back and forward; not query or hash changes',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(site.page('/spa'));
      await acceptedWhere(site, 1);
      const base = `/${site.id}/spa`;
      const step = async (code: string, views: number): Promise<void> => {
        await page.evaluate(code);
        // Queued or sent: either way counted; waiting on both keeps each step under the 1 s batch timer.
        await until(async () => {
          const queued = (await queuedIn(page)) as SentEvent[];
          const all = [
            ...site.sent(),
            ...queued.filter((q) => !site.sent().some((s) => s.eventId === q.eventId)),
          ];
          return all.filter((event) => event.type === 'pageview').length >= views;
        }, `${views} page views after ${code}`);
      };
      // The router sets the title after pushState: the view still carries the new title.
      await step(
        `history.pushState({}, '', '${base}/a'); setTimeout(() => { document.title = 'Page A'; }, 20)`,
        2,
      );
      // Not views (a view is queued at once, inside the history call):
      await page.evaluate(`history.pushState({}, '', '${base}/a?tab=2')`);
      await page.evaluate(`history.replaceState({}, '', '${base}/a?tab=3')`);
      await page.evaluate(`location.hash = 'section'`);
      await step('0', 2);
      expect(
        [...site.sent(), ...((await queuedIn(page)) as SentEvent[])].filter(
          (event) => event.type === 'pageview' && event.url.includes('tab='),
        ),
      ).toEqual([]);
      await step(`history.replaceState({}, '', '${base}/b')`, 3);
      await step('history.back()', 4);
      await step('history.forward()', 5);
      await acceptedWhere(site, 5, (event) => event.type === 'pageview');

      expect(pageviews(site)).toEqual(['/spa', '/spa/a', '/spa/b', '/spa/a', '/spa/b']);
      const views = site.accepted().filter((event) => event.type === 'pageview');
      expect(views[1]!['title']).toBe('Page A');
      expect(views.map((event) => event.url.split('?')[1])).toEqual([
        undefined,
        undefined,
        undefined,
        'tab=3',
        undefined,
      ]);
      // Engagement of the page being left goes with its own URL, before the next view.
      const engagement = site.accepted().filter((event) => event.type === 'engagement');
      for (const event of engagement) expect(pageviews(site)).toContain(pathOf(event));
      expectNoDuplicates(site);
    },
  );

  it.concurrent(
    'counts hash changes as views with data-hash, keeping the hash in the URL',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(site.page('/app', { attributes: 'data-hash' }));
      await acceptedWhere(site, 1);
      await page.evaluate(`location.hash = '/settings'`);
      const views = await acceptedWhere(site, 2, (event) => event.type === 'pageview');
      expect(views[1]!.url).toBe(`${servers.siteUrl}/${site.id}/app#/settings`);
      expect(views).toHaveLength(2);
    },
  );

  it.concurrent(
    'counts a restore from the back/forward cache as a new view, the session and seq carrying on',
    async () => {
      const site = newSite();
      const page = await newPage();
      const b = site.page('/bf-b');
      await page.goto(
        site.page('/bf-a', {
          head: `<script>addEventListener('pageshow', (e) => { window.restored = e.persisted; });</script>`,
          body: `<a id="next" href="${b}">next</a>`,
        }),
      );
      await acceptedWhere(site, 1);
      await page.click('#next');
      await acceptedWhere(site, 2, (event) => event.type === 'pageview');
      // A restore fires no load event: wait for the commit, then for the tracker's view.
      await page.goBack({ waitUntil: 'commit' });
      await acceptedWhere(site, 3, (event) => event.type === 'pageview');

      expect(await page.evaluate('window.restored')).toBe(true);
      expect(pageviews(site)).toEqual(['/bf-a', '/bf-b', '/bf-a']);
      const sessions = new Set(site.accepted().map((event) => event.sessionId));
      expect(sessions.size).toBe(1);
      const seqs = site
        .accepted()
        .map((event) => event.seq)
        .sort((x, y) => x - y);
      expect(seqs).toEqual(seqs.map((_, index) => index));
      expectNoDuplicates(site);
    },
  );

  it.concurrent(
    'counts a prerendered page only once shown (simulated: document.prerendering and prerenderingchange set by the test)',
    async () => {
      // Headless Chromium fetches speculation-rules prerenders but does not activate them, so the
      // page is told it is prerendering the way Chromium tells it, and then activated.
      const page = await newPage(`
      let prerendering = true;
      Object.defineProperty(Document.prototype, 'prerendering', { get: () => prerendering, configurable: true });
      window.activatePrerender = () => { prerendering = false; document.dispatchEvent(new Event('prerenderingchange')); };
    `);
      const site = newSite();
      await page.goto(site.page('/pre'));
      await until(() => trackerRunning(page), 'the tracker to run');
      expect(await queuedIn(page)).toEqual([]);
      expect(site.sent()).toEqual([]);

      await page.evaluate('window.activatePrerender()');
      await acceptedWhere(site, 1);
      expect(pageviews(site)).toEqual(['/pre']);
    },
  );

  it.concurrent(
    'runs once when the script is included twice: one view per navigation',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(site.page('/twice', { includes: 2 }));
      await acceptedWhere(site, 1);
      await page.evaluate(`history.pushState({}, '', '/${site.id}/twice/next')`);
      await acceptedWhere(site, 2, (event) => event.type === 'pageview');
      await page.evaluate(`li('sentinel')`);
      await acceptedWhere(site, 1, (event) => event['name'] === 'sentinel');
      expect(pageviews(site)).toEqual(['/twice', '/twice/next']);
    },
  );

  it.concurrent(
    'skips pages of automated browsers unless data-allow-automation, then marks events automation: true',
    async () => {
      const webdriver = `Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => true });`;
      const skipped = newSite();
      const page = await newPage(webdriver);
      const off = offMessage(page);
      await page.goto(skipped.page('/bot', { attributes: 'data-debug' }));
      await off;
      expect(await queuedIn(page)).toEqual([]);

      const counted = newSite();
      await page.goto(counted.page('/bot', { attributes: 'data-allow-automation' }));
      const [view] = await acceptedWhere(counted, 1);
      expect(view!['automation']).toBe(true);
      expect(skipped.sent()).toEqual([]);
    },
  );

  it.concurrent('skips local pages without data-local and frames without data-iframe', async () => {
    const site = newSite();
    const page = await newPage();
    const off = offMessage(page);
    const framed = site.page('/framed', { attributes: 'data-debug' });
    servers.pages.set(`/${site.id}/local`, {
      html: `<!doctype html><title>local</title><script defer src="/li.js" data-site="${site.id}" data-key="${site.key}" data-api="${servers.apiUrl}" data-debug></script>`,
    });
    await page.goto(`${servers.siteUrl}/${site.id}/local`);
    await off;
    const frameOff = new Promise((resolve) =>
      page.on('console', (m) => m.text() === 'li off' && resolve(true)),
    );
    await page.setContent(`<iframe src="${framed}"></iframe>`);
    await frameOff;
    expect(site.sent()).toEqual([]);
  });
});

describe('tracker in Chromium: events', () => {
  it.concurrent(
    'keeps li() calls made before the script loaded, checking the contract limits',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(
        site.page('/queued', {
          before: `${QUEUE_SNIPPET}<script>li('Signup', { props: { plan: 'pro', seats: 3, trial: false, nested: { no: 1 }, 'bad key!': 1 } }); li(''); li('x'.repeat(129));</script>`,
        }),
      );
      const events = await acceptedWhere(site, 2);
      expect(events.map((event) => [event.type, event.seq])).toEqual([
        ['pageview', 0],
        ['custom', 1],
      ]);
      expect(events[1]).toMatchObject({
        name: 'Signup',
        props: { plan: 'pro', seats: 3, trial: false },
      });
      expect(Object.keys(events[1]!['props'] as object)).toHaveLength(3);
    },
  );

  it.concurrent(
    'sends outbound-link (click and middle-click), file-download and data-li-event clicks without holding the navigation',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(
        site.page('/links', {
          body: `<button id="tagged" data-li-event="Signup" data-li-props='{"plan":"pro"}'>go</button>
        <a id="pdf" href="/files/report.pdf" target="_blank">pdf</a>
        <a id="middle" href="${servers.apiUrl}/elsewhere/middle">middle</a>
        <a id="out" href="${servers.apiUrl}/elsewhere/left">out</a>`,
        }),
      );
      await acceptedWhere(site, 1);
      await page.click('#tagged');
      await page.click('#pdf');
      await page.click('#middle', { button: 'middle' });
      await page.click('#out');
      await page.waitForURL(`${servers.apiUrl}/elsewhere/left`);
      const custom = await acceptedWhere(site, 4, (event) => event.type === 'custom');
      expect(custom.map((event) => [event['name'], event['props']])).toEqual([
        ['Signup', { plan: 'pro' }],
        ['File Download', { url: `${servers.siteUrl}/files/report.pdf` }],
        ['Outbound Link: Click', { url: `${servers.apiUrl}/elsewhere/middle` }],
        ['Outbound Link: Click', { url: `${servers.apiUrl}/elsewhere/left` }],
      ]);
    },
  );

  it.concurrent(
    'sends engagement (engaged time, scroll depth) for the page being left when it is hidden',
    async () => {
      const site = newSite();
      const page = await newPage();
      const url = site.page('/long', { body: '<div style="height: 4000px">tall</div>' });
      await page.goto(url);
      await acceptedWhere(site, 1);
      await page.evaluate('window.scrollTo(0, 1040)');
      await until(() => page.evaluate('scrollY > 1000'), 'the scroll');
      const expectedDepth = await page.evaluate(
        'Math.round((scrollY + innerHeight) / document.documentElement.scrollHeight * 100)',
      );
      await page.goto(`${servers.apiUrl}/elsewhere`);
      const [engagement] = await acceptedWhere(site, 1, (event) => event.type === 'engagement');
      expect(engagement!.url).toBe(url);
      expect(engagement!['engagedMs']).toBeGreaterThan(0);
      expect(engagement!['scrollDepth']).toBe(expectedDepth);
      expect(site.accepted().filter((event) => event.type === 'engagement')).toHaveLength(1);
    },
  );
});

describe('tracker in Chromium: delivery', () => {
  it.concurrent(
    'keeps events through an offline spell and sends each exactly once when back online',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(site.page('/net'));
      await acceptedWhere(site, 1);
      await page.context().setOffline(true);
      await page.evaluate(`history.pushState({}, '', '/${site.id}/net/a'); li('while-offline')`);
      await until(
        async () =>
          ((await queuedIn(page)) as SentEvent[]).some((event) => event.type === 'pageview'),
        'the view queued while offline',
      );
      expect(site.sent()).toHaveLength(1);
      await page.context().setOffline(false);
      await acceptedWhere(site, 2, (event) => event.type === 'pageview');
      await acceptedWhere(site, 1, (event) => event['name'] === 'while-offline');
      expect(pageviews(site)).toEqual(['/net', '/net/a']);
      expectNoDuplicates(site);
      expect(site.sent().length).toBe(site.accepted().length);
    },
  );

  it.concurrent(
    'after a network error (the connection dropped) sends the same events again, once accepted',
    async () => {
      const site = newSite();
      servers.answerNext(site.id, () => ({ status: 0 }));
      const page = await newPage();
      await page.goto(site.page('/dropped'));
      await acceptedWhere(site, 1);
      const [dropped, retried] = site.requests();
      expect(dropped!.status).toBe(0);
      expect(retried!.events).toEqual(dropped!.events);
      expect(site.requests()).toHaveLength(2);
      expectNoDuplicates(site);
    },
  );

  it.concurrent(
    'after a 207 resends exactly the refused events, with the same eventIds',
    async () => {
      const site = newSite();
      servers.answerNext(site.id, (events) => ({
        status: 207,
        body: {
          accepted: events.length - 1,
          failed: [{ index: 1, errorCode: 'ProvisionedThroughputExceededException' }],
        },
      }));
      const page = await newPage();
      await page.goto(
        site.page('/partial', { before: `${QUEUE_SNIPPET}<script>li('one'); li('two');</script>` }),
      );
      await acceptedWhere(site, 3);
      const [first, second] = site.requests();
      expect(first!.events.map((event) => event['name'] ?? event.type)).toEqual([
        'pageview',
        'one',
        'two',
      ]);
      expect(second!.events).toEqual([first!.events[1]]);
      expect(site.requests()).toHaveLength(2);
      expectNoDuplicates(site);
    },
  );

  it.concurrent(
    'after a 429 waits the Retry-After seconds, then resends the same events',
    async () => {
      const site = newSite();
      servers.answerNext(site.id, () => ({
        status: 429,
        headers: { 'Retry-After': '1' },
        body: { error: { code: 'TooManyRequests', message: 'slow down' } },
      }));
      const page = await newPage();
      await page.goto(site.page('/throttled'));
      await acceptedWhere(site, 1);
      const [refused, retried] = site.requests();
      expect(refused!.status).toBe(429);
      expect(retried!.events).toEqual(refused!.events);
      expect(retried!.at - refused!.at).toBeGreaterThanOrEqual(950);
    },
  );
});

describe('tracker in Chromium: the host page and privacy', () => {
  it.concurrent(
    'works on a page whose own scripts throw and wrap history, and never changes what history calls return',
    async () => {
      const site = newSite();
      const page = await newPage();
      await page.goto(
        site.page('/host', {
          before: `<script>throw new Error('host page error before the tracker');</script>
        <script>const native = history.pushState;
          history.pushState = function (...a) { native.apply(this, a); return 'the host router result'; };
          addEventListener('popstate', () => { throw new Error('host popstate handler'); });
          document.addEventListener('click', () => { throw new Error('host click handler'); });</script>`,
          body: `<script>window.addEventListener('load', () => {
          const own = history.pushState;
          history.pushState = function (...a) { window.routed = (window.routed || 0) + 1; return own.apply(this, a); };
        });</script><button id="b" data-li-event="Clicked">b</button>`,
        }),
      );
      await acceptedWhere(site, 1);
      const returned = await page.evaluate(`history.pushState({ n: 1 }, '', '/${site.id}/host/x')`);
      // The page's own (earlier) wrapper answers a value: ours passes it through.
      expect(returned).toBe('the host router result');
      expect(await page.evaluate('history.state')).toEqual({ n: 1 });
      expect(await page.evaluate('window.routed')).toBe(1);
      await page.click('#b');
      await page.evaluate('history.back()');
      await acceptedWhere(site, 3, (event) => event.type === 'pageview');
      expect(pageviews(site)).toEqual(['/host', '/host/x', '/host']);
      await acceptedWhere(site, 1, (event) => event['name'] === 'Clicked');
    },
  );

  it.concurrent(
    'works under a strict Content-Security-Policy (no inline script, connect-src the API only)',
    async () => {
      const site = newSite();
      const page = await newPage(
        `window.violations = []; document.addEventListener('securitypolicyviolation', (e) => window.violations.push(e.violatedDirective));`,
      );
      await page.goto(
        site.page('/csp', {
          headers: {
            'Content-Security-Policy': `default-src 'none'; script-src 'self'; connect-src ${servers.apiUrl}`,
          },
        }),
      );
      await acceptedWhere(site, 1);
      await page.evaluate(`history.pushState({}, '', '/${site.id}/csp/next')`);
      await acceptedWhere(site, 2, (event) => event.type === 'pageview');
      expect(await page.evaluate('window.violations')).toEqual([]);
    },
  );

  it.concurrent(
    'sends nothing while the opt-out flag is set in localStorage; li("optin") resumes',
    async () => {
      const site = newSite();
      const page = await newPage(`localStorage.setItem('li_optout', '1');`);
      await page.goto(site.page('/private'));
      await until(() => trackerRunning(page), 'the tracker to run');
      await page.evaluate(`li('pageview'); li('while-opted-out'); li('optin')`);
      await page.evaluate(`li('after-optin')`);
      await acceptedWhere(site, 1);
      expect(site.sent().map((event) => event['name'])).toEqual(['after-optin']);
      expect(await page.evaluate(`localStorage.getItem('li_optout')`)).toBeNull();
    },
  );

  it.concurrent(
    'with data-dnt sends nothing under Do Not Track or Global Privacy Control (set by the test), and ignores them without it',
    async () => {
      const page = await newPage(`
      Object.defineProperty(Navigator.prototype, 'doNotTrack', { get: () => '1' });
      Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true });`);
      const respecting = newSite();
      const off = offMessage(page);
      await page.goto(respecting.page('/dnt', { attributes: 'data-dnt data-debug' }));
      await off;
      const ignoring = newSite();
      await page.goto(ignoring.page('/dnt'));
      await acceptedWhere(ignoring, 1);
      expect(respecting.sent()).toEqual([]);
    },
  );
});
