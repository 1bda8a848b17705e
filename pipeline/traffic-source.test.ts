import {
  KNOWN_REFERRERS,
  knownReferrer,
  mediumFromUtm,
  referrerHost,
  sourceFromReferrer,
  withUtm,
} from './traffic-source';

describe('referrer → source and medium', () => {
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
    ['https://www.google.com/', { source: 'google', medium: 'search', referrerHost: 'google.com' }],
    [
      'https://www.google.co.uk/search?q=x',
      { source: 'google', medium: 'search', referrerHost: 'google.co.uk' },
    ],
    ['https://www.google.de/', { source: 'google', medium: 'search', referrerHost: 'google.de' }],
    [
      'https://duckduckgo.com/',
      { source: 'duckduckgo', medium: 'search', referrerHost: 'duckduckgo.com' },
    ],
    [
      'https://search.yahoo.com/',
      { source: 'yahoo', medium: 'search', referrerHost: 'search.yahoo.com' },
    ],
    [
      'https://mail.yahoo.com/d/folders/1',
      { source: 'yahoo mail', medium: 'email', referrerHost: 'mail.yahoo.com' },
    ],
    [
      'https://mail.google.com/mail/u/0/',
      { source: 'gmail', medium: 'email', referrerHost: 'mail.google.com' },
    ],
    [
      'android-app://com.google.android.gm/',
      { source: 'gmail', medium: 'email', referrerHost: 'com.google.android.gm' },
    ],
    [
      'https://l.facebook.com/l.php?u=x',
      { source: 'facebook', medium: 'social', referrerHost: 'l.facebook.com' },
    ],
    ['https://t.co/abc', { source: 'twitter', medium: 'social', referrerHost: 't.co' }],
    [
      'https://news.ycombinator.com/item?id=1',
      { source: 'hacker news', medium: 'social', referrerHost: 'news.ycombinator.com' },
    ],
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
  });

  it('lists each known domain once', () => {
    const domains = KNOWN_REFERRERS.flatMap((known) => known.domains);

    expect(new Set(domains).size).toBe(domains.length);
  });
});

describe('UTM parameters override the referrer', () => {
  const google = { source: 'google', medium: 'search', referrerHost: 'google.com' } as const;

  it.each([
    ['cpc', 'paid'],
    ['ppc', 'paid'],
    ['display', 'paid'],
    ['email', 'email'],
    ['newsletter', 'email'],
    ['social', 'social'],
    ['organic', 'search'],
    ['referral', 'referral'],
    ['qr-poster', 'campaign'],
  ])('utm_medium=%s → %s', (utmMedium, medium) => {
    expect(mediumFromUtm(utmMedium)).toBe(medium);
  });

  it('takes source and medium from UTM and keeps the referrer host', () => {
    const source = withUtm(google, { source: 'google', medium: 'cpc', campaign: 'spring' });

    expect(source).toEqual({
      source: 'google',
      medium: 'paid',
      referrerHost: 'google.com',
      campaign: 'spring',
    });
  });

  it('treats utm_source alone as a campaign of that source', () => {
    expect(withUtm({ source: 'direct', medium: 'direct' }, { source: 'newsletter' })).toEqual({
      source: 'newsletter',
      medium: 'campaign',
    });
  });

  it('keeps the referrer source when only utm_medium is set', () => {
    expect(withUtm({ source: 'direct', medium: 'direct' }, { medium: 'email' })).toEqual({
      source: 'direct',
      medium: 'email',
    });
  });

  it('adds campaign, term and content without changing an untagged source', () => {
    expect(withUtm(google, { campaign: 'c', term: 't', content: 'x' })).toEqual({
      ...google,
      campaign: 'c',
      term: 't',
      content: 'x',
    });
  });
});
