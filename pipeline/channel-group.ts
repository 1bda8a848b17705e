/**
 * GA4's default channel group, from a session's source, medium and campaign in GA4's terms
 * (`(direct)`/`(none)` for no referrer, `organic` for a search engine, `referral` for a link).
 * The rules run in GA4's documented order and the first that matches wins; docs/traffic-sources.md
 * has the table and a test covers each row. Matching ignores case, as GA4's does.
 *
 * GA4 decides whether a source is a search, social, shopping or video site from internal lists it
 * does not publish. Here search and social come from the referrer database (by host or by the
 * database's source name, so `utm_source=google` and `utm_source=facebook.com` both count), and
 * shopping and video from the short lists below.
 */
import type { Channel, Medium, TrafficSource } from '../schemas';
import type { Utm } from './page-url';
import { databaseCategoryOf } from './traffic-source';

export interface ChannelInput {
  /** GA4's session source: `(direct)`, a search engine or site name, a host, or `utm_source`. */
  readonly source: string;
  /** GA4's session medium: `(none)`, `organic`, `referral`, or `utm_medium`. */
  readonly medium: string;
  readonly campaign?: string | undefined;
}

const PAID_MEDIUM = /^(.*cp.*|ppc|retargeting|paid.*)$/i;
const SHOPPING_CAMPAIGN = /^(.*(([^a-df-z]|^)shop|shopping).*)$/i;
const DISPLAY_MEDIUM = /^(display|banner|expandable|interstitial|cpm)$/i;
const SOCIAL_MEDIUM = /^(social|social-network|social-media|sm|social network|social media)$/i;
const VIDEO_MEDIUM = /^(.*video.*)$/i;
const REFERRAL_MEDIUM = /^(referral|app|link)$/i;
const EMAIL = /^(email|e-mail|e_mail|e mail)$/i;
const PUSH_MEDIUM = /(push$|mobile|notification)/i;

export function defaultChannel({ source, medium, campaign = '' }: ChannelInput): Channel {
  const category = sourceCategoryOf(source);
  const paid = PAID_MEDIUM.test(medium);
  const shopping = category === 'shopping' || SHOPPING_CAMPAIGN.test(campaign);
  if (/^\(direct\)$/i.test(source) && /^\((not set|none)\)$/i.test(medium)) return 'Direct';
  if (/cross-network/i.test(campaign)) return 'Cross-network';
  if (shopping && paid) return 'Paid Shopping';
  if (category === 'search' && paid) return 'Paid Search';
  if (category === 'social' && paid) return 'Paid Social';
  if (category === 'video' && paid) return 'Paid Video';
  if (DISPLAY_MEDIUM.test(medium)) return 'Display';
  if (paid) return 'Paid Other';
  if (shopping) return 'Organic Shopping';
  if (category === 'social' || SOCIAL_MEDIUM.test(medium)) return 'Organic Social';
  if (category === 'video' || VIDEO_MEDIUM.test(medium)) return 'Organic Video';
  if (category === 'search' || /^organic$/i.test(medium)) return 'Organic Search';
  if (REFERRAL_MEDIUM.test(medium)) return 'Referral';
  if (EMAIL.test(source) || EMAIL.test(medium)) return 'Email';
  if (/^affiliate$/i.test(medium)) return 'Affiliates';
  if (/^audio$/i.test(medium)) return 'Audio';
  if (/^sms$/i.test(source) || /^sms$/i.test(medium)) return 'SMS';
  if (PUSH_MEDIUM.test(medium) || /^firebase$/i.test(source)) return 'Mobile Push Notifications';
  return 'Unassigned';
}

/**
 * Ad platforms' click ids: each platform adds its own to the landing page's URL on an ad click
 * only, so one means a paid visit from that platform even without UTM tags (GA4 does the same
 * for Google's `gclid` with auto-tagging). `fbclid` is not here: Facebook adds it to every
 * outbound link, organic posts included.
 */
export const CLICK_IDS = {
  gclid: { source: 'google', medium: 'cpc' },
  gbraid: { source: 'google', medium: 'cpc' },
  wbraid: { source: 'google', medium: 'cpc' },
  dclid: { source: 'dv360', medium: 'cpm' },
  msclkid: { source: 'bing', medium: 'cpc' },
  yclid: { source: 'yandex', medium: 'cpc' },
  ttclid: { source: 'tiktok', medium: 'cpc' },
  twclid: { source: 'twitter', medium: 'cpc' },
  li_fat_id: { source: 'linkedin', medium: 'cpc' },
  sccid: { source: 'snapchat', medium: 'cpc' },
  epik: { source: 'pinterest', medium: 'cpc' },
} as const satisfies Record<string, { source: string; medium: string }>;

export type ClickId = keyof typeof CLICK_IDS;

/** The first ad click id among the page URL's query parameters (names in any case). */
export function clickIdIn(params: URLSearchParams): ClickId | undefined {
  for (const name of params.keys()) {
    const lower = name.toLowerCase();
    if (Object.hasOwn(CLICK_IDS, lower) && params.get(name) !== '') return lower as ClickId;
  }
  return undefined;
}

