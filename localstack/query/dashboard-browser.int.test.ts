/**
 * The live dashboard in a real browser (Debian's Chromium via playwright-core) on the product's
 * path: events POSTed to the local edge → Kinesis → event-source mapping → consumer →
 * ActiveSessions → GET /realtime → the page. The page must show the numbers, and say so clearly
 * when the token is refused or the API is unreachable. Screenshots go to test-artifacts/.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { useTestStack, type TestStack } from '../testing/use-test-stack';
import { waitFor } from '../testing/wait-for';
import { dashboardUrl } from './dashboard-path';
import { launchChromium, type Browser } from './test-support/chromium';
import { startLiveConsumer, type LiveConsumer } from './test-support/live-consumer';
import { startQueryEdge, type QueryEdge } from './test-support/query-edge';

const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
const UA = {
  firefox: 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0',
  iphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1',
  chrome:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
};

let stack: TestStack;
let q: QueryEdge;
let consumer: LiveConsumer;
let browser: Browser;

let eventCounter = 0;
function event(sessionId: string, seq: number, type: string, path: string, extra: object = {}) {
  eventCounter += 1;
  return {
    eventId: `browser-test-event-${String(eventCounter).padStart(6, '0')}`,
    sessionId,
    seq,
    type,
    ts: Date.now(),
    url: `https://shop.example.com${path}`,
    ...extra,
  };
}

async function send(userAgent: string, events: object[], country?: string): Promise<void> {
  const response = await fetch(`${q.url}/events?key=${q.sites.a.ingestKey}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'user-agent': userAgent,
      ...(country === undefined ? {} : { 'cloudfront-viewer-country': country }),
    },
    body: JSON.stringify({ siteId: q.sites.a.siteId, events }),
  });
  if (response.status !== 200) {
    throw new Error(
      `POST /events answered ${response.status} ${await response.text()} (expected 200)`,
    );
  }
}

/** Polls the API (not the page) until the pipeline has delivered, so a failure names the stage. */
async function untilRealtime(
  predicate: (answer: Record<string, unknown>) => boolean,
): Promise<void> {
  let last: unknown;
  await waitFor(
    async () => {
      const response = await fetch(`${q.url}/realtime?siteId=site-a`, {
        headers: { authorization: `Bearer ${q.sites.a.readToken}` },
      });
      last = await response.json();
      return response.status === 200 && predicate(last as Record<string, unknown>);
    },
    () => `events to reach /realtime; last answer ${JSON.stringify(last)}`,
    { timeoutMs: 45_000, intervalMs: 250 },
  );
}

async function textOf(page: Page, testId: string): Promise<string> {
  return ((await page.getByTestId(testId).textContent()) ?? '').trim();
}

async function waitForText(page: Page, testId: string, expected: string): Promise<void> {
  // A locator, not a string predicate: the page's CSP (script-src 'self') forbids eval.
  const exact = new RegExp(`^\\s*${expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`);
  await page.getByTestId(testId).filter({ hasText: exact }).waitFor({ timeout: 20_000 });
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  stack = await useTestStack({ name: 'dashboard-browser' });
  // The stage cache is off so the page shows each refresh's truth; caching is tested elsewhere.
  q = await startQueryEdge(stack, { realtimeCacheTtlMs: 0 });
  consumer = await startLiveConsumer(stack, {
    timing: { pollIntervalMs: 100 },
    batchingWindowSeconds: 0,
  });
  browser = await launchChromium();

  await send(
    UA.firefox,
    [
      event('browser-s1', 0, 'pageview', '/'),
      event('browser-s1', 1, 'pageview', '/pricing'),
      event('browser-s1', 2, 'custom', '/pricing', { name: 'signup' }),
      event('browser-s1', 3, 'custom', '/pricing', {
        name: 'Outbound Link: Click',
        props: { url: 'https://github.com/liveinsight' },
      }),
      event('browser-s1', 4, 'engagement', '/pricing', { engagedMs: 65_000, scrollDepth: 80 }),
    ],
    'DE',
  );
  await send(
    UA.iphone,
    [
      event('browser-s2', 0, 'pageview', '/docs', {
        referrer: 'https://www.google.com/search?q=live',
      }),
    ],
    'FR',
  );
  // Engagement pings only: an active session, not a current visitor.
  await send(
    UA.chrome,
    [event('browser-s3', 0, 'engagement', '/blog', { engagedMs: 4000, scrollDepth: 50 })],
    'DE',
  );
  await send(UA.googlebot, [event('browser-s4', 0, 'pageview', '/')]);
  await untilRealtime((answer) => answer['activeSessions'] === 3);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await consumer?.stop();
  await q?.stop();
  await stack?.dispose();
});

