/**
 * Who visits the reference site: user agents, countries and landing referrers, with shares that
 * roughly follow public web statistics (StatCounter-style browser/OS shares, ~3 % bots that run
 * JavaScript). Good enough to exercise every enrichment path in realistic proportions.
 */
import type { DeviceType } from '../../schemas';

export interface UserAgentShare {
  readonly weight: number;
  readonly userAgent: string;
  readonly device: DeviceType;
}

export const USER_AGENT_MIX: readonly UserAgentShare[] = [
  {
    weight: 22,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 6,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
  },
  {
    weight: 6,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0',
  },
  {
    weight: 4,
    device: 'desktop',
    userAgent: 'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0',
  },
  {
    weight: 7,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
  },
  {
    weight: 6,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 2,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 18,
    device: 'mobile',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 5,
    device: 'mobile',
    userAgent:
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.6 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 10,
    device: 'mobile',
    userAgent:
      'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36',
  },
  {
    weight: 3,
    device: 'mobile',
    userAgent:
      'Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36',
  },
  {
    weight: 3,
    device: 'tablet',
    userAgent:
      'Mozilla/5.0 (iPad; CPU OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
  },
  {
    weight: 1,
    device: 'tablet',
    userAgent:
      'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 1,
    device: 'other',
    userAgent: 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  },
  {
    weight: 1,
    device: 'desktop',
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/131.0.0.0 Safari/537.36',
  },
  {
    weight: 1,
    device: 'mobile',
    userAgent:
      'Mozilla/5.0 (Linux; Android 11; moto g power (2022)) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile Safari/537.36 Chrome-Lighthouse',
  },
];

export const COUNTRY_MIX: readonly { readonly weight: number; readonly country: string }[] = [
  { weight: 30, country: 'US' },
  { weight: 10, country: 'DE' },
  { weight: 9, country: 'GB' },
  { weight: 7, country: 'FR' },
  { weight: 6, country: 'IN' },
  { weight: 5, country: 'BR' },
  { weight: 4, country: 'CA' },
  { weight: 3, country: 'NL' },
  { weight: 3, country: 'JP' },
  { weight: 3, country: 'ES' },
  { weight: 2, country: 'AU' },
  { weight: 2, country: 'PL' },
  { weight: 2, country: 'SE' },
  // The CDN could not tell.
  { weight: 3, country: '' },
];

/** How a session lands: its referrer and the query string on its landing URL. */
export interface LandingShare {
  readonly weight: number;
  readonly referrer?: string;
  readonly query?: string;
}

export const LANDING_MIX: readonly LandingShare[] = [
  { weight: 33 },
  { weight: 24, referrer: 'https://www.google.com/' },
  { weight: 3, referrer: 'https://www.google.de/' },
  { weight: 2, referrer: 'https://www.google.co.uk/' },
  { weight: 3, referrer: 'https://www.bing.com/' },
  { weight: 2, referrer: 'https://duckduckgo.com/' },
  { weight: 4, referrer: 'https://l.facebook.com/' },
  { weight: 2, referrer: 'https://www.instagram.com/' },
  { weight: 3, referrer: 'https://t.co/' },
  { weight: 2, referrer: 'https://www.linkedin.com/' },
  { weight: 2, referrer: 'https://www.reddit.com/' },
  { weight: 2, referrer: 'https://news.ycombinator.com/' },
  { weight: 5, query: 'utm_source=newsletter&utm_medium=email&utm_campaign=winter-sale' },
  {
    weight: 4,
    referrer: 'https://www.google.com/',
    query: 'utm_source=google&utm_medium=cpc&utm_campaign=brand&gclid=Cj0KCQiA',
  },
  { weight: 1, referrer: 'android-app://com.google.android.gm/' },
  { weight: 4, referrer: 'https://blog.partner-site.example/best-running-shoes-2025' },
  { weight: 2, referrer: 'https://forum.runners.example/t/which-shoes/4411' },
];

/** Pages of the reference shop: [path, title]. */
export const PAGES: readonly (readonly [string, string])[] = [
  ['/', 'Example Shop – Running gear for every distance'],
  ['/pricing', 'Membership pricing – Example Shop'],
  ['/cart', 'Your cart – Example Shop'],
  ['/checkout', 'Checkout – Example Shop'],
  ['/blog', 'Journal – Example Shop'],
  ['/blog/how-to-choose-running-shoes', 'How to choose running shoes – Example Shop Journal'],
  ['/blog/marathon-training-plan', 'A 16-week marathon training plan – Example Shop Journal'],
  ...Array.from(
    { length: 30 },
    (_, i) => [`/products/${1000 + i}`, `Trail runner model ${i + 1} – Example Shop`] as const,
  ),
  ...['shoes', 'jackets', 'watches', 'socks'].map(
    (c) => [`/collections/${c}`, `All ${c} – Example Shop`] as const,
  ),
];

export const CUSTOM_EVENTS: readonly {
  readonly name: string;
  readonly props: Readonly<Record<string, string | number | boolean>>;
}[] = [
  { name: 'add_to_cart', props: { sku: 'TR-1042-BLU-44', price: 129.95, currency: 'EUR' } },
  { name: 'video_play', props: { video: 'product-360', autoplay: false } },
  { name: 'search', props: { query: 'waterproof trail shoes', results: 14 } },
  { name: 'signup', props: { plan: 'member', source: 'footer' } },
];
