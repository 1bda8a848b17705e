/**
 * Where a visit came from: the referrer → source/medium, overridden by UTM parameters.
 *
 * Referrer rules, in order:
 * 1. no referrer (or one that is not a URL) → `direct`/`direct`;
 * 2. the referrer's host is the page's host (ignoring a leading `www.`) → `internal`;
 * 3. a host in KNOWN_REFERRERS (the host or any parent domain; `name.*` matches any public
 *    suffix of one or two short labels, e.g. google.de, google.co.uk) → its source and medium;
 * 4. anything else → `referral`, with the referrer host (without `www.`) as the source.
 *
 * UTM parameters on the page URL win (campaign tagging is deliberate): `utm_source` becomes the
 * source, `utm_medium` maps through UTM_MEDIUMS (cpc → paid, email → email, …; unknown →
 * `campaign`), and `utm_source` alone means medium `campaign`. The referrer host is kept either way.
 */
import type { Medium, TrafficSource } from '../schemas';
import type { Utm } from './page-url';

interface KnownReferrer {
  readonly source: string;
  readonly medium: Medium;
  /** Exact domains (matching subdomains too) or `name.*` for any public suffix. */
  readonly domains: readonly string[];
}

/** A small, documented table: the engines and networks that send most traffic. */
export const KNOWN_REFERRERS: readonly KnownReferrer[] = [
  // Search engines
  { source: 'google', medium: 'search', domains: ['google.*'] },
  { source: 'bing', medium: 'search', domains: ['bing.com'] },
  { source: 'duckduckgo', medium: 'search', domains: ['duckduckgo.com'] },
  { source: 'yahoo', medium: 'search', domains: ['yahoo.*', 'search.yahoo.com'] },
  { source: 'yandex', medium: 'search', domains: ['yandex.*', 'ya.ru'] },
  { source: 'baidu', medium: 'search', domains: ['baidu.com'] },
  { source: 'ecosia', medium: 'search', domains: ['ecosia.org'] },
  { source: 'brave', medium: 'search', domains: ['search.brave.com'] },
  { source: 'startpage', medium: 'search', domains: ['startpage.com'] },
  { source: 'qwant', medium: 'search', domains: ['qwant.com'] },
  { source: 'naver', medium: 'search', domains: ['naver.com'] },
  // Social networks
  { source: 'facebook', medium: 'social', domains: ['facebook.com', 'fb.com', 'fb.me'] },
  { source: 'instagram', medium: 'social', domains: ['instagram.com'] },
  { source: 'twitter', medium: 'social', domains: ['twitter.com', 'x.com', 't.co'] },
  { source: 'linkedin', medium: 'social', domains: ['linkedin.com', 'lnkd.in'] },
  { source: 'reddit', medium: 'social', domains: ['reddit.com'] },
  { source: 'pinterest', medium: 'social', domains: ['pinterest.*'] },
  { source: 'youtube', medium: 'social', domains: ['youtube.com', 'youtu.be'] },
  { source: 'tiktok', medium: 'social', domains: ['tiktok.com'] },
  { source: 'hacker news', medium: 'social', domains: ['news.ycombinator.com'] },
  { source: 'mastodon', medium: 'social', domains: ['mastodon.social'] },
  { source: 'threads', medium: 'social', domains: ['threads.net'] },
  { source: 'bluesky', medium: 'social', domains: ['bsky.app'] },
  // Web mail (and the Gmail Android app's `android-app://` referrer)
  { source: 'gmail', medium: 'email', domains: ['mail.google.com', 'com.google.android.gm'] },
  { source: 'outlook', medium: 'email', domains: ['outlook.live.com', 'outlook.office.com'] },
  { source: 'yahoo mail', medium: 'email', domains: ['mail.yahoo.com'] },
  { source: 'proton mail', medium: 'email', domains: ['mail.proton.me'] },
];

const BY_DOMAIN: ReadonlyMap<string, KnownReferrer> = new Map(
  KNOWN_REFERRERS.flatMap((known) => known.domains.map((domain) => [domain, known] as const)),
);