/**
 * Video, shopping and newer social sites (GA4 keeps its own lists unpublished; the referrer
 * database lacks some social networks, e.g. TikTok and Snapchat): names and hosts.
 */
const SOCIAL_SITES = new Set([
  'tiktok',
  'tiktok.com',
  'snapchat',
  'snapchat.com',
  'threads',
  'threads.net',
  'threads.com',
  'bluesky',
  'bsky.app',
  'mastodon',
  'mastodon.social',
]);
const VIDEO_SITES = new Set([
  'youtube',
  'youtube.com',
  'm.youtube.com',
  'youtu.be',
  'vimeo',
  'vimeo.com',
  'twitch',
  'twitch.tv',
  'dailymotion',
  'dailymotion.com',
  'wistia',
  'ted.com',
]);
const SHOPPING_SITES = new Set([
  'amazon',
  'amazon.com',
  'ebay',
  'ebay.com',
  'etsy',
  'etsy.com',
  'shopify',
  'shopify.com',
  'walmart',
  'walmart.com',
  'aliexpress',
  'aliexpress.com',
  'alibaba',
  'alibaba.com',
  'mercadolibre',
  'mercadolibre.com',
  'rakuten',
  'shopping.google.com',
  'google shopping',
]);

export type SourceCategory = 'search' | 'social' | 'shopping' | 'video';

/** What kind of site a source is (GA4's "source matches a list of … sites"). */
export function sourceCategoryOf(source: string): SourceCategory | undefined {
  const name = source.toLowerCase();
  if (VIDEO_SITES.has(name)) return 'video';
  if (SHOPPING_SITES.has(name) || /(^|\.)amazon\.[a-z.]+$|(^|\.)ebay\.[a-z.]+$/.test(name))
    return 'shopping';
  if (SOCIAL_SITES.has(name)) return 'social';
  return databaseCategoryOf(name);
}

/** Channel group → the medium stored with the event when UTM tags or a click id set it. */
const MEDIUM_OF_CHANNEL: Readonly<Record<Channel, Medium>> = {
  Direct: 'direct',
  'Cross-network': 'paid',
  'Paid Shopping': 'paid',
  'Paid Search': 'paid',
  'Paid Social': 'paid',
  'Paid Video': 'paid',
  Display: 'paid',
  'Paid Other': 'paid',
  'Organic Shopping': 'referral',
  'Organic Social': 'social',
  'Organic Video': 'social',
  'Organic Search': 'search',
  Referral: 'referral',
  Email: 'email',
  Affiliates: 'referral',
  Audio: 'campaign',
  SMS: 'campaign',
  'Mobile Push Notifications': 'campaign',
  Unassigned: 'campaign',
};

/** The referrer's classification in GA4's terms (GA4's medium for an untagged visit). */
function ga4MediumOf(base: TrafficSource): string {
  switch (base.medium) {
    case 'direct':
    case 'internal':
      return '(none)';
    case 'search':
      return 'organic';
    case 'email':
      return 'email';
    // The database's ad networks are display and retargeting networks.
    case 'paid':
      return 'display';
    case 'social':
    case 'referral':
    case 'campaign':
      return 'referral';
  }
}

/**
 * `base` (from the referrer) with the page URL's UTM tags or ad click id applied, and its GA4
 * channel. UTM tags win (campaign tagging is deliberate), then a click id; an untagged visit keeps
 * the referrer's source and medium. The referrer host is kept either way.
 */
export function attribute(
  base: TrafficSource,
  utm: Utm | undefined,
  clickId: ClickId | undefined,
): TrafficSource {
  const tagged = utm?.source !== undefined || utm?.medium !== undefined;
  const click = clickId === undefined ? undefined : CLICK_IDS[clickId];
  if (!tagged && click === undefined) {
    const direct = base.medium === 'direct' || base.medium === 'internal';
    // GA4 names a search engine by name and any other referrer by its host: maps.google.com is
    // a referral from a host, not the search engine Google.
    const ga4Source = direct
      ? '(direct)'
      : base.medium === 'search'
        ? base.source
        : (base.referrerHost ?? base.source);
    const channel = defaultChannel({
      source: ga4Source,
      medium: ga4MediumOf(base),
      campaign: utm?.campaign,
    });
    return withCampaign({ ...base, channel }, utm);
  }
  const source = utm?.source ?? click?.source ?? base.source;
  const ga4Medium = utm?.medium ?? (utm?.source !== undefined ? '(not set)' : click?.medium);
  const channel = defaultChannel({
    source,
    medium: ga4Medium ?? '(not set)',
    campaign: utm?.campaign,
  });
  const attributed: TrafficSource = { source, medium: MEDIUM_OF_CHANNEL[channel], channel };
  if (base.referrerHost !== undefined) attributed.referrerHost = base.referrerHost;
  return withCampaign(attributed, utm);
}

function withCampaign(source: TrafficSource, utm: Utm | undefined): TrafficSource {
  if (utm?.campaign !== undefined) source.campaign = utm.campaign;
  if (utm?.term !== undefined) source.term = utm.term;
  if (utm?.content !== undefined) source.content = utm.content;
  return source;
}
