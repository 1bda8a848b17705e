import type { Channel, TrafficSource } from '../schemas';
import { attribute, clickIdIn, defaultChannel, sourceCategoryOf } from './channel-group';
import { parsePageUrl } from './page-url';
import { referrerHost, sourceFromReferrer } from './traffic-source';

describe("GA4's default channel rules, one case per rule (docs/traffic-sources.md)", () => {
  it.each<[string, { source: string; medium: string; campaign?: string }, Channel]>([
    ['Direct: (direct) / (none)', { source: '(direct)', medium: '(none)' }, 'Direct'],
    ['Direct: (direct) / (not set)', { source: '(direct)', medium: '(not set)' }, 'Direct'],
    [
      'Cross-network: campaign contains cross-network',
      { source: 'google', medium: 'cpc', campaign: 'pmax-cross-network' },
      'Cross-network',
    ],
    [
      'Paid Shopping: shopping site and paid medium',
      { source: 'amazon', medium: 'cpc' },
      'Paid Shopping',
    ],
    [
      'Paid Shopping: shopping campaign and paid medium',
      { source: 'newsletter-partner', medium: 'paid', campaign: 'summer_shop' },
      'Paid Shopping',
    ],
    ['Paid Search: search site and cpc', { source: 'google', medium: 'cpc' }, 'Paid Search'],
    ['Paid Search: search host and ppc', { source: 'bing.com', medium: 'ppc' }, 'Paid Search'],
    ['Paid Search: retargeting', { source: 'duckduckgo', medium: 'retargeting' }, 'Paid Search'],
    [
      'Paid Social: social site and paid.*',
      { source: 'facebook', medium: 'paid_social' },
      'Paid Social',
    ],
    ['Paid Social: social host', { source: 'linkedin.com', medium: 'cpm' }, 'Paid Social'],
    ['Paid Video: video site and cpv', { source: 'youtube', medium: 'cpv' }, 'Paid Video'],
    ['Display: medium display', { source: 'adnetwork', medium: 'display' }, 'Display'],
    ['Display: medium banner', { source: 'adnetwork', medium: 'banner' }, 'Display'],
    ['Display: medium interstitial', { source: 'x', medium: 'interstitial' }, 'Display'],
    ['Display: medium cpm (not a listed site)', { source: 'x', medium: 'cpm' }, 'Display'],
    ['Paid Other: paid medium, unlisted source', { source: 'x', medium: 'cpc' }, 'Paid Other'],
    ['Paid Other: paid.*', { source: 'x', medium: 'paidpartner' }, 'Paid Other'],
    [
      'Organic Shopping: shopping site',
      { source: 'ebay.com', medium: 'referral' },
      'Organic Shopping',
    ],
    [
      'Organic Shopping: shopping campaign',
      { source: 'x', medium: 'referral', campaign: 'shopping-days' },
      'Organic Shopping',
    ],
    ['Organic Social: social site', { source: 'Twitter', medium: 'referral' }, 'Organic Social'],
    ['Organic Social: medium sm', { source: 'x', medium: 'sm' }, 'Organic Social'],
    [
      'Organic Social: medium social media',
      { source: 'x', medium: 'social media' },
      'Organic Social',
    ],
    ['Organic Video: video site', { source: 'vimeo.com', medium: 'referral' }, 'Organic Video'],
    ['Organic Video: medium .*video.*', { source: 'x', medium: 'promo-video' }, 'Organic Video'],
    ['Organic Search: search site', { source: 'Google', medium: 'organic' }, 'Organic Search'],
    ['Organic Search: medium organic', { source: 'x', medium: 'organic' }, 'Organic Search'],
    ['Referral: medium referral', { source: 'blog.example', medium: 'referral' }, 'Referral'],
    ['Referral: medium app', { source: 'x', medium: 'app' }, 'Referral'],
    ['Referral: medium link', { source: 'x', medium: 'link' }, 'Referral'],
    ['Email: medium email', { source: 'newsletter', medium: 'email' }, 'Email'],
    ['Email: source e-mail', { source: 'e-mail', medium: 'monthly' }, 'Email'],
    ['Email: medium e_mail', { source: 'x', medium: 'E_Mail' }, 'Email'],
    ['Affiliates: medium affiliate', { source: 'partner', medium: 'affiliate' }, 'Affiliates'],
    ['Audio: medium audio', { source: 'podcast', medium: 'audio' }, 'Audio'],
    ['SMS: source sms', { source: 'sms', medium: 'text' }, 'SMS'],
    ['SMS: medium sms', { source: 'x', medium: 'sms' }, 'SMS'],
    [
      'Mobile Push Notifications: medium ends with push',
      { source: 'x', medium: 'web-push' },
      'Mobile Push Notifications',
    ],
    [
      'Mobile Push Notifications: medium contains notification',
      { source: 'x', medium: 'app_notification' },
      'Mobile Push Notifications',
    ],
    [
      'Mobile Push Notifications: source firebase',
      { source: 'firebase', medium: 'x' },
      'Mobile Push Notifications',
    ],
    ['Unassigned: nothing matches', { source: 'qr-poster', medium: 'print' }, 'Unassigned'],
    [
      'Unassigned: source alone, unlisted',
      { source: 'newsletter', medium: '(not set)' },
      'Unassigned',
    ],
  ])('%s', (_rule, input, expected) => {
    expect(defaultChannel(input)).toBe(expected);
  });
});

describe('source categories', () => {
  it.each([
    ['google', 'search'],
    ['Google', 'search'],
    ['www.bing.com', 'search'],
    ['yandex.ru', 'search'],
    ['facebook', 'social'],
    ['t.co', 'social'],
    ['youtube', 'video'],
    ['amazon.co.uk', 'shopping'],
    ['maps.google.com', undefined],
    ['blog.example', undefined],
  ])('%s → %s', (source, category) => {
    expect(sourceCategoryOf(source)).toBe(category);
  });
});

