/** Typed factories for what the edge puts on Kinesis: tracker events wrapped as edge records. */
import type {
  CustomEvent,
  EdgeRecord,
  EngagementEvent,
  PageviewEvent,
  TrackerEvent,
} from '../../schemas';

/** 2025-11-13T02:13:20Z: an arbitrary fixed instant; nothing in unit tests reads the clock. */
export const RECEIVED_AT = 1_763_000_000_000;

export const USER_AGENTS = {
  chromeWindows:
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
  safariIphone:
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  safariIpad:
    'Mozilla/5.0 (iPad; CPU OS 17_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Mobile/15E148 Safari/604.1',
  chromeAndroid:
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Mobile Safari/537.36',
  firefoxMac: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14.1; rv:121.0) Gecko/20100101 Firefox/121.0',
  smartTv:
    'Mozilla/5.0 (SMART-TV; Linux; Tizen 6.0) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/4.0 Chrome/76.0.3809.146 TV Safari/537.36',
  googlebot: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  headlessChrome:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  lighthouse:
    'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
  lighthouseDesktop:
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/119.0.0.0 Safari/537.36 Lighthouse',
  puppeteer:
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Puppeteer',
  curl: 'curl/8.4.0',
} as const;

const base = {
  eventId: 'evt_0123456789abcdef',
  sessionId: 'sess_01234567',
  seq: 0,
  ts: RECEIVED_AT - 150,
  url: 'https://shop.example.com/products/1',
  referrer: 'https://www.google.com/',
  title: 'Product 1',
  screen: { w: 1440, h: 900 },
  lang: 'en-GB',
};

export function pageviewEvent(overrides: Partial<PageviewEvent> = {}): PageviewEvent {
  return { ...base, type: 'pageview', ...overrides };
}

export function engagementEvent(overrides: Partial<EngagementEvent> = {}): EngagementEvent {
  return { ...base, type: 'engagement', engagedMs: 4_000, ...overrides };
}

export function customEvent(overrides: Partial<CustomEvent> = {}): CustomEvent {
  return { ...base, type: 'custom', name: 'signup', props: { plan: 'pro' }, ...overrides };
}

export function edgeRecord(
  overrides: Partial<Omit<EdgeRecord, 'event'>> & { event?: TrackerEvent } = {},
): EdgeRecord {
  return {
    v: 1,
    siteId: 'demo-shop',
    receivedAt: RECEIVED_AT,
    requestId: 'req_7f3c2a',
    sourceIp: '203.0.113.42',
    userAgent: USER_AGENTS.chromeWindows,
    country: 'DE',
    event: pageviewEvent(),
    ...overrides,
  };
}

/** A valid event id for `n` (16+ characters from [A-Za-z0-9_-]). */
export function eventIdFor(n: number, prefix = 'evt'): string {
  return `${prefix}_${String(n).padStart(16, '0')}`;
}