describe('live dashboard in Chromium', () => {
  it('shows active sessions, current visitors, page views and breakdowns sent through the pipeline', async () => {
    const page = await browser.context.newPage();
    await page.goto(dashboardUrl(q.url, 'site-a', q.sites.a.readToken));

    await waitForText(page, 'active-sessions', '3');
    expect(await textOf(page, 'current-visitors')).toBe('2');
    expect(await textOf(page, 'bot-share')).toBe('25%');
    expect(await textOf(page, 'site')).toBe('site-a');
    expect(await page.locator('#bots-definition').textContent()).toMatch(/^1 bot session\. /);
    expect(await page.getByTestId('problem').isHidden()).toBe(true);
    expect(await page.locator('#current-visitors-label').textContent()).toBe(
      'Current visitors (last 5 min)',
    );
    expect(await page.locator('#active-sessions-label').textContent()).toBe(
      'Active sessions (last 30 min)',
    );
    const pages = await page.getByTestId('top-pages').textContent();
    expect(pages).toContain('/pricing');
    expect(pages).toContain('/docs');
    expect(await page.getByTestId('top-referrers').textContent()).toContain('Google');
    expect(await page.getByTestId('devices').textContent()).toMatch(/mobile.*1|desktop.*2/s);
    // Countries by name, code kept; every breakdown names its unit.
    expect(await page.getByTestId('countries').textContent()).toContain('Germany (DE)');
    for (const table of [
      'top-pages',
      'top-referrers',
      'devices',
      'countries',
      'browsers',
      'operating-systems',
    ]) {
      expect(await page.getByTestId(table).locator('th.count').textContent()).toBe('Sessions');
    }
    // What the tracker sends beyond page views: browsers and systems, custom events, outbound
    // links, engaged time and scroll depth per page.
    expect(await page.getByTestId('browsers').textContent()).toMatch(/Firefox\s*1/);
    expect(await page.getByTestId('operating-systems').textContent()).toContain('iOS');
    const rowsOf = (testId: string) =>
      page
        .getByTestId(testId)
        .locator('tbody tr')
        .evaluateAll((rows) =>
          rows.map((tr) => [...tr.querySelectorAll('td')].map((td) => td.textContent)),
        );
    expect(await rowsOf('custom-events')).toEqual([
      ['Outbound Link: Click', '1', '1'],
      ['signup', '1', '1'],
    ]);
    expect(await rowsOf('outbound-links')).toEqual([['https://github.com/liveinsight', '1', '1']]);
    expect(await rowsOf('page-engagement')).toEqual([
      ['/blog', '1', '4 s', '50%'],
      ['/pricing', '1', '1 min 05 s', '80%'],
    ]);
    // Time labels under the chart at equal distances.
    const labelXs = await page
      .locator('[data-testid="pageviews-chart"] text[text-anchor="middle"]')
      .evaluateAll((nodes) => nodes.map((n) => Number(n.getAttribute('x'))));
    expect(labelXs.length).toBeGreaterThanOrEqual(3);
    const gaps = labelXs.slice(1).map((x, i) => Math.abs(x - (labelXs[i] ?? 0)));
    for (const gap of gaps) expect(gap).toBeCloseTo(gaps[0] ?? 0, 6);
    const bars = page.locator('[data-testid="pageviews-chart"] rect');
    expect(await bars.count()).toBe(30);
    const counts = await bars.evaluateAll((nodes) =>
      nodes.map((n) => Number(n.getAttribute('data-count'))),
    );
    expect(counts.reduce((a, b) => a + b, 0)).toBe(3);
    // The token left the address bar as soon as the page read it.
    expect(page.url()).not.toContain('token=');

    await page.screenshot({ path: join(ARTIFACTS, 'dashboard.png'), fullPage: true });
    await page.close();
  });

  it('calls only its own API: an ?api= in the link is ignored and the token goes nowhere else', async () => {
    // Arrange: a crafted link naming another API; every request the page makes is recorded.
    const page = await browser.context.newPage();
    const requested: string[] = [];
    page.on('request', (request) => requested.push(request.url()));
    const link = dashboardUrl(q.url, 'site-a', q.sites.a.readToken).replace(
      '?siteId=site-a',
      `?siteId=site-a&api=${encodeURIComponent('https://evil.example')}`,
    );

    // Act
    await page.goto(link);

    // Assert: the figures come from this API; no request left the page's origin.
    await waitForText(page, 'active-sessions', '3');
    const origin = new URL(q.url).origin;
    expect(requested.length).toBeGreaterThan(0);
    expect(requested.filter((url) => new URL(url).origin !== origin)).toEqual([]);
    expect(requested.some((url) => url.startsWith(`${origin}/realtime?siteId=site-a`))).toBe(true);
    await page.close();
  });

  it('asks for the read token of the site in the link when there is none, keeping the site', async () => {
    // Arrange: a link with a site and no token, in a tab with nothing stored.
    const page = await browser.context.newPage();

    // Act
    await page.goto(`${q.url}/dashboard/?siteId=site-a`);

    // Assert: the site stays (header and form), and the text fits wherever the page is served.
    await waitForText(page, 'problem-title', 'Read token needed');
    expect(await textOf(page, 'site')).toBe('site-a');
    expect(await page.locator('#site-input').inputValue()).toBe('site-a');
    const text = await textOf(page, 'problem-text');
    expect(text).toContain('“site-a”');
    expect(text).not.toContain('npm start');
    expect(await page.locator('#credentials').isVisible()).toBe(true);
    // The form's button is a real button: readable size, the page's accent colour.
    const button = page.locator('#credentials button');
    expect((await button.boundingBox())?.height ?? 0).toBeGreaterThanOrEqual(36);
    expect(
      await button.evaluate(
        (node) => node.ownerDocument.defaultView?.getComputedStyle(node).backgroundColor,
      ),
    ).toBe('rgb(47, 111, 237)');
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-no-token.png') });
    await page.close();
  });

  it('updates on its own when new events arrive', async () => {
    const page = await browser.context.newPage();
    await page.goto(dashboardUrl(q.url, 'site-a', q.sites.a.readToken));
    await waitForText(page, 'active-sessions', '3');

    await send(
      UA.iphone.replace('17_0', '17_1'),
      [event('browser-s5', 0, 'pageview', '/pricing')],
      'US',
    );

    await waitForText(page, 'active-sessions', '4');
    expect(await textOf(page, 'current-visitors')).toBe('3');
    await page.close();
  });

  it('says clearly when the read token is refused, and when it is not a read token at all', async () => {
    const wrong = await browser.context.newPage();
    await wrong.goto(dashboardUrl(q.url, 'site-a', q.sites.b.readToken));
    await waitForText(wrong, 'problem-title', 'Read token refused');
    expect(await wrong.getByTestId('problem').getAttribute('data-kind')).toBe('unauthorized');
    expect(await textOf(wrong, 'active-sessions')).toBe('–');
    // The site stays in the form: only the token is to type again.
    expect(await wrong.locator('#site-input').inputValue()).toBe('site-a');
    expect(await textOf(wrong, 'problem-text')).toContain('“site-a”');
    await wrong.screenshot({ path: join(ARTIFACTS, 'dashboard-wrong-token.png') });

    const ingestKey = await browser.context.newPage();
    await ingestKey.goto(dashboardUrl(q.url, 'site-a', q.sites.a.ingestKey));
    await waitForText(ingestKey, 'problem-title', 'Not a read token');
    // Words for the user, not the API's text for developers (headers and parameters).
    const text = await textOf(ingestKey, 'problem-text');
    expect(text).not.toContain('Authorization');
    expect(text).toContain('ingest key');
    expect(await ingestKey.locator('#site-input').inputValue()).toBe('site-a');
    await ingestKey.screenshot({ path: join(ARTIFACTS, 'dashboard-not-a-token.png') });
    await wrong.close();
    await ingestKey.close();
  });

  it('says clearly when the API is unreachable and keeps the last figures, dimmed', async () => {
    const page = await browser.context.newPage();
    await page.goto(dashboardUrl(q.url, 'site-a', q.sites.a.readToken));
    await waitForText(page, 'active-sessions', '4');

    await q.stop();

    await waitForText(page, 'problem-title', 'API unreachable');
    expect(await page.getByTestId('problem').getAttribute('data-kind')).toBe('unreachable');
    expect(await textOf(page, 'active-sessions')).toBe('4');
    expect(await page.locator('body.stale').count()).toBe(1);
    // No token form: a token cannot help while the API does not answer. Sentences start upper-case.
    expect(await page.locator('#credentials').isHidden()).toBe(true);
    expect(await textOf(page, 'problem-text')).toMatch(/^[A-Z]/);
    await page.screenshot({ path: join(ARTIFACTS, 'dashboard-unreachable.png') });
    await page.close();
  });
});
