import { botReasonOf, classifyUserAgent } from './user-agent';
import { USER_AGENTS } from './__fixtures__/edge-records';

describe('user agent → device', () => {
  it.each([
    [
      'chromeWindows',
      { type: 'desktop', browser: 'Chrome', browserVersion: '120', os: 'Windows', osVersion: '10' },
    ],
    [
      'firefoxMac',
      {
        type: 'desktop',
        browser: 'Firefox',
        browserVersion: '121',
        os: 'Mac OS',
        osVersion: '14.1',
      },
    ],
    [
      'safariIphone',
      {
        type: 'mobile',
        browser: 'Mobile Safari',
        browserVersion: '17',
        os: 'iOS',
        osVersion: '17.1',
      },
    ],
    [
      'chromeAndroid',
      { type: 'mobile', browser: 'Chrome', browserVersion: '120', os: 'Android', osVersion: '14' },
    ],
    [
      'safariIpad',
      {
        type: 'tablet',
        browser: 'Mobile Safari',
        browserVersion: '17',
        os: 'iOS',
        osVersion: '17.1',
      },
    ],
    [
      'smartTv',
      {
        type: 'other',
        browser: 'Samsung Internet',
        browserVersion: '4',
        os: 'Tizen',
        osVersion: '6.0',
      },
    ],
    ['curl', { type: 'other', browser: 'unknown', os: 'unknown' }],
  ] as const)('%s', (name, device) => {
    // Act
    const info = classifyUserAgent(USER_AGENTS[name]);

    // Assess
    expect(info.device).toEqual(device);
  });

  it('treats an Android device ua-parser leaves untyped as mobile', () => {
    const info = classifyUserAgent(
      'Mozilla/5.0 (Linux; Android 14) AppleWebKit/537.36 Chrome/120.0',
    );

    expect(info.device.type).toBe('mobile');
  });
});

describe('user agent → bot flag', () => {
  it.each([
    ['googlebot', true],
    ['curl', true],
    ['headlessChrome', true],
    ['lighthouse', true],
    ['lighthouseDesktop', true],
    ['puppeteer', true],
    ['chromeWindows', false],
    ['safariIphone', false],
    ['smartTv', false],
  ] as const)('%s → %s', (name, isBot) => {
    expect(classifyUserAgent(USER_AGENTS[name]).isBot).toBe(isBot);
  });

  it('flags an empty or blank user agent: every real browser sends one', () => {
    expect(classifyUserAgent('').isBot).toBe(true);
    expect(classifyUserAgent('   ').isBot).toBe(true);
  });

  it('returns frozen results, safe to share between events from a cache', () => {
    const info = classifyUserAgent(USER_AGENTS.chromeWindows);

    expect(Object.isFrozen(info)).toBe(true);
    expect(Object.isFrozen(info.device)).toBe(true);
  });
});

describe('bot reason of a user agent', () => {
  it.each([
    ['', 'empty-user-agent'],
    ['Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)', 'bot-user-agent'],
    [
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Lighthouse',
      'automation-user-agent',
    ],
    [
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
      undefined,
    ],
  ])('%s → %s', (userAgent, reason) => {
    expect(botReasonOf(userAgent)).toBe(reason);
    expect(classifyUserAgent(userAgent)).toMatchObject({
      isBot: reason !== undefined,
      botReason: reason,
    });
  });
});
