import {
  knownReferrer,
  REFERRER_DATABASE_SIZE,
  referrerHost,
  sourceFromReferrer,
} from './traffic-source';

describe('referrer → source and medium (the referrer database)', () => {
  it.each([
    [undefined, { source: 'direct', medium: 'direct' }],
    ['', { source: 'direct', medium: 'direct' }],
    ['about:blank', { source: 'direct', medium: 'direct' }],
    [
      'https://shop.example.com/cart',
      { source: 'internal', medium: 'internal', referrerHost: 'shop.example.com' },
    ],
    [
      'https://www.shop.example.com/',
      { source: 'internal', medium: 'internal', referrerHost: 'shop.example.com' },
    ],
    // Search, including country editions the database lists one by one.
    ['https://www.google.com/', { source: 'Google', medium: 'search', referrerHost: 'google.com' }],
    [
      'https://www.google.co.uk/search?q=x',
      { source: 'Google', medium: 'search', referrerHost: 'google.co.uk' },
    ],
    ['https://www.google.de/', { source: 'Google', medium: 'search', referrerHost: 'google.de' }],
    [
      'https://duckduckgo.com/',
      { source: 'DuckDuckGo', medium: 'search', referrerHost: 'duckduckgo.com' },
    ],
    [
      'https://it.search.yahoo.com/search?p=x',
      { source: 'Yahoo!', medium: 'search', referrerHost: 'it.search.yahoo.com' },
    ],
    [
      'https://yandex.ru/search/',
      { source: 'Yandex', medium: 'search', referrerHost: 'yandex.ru' },
    ],
    [
      'android-app://com.google.android.googlequicksearchbox/',
      {
        source: 'Google',
        medium: 'search',
        referrerHost: 'com.google.android.googlequicksearchbox',
      },
    ],
    // A search company's properties that are not search: listed, or under a search parent.
    [
      'https://maps.google.com/maps?q=x',
      { source: 'Google', medium: 'referral', referrerHost: 'maps.google.com' },
    ],
    [
      'https://maps.google.de/',
      { source: 'Google', medium: 'referral', referrerHost: 'maps.google.de' },
    ],
    [
      'https://drive.google.com/file/d/1',
      { source: 'Google', medium: 'referral', referrerHost: 'drive.google.com' },
    ],
    [
      'https://docs.google.com/document/d/1',
      { source: 'Google', medium: 'referral', referrerHost: 'docs.google.com' },
    ],
    [
      'https://support.google.com/answer/1',
      { source: 'Google', medium: 'referral', referrerHost: 'support.google.com' },
    ],
    [
      'https://finance.yahoo.com/quote/X',
      { source: 'Yahoo!', medium: 'referral', referrerHost: 'finance.yahoo.com' },
    ],
    [
      'https://disk.yandex.ru/d/1',
      { source: 'Yandex', medium: 'referral', referrerHost: 'disk.yandex.ru' },
    ],
    // Mail, on the web and in apps.
    [
      'https://mail.google.com/mail/u/0/',
      { source: 'Gmail', medium: 'email', referrerHost: 'mail.google.com' },
    ],
    [
      'android-app://com.google.android.gm/',
      { source: 'Gmail', medium: 'email', referrerHost: 'com.google.android.gm' },
    ],
    [
      'https://mail.yahoo.com/d/folders/1',
      { source: 'Yahoo! Mail', medium: 'email', referrerHost: 'mail.yahoo.com' },
    ],
    [
      'https://outlook.live.com/mail/0/',
      { source: 'Outlook.com', medium: 'email', referrerHost: 'outlook.live.com' },
    ],
    [
      'https://mail.yandex.com/',
      { source: 'Yandex', medium: 'email', referrerHost: 'mail.yandex.com' },
    ],
    // Social, in browsers and apps.
    [
      'https://l.facebook.com/l.php?u=x',
      { source: 'Facebook', medium: 'social', referrerHost: 'l.facebook.com' },
    ],
    ['https://t.co/abc', { source: 'Twitter', medium: 'social', referrerHost: 't.co' }],
    [
      'android-app://com.linkedin.android/',
      { source: 'LinkedIn', medium: 'social', referrerHost: 'com.linkedin.android' },
    ],
    [
      'https://news.ycombinator.com/item?id=1',
      { source: 'Hacker News', medium: 'social', referrerHost: 'news.ycombinator.com' },
    ],
    // Ad networks: paid.
    [
      'https://googleads.g.doubleclick.net/pagead/ads?x=1',
      { source: 'Google', medium: 'paid', referrerHost: 'googleads.g.doubleclick.net' },
    ],
    ['https://adroll.com/', { source: 'AdRoll', medium: 'paid', referrerHost: 'adroll.com' }],
    [
      'https://market.yandex.ru/product/1',
      { source: 'Yandex.Market', medium: 'paid', referrerHost: 'market.yandex.ru' },
    ],
    // Everything else.
    [
      'https://blog.partner.example:8080/post',
      { source: 'blog.partner.example', medium: 'referral', referrerHost: 'blog.partner.example' },
    ],
    [
      'HTTPS://User:Pw@WWW.Partner.Example./x',
      { source: 'partner.example', medium: 'referral', referrerHost: 'partner.example' },
    ],
  ])('%s', (referrer, expected) => {
    // Act
    const source = sourceFromReferrer(referrerHost(referrer), 'shop.example.com');

    // Assess
    expect(source).toEqual(expected);
  });

  it('does not mistake a domain that merely contains a known name', () => {
    expect(knownReferrer('google.example.org')).toBeUndefined();
    expect(knownReferrer('notgoogle.com')).toBeUndefined();
    expect(knownReferrer('com')).toBeUndefined();
  });

  it('ships the whole database, not a hand-picked table', () => {
    expect(REFERRER_DATABASE_SIZE).toBeGreaterThan(1_500);
  });
});