describe('attribution of a visit: referrer, UTM tags and ad click ids', () => {
  const SITE = 'shop.example.com';

  function visit(url: string, referrer?: string): TrafficSource {
    const page = parsePageUrl(url);
    if (page === undefined) throw new Error(`test page URL ${url} does not parse`);
    return attribute(
      sourceFromReferrer(referrerHost(referrer), page.siteHost),
      page.utm,
      page.clickId,
    );
  }

  it.each<[string, string, string | undefined, TrafficSource]>([
    [
      'no referrer',
      'https://shop.example.com/',
      undefined,
      { source: 'direct', medium: 'direct', channel: 'Direct' },
    ],
    [
      'own site',
      'https://shop.example.com/b',
      'https://shop.example.com/a',
      { source: 'internal', medium: 'internal', referrerHost: SITE, channel: 'Direct' },
    ],
    [
      'search engine',
      'https://shop.example.com/',
      'https://www.google.de/',
      { source: 'Google', medium: 'search', referrerHost: 'google.de', channel: 'Organic Search' },
    ],
    [
      'Google Maps is a referral',
      'https://shop.example.com/',
      'https://maps.google.com/',
      {
        source: 'Google',
        medium: 'referral',
        referrerHost: 'maps.google.com',
        channel: 'Referral',
      },
    ],
    [
      'social network',
      'https://shop.example.com/',
      'https://t.co/x',
      { source: 'Twitter', medium: 'social', referrerHost: 't.co', channel: 'Organic Social' },
    ],
    [
      'Gmail app',
      'https://shop.example.com/',
      'android-app://com.google.android.gm/',
      { source: 'Gmail', medium: 'email', referrerHost: 'com.google.android.gm', channel: 'Email' },
    ],
    [
      'ad network referrer',
      'https://shop.example.com/',
      'https://googleads.g.doubleclick.net/pagead/x',
      {
        source: 'Google',
        medium: 'paid',
        referrerHost: 'googleads.g.doubleclick.net',
        channel: 'Display',
      },
    ],
    [
      'gclid: paid search even without UTM tags',
      'https://shop.example.com/?gclid=abc',
      'https://www.google.com/',
      { source: 'google', medium: 'paid', referrerHost: 'google.com', channel: 'Paid Search' },
    ],
    [
      'msclkid: Microsoft Ads',
      'https://shop.example.com/?msclkid=abc',
      'https://www.bing.com/',
      { source: 'bing', medium: 'paid', referrerHost: 'bing.com', channel: 'Paid Search' },
    ],
    [
      'dclid: display',
      'https://shop.example.com/?dclid=abc',
      undefined,
      { source: 'dv360', medium: 'paid', channel: 'Display' },
    ],
    [
      'ttclid: paid social',
      'https://shop.example.com/?ttclid=abc',
      undefined,
      { source: 'tiktok', medium: 'paid', channel: 'Paid Social' },
    ],
    [
      'fbclid alone stays organic',
      'https://shop.example.com/?fbclid=abc',
      'https://l.facebook.com/',
      {
        source: 'Facebook',
        medium: 'social',
        referrerHost: 'l.facebook.com',
        channel: 'Organic Social',
      },
    ],
    [
      'UTM cpc from Google',
      'https://shop.example.com/?utm_source=google&utm_medium=cpc&utm_campaign=spring',
      'https://www.google.com/',
      {
        source: 'google',
        medium: 'paid',
        referrerHost: 'google.com',
        channel: 'Paid Search',
        campaign: 'spring',
      },
    ],
    [
      'UTM paid social',
      'https://shop.example.com/?utm_source=facebook&utm_medium=paid_social',
      undefined,
      { source: 'facebook', medium: 'paid', channel: 'Paid Social' },
    ],
    [
      'UTM email wins over a gclid',
      'https://shop.example.com/?utm_source=newsletter&utm_medium=email&gclid=abc',
      undefined,
      { source: 'newsletter', medium: 'email', channel: 'Email' },
    ],
    [
      'UTM source alone, unlisted',
      'https://shop.example.com/?utm_source=newsletter',
      undefined,
      { source: 'newsletter', medium: 'campaign', channel: 'Unassigned' },
    ],
    [
      'UTM source alone, a search engine',
      'https://shop.example.com/?utm_source=bing',
      undefined,
      { source: 'bing', medium: 'search', channel: 'Organic Search' },
    ],
    [
      'UTM affiliate',
      'https://shop.example.com/?utm_source=partner&utm_medium=affiliate',
      'https://partner.example/',
      {
        source: 'partner',
        medium: 'referral',
        referrerHost: 'partner.example',
        channel: 'Affiliates',
      },
    ],
    [
      'campaign tags alone keep the referrer',
      'https://shop.example.com/?utm_campaign=c&utm_term=t&utm_content=x',
      'https://www.google.com/',
      {
        source: 'Google',
        medium: 'search',
        referrerHost: 'google.com',
        channel: 'Organic Search',
        campaign: 'c',
        term: 't',
        content: 'x',
      },
    ],
  ])('%s', (_case, url, referrer, expected) => {
    expect(visit(url, referrer)).toEqual(expected);
  });

  it('reads click ids in any case and ignores empty ones', () => {
    expect(clickIdIn(new URLSearchParams('a=1&GCLID=x'))).toBe('gclid');
    expect(clickIdIn(new URLSearchParams('gclid=&b=2'))).toBeUndefined();
    expect(clickIdIn(new URLSearchParams('toString=1&__proto__=2'))).toBeUndefined();
  });
});