/** A public suffix as `name.*` understands it: `com`, `de`, `co.uk`, `com.au`. */
const PUBLIC_SUFFIX = /^[a-z]{2,3}(?:\.[a-z]{2,3})?$/;

/** The known referrer of `host` (lower case, without `www.`), most specific domain first. */
export function knownReferrer(host: string): KnownReferrer | undefined {
  let candidate = host;
  for (;;) {
    const exact = BY_DOMAIN.get(candidate);
    if (exact !== undefined) return exact;
    const dot = candidate.indexOf('.');
    if (dot === -1) return undefined;
    if (PUBLIC_SUFFIX.test(candidate.slice(dot + 1))) {
      const wildcard = BY_DOMAIN.get(`${candidate.slice(0, dot)}.*`);
      if (wildcard !== undefined) return wildcard;
    }
    candidate = candidate.slice(dot + 1);
  }
}

/** scheme://[userinfo@]host[:port] — any scheme, so `android-app://…` referrers count. */
const REFERRER_HOST = /^[a-z][a-z0-9+.-]*:\/\/(?:[^@/?#]*@)?(\[[^\]/?#]*\]|[^:/?#]*)/i;

/** Lower-case host of a referrer URL without `www.` and a trailing dot; undefined if none. */
export function referrerHost(referrer: string | undefined): string | undefined {
  if (referrer === undefined || referrer === '') return undefined;
  const host = REFERRER_HOST.exec(referrer)?.[1]?.toLowerCase().replace(/\.$/, '');
  if (host === undefined || host === '') return undefined;
  return host.startsWith('www.') ? host.slice(4) : host;
}

export const DIRECT: TrafficSource = Object.freeze({ source: 'direct', medium: 'direct' });

/** Source of a visit from `refHost` (see `referrerHost`) to a page on `pageSiteHost`. */
export function sourceFromReferrer(
  refHost: string | undefined,
  pageSiteHost: string,
): TrafficSource {
  if (refHost === undefined) return DIRECT;
  if (refHost === pageSiteHost)
    return { source: 'internal', medium: 'internal', referrerHost: refHost };
  const known = knownReferrer(refHost);
  if (known !== undefined)
    return { source: known.source, medium: known.medium, referrerHost: refHost };
  return { source: refHost, medium: 'referral', referrerHost: refHost };
}

/** `utm_medium` values by convention (GA4's default channel rules); others are `campaign`. */
const UTM_MEDIUMS: ReadonlyMap<string, Medium> = new Map<string, Medium>([
  ...mediums('paid', ['cpc', 'ppc', 'paid', 'paidsearch', 'paid_search', 'paid-search', 'cpm']),
  ...mediums('paid', ['cpv', 'cpa', 'display', 'banner', 'retargeting']),
  ...mediums('paid', ['paid_social', 'paidsocial', 'paid-social']),
  ...mediums('email', ['email', 'e-mail', 'e_mail', 'mail', 'newsletter']),
  ...mediums('social', ['social', 'social-network', 'social_network', 'social-media']),
  ...mediums('social', ['social_media', 'sm', 'organic_social', 'organic-social']),
  ...mediums('search', ['organic', 'seo']),
  ...mediums('referral', ['referral', 'referrer', 'link']),
]);

function mediums(medium: Medium, names: readonly string[]): [string, Medium][] {
  return names.map((name) => [name, medium]);
}

export function mediumFromUtm(utmMedium: string): Medium {
  return UTM_MEDIUMS.get(utmMedium) ?? 'campaign';
}

/** `base` (from the referrer) with the page URL's UTM parameters applied. */
export function withUtm(base: TrafficSource, utm: Utm | undefined): TrafficSource {
  if (utm === undefined) return base;
  const source: TrafficSource = {
    source: utm.source ?? base.source,
    medium:
      utm.medium !== undefined
        ? mediumFromUtm(utm.medium)
        : utm.source !== undefined
          ? 'campaign'
          : base.medium,
  };
  if (base.referrerHost !== undefined) source.referrerHost = base.referrerHost;
  if (utm.campaign !== undefined) source.campaign = utm.campaign;
  if (utm.term !== undefined) source.term = utm.term;
  if (utm.content !== undefined) source.content = utm.content;
  return source;
}
