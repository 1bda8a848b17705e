import { EventItemSchema, isValid, type EdgeRecord, type EventItem } from '../schemas';
import { createEnricher } from './enrich';
import {
  RECEIVED_AT,
  USER_AGENTS,
  customEvent,
  edgeRecord,
  engagementEvent,
  pageviewEvent,
} from './__fixtures__/edge-records';
import { recordingSalt } from './__fixtures__/ports';
import { createNetworkLookup } from './bot-network';
import { foldEvents } from './session-aggregate';

const DAY_MS = 86_400_000;

function enrichOk(record: EdgeRecord, enricher = createEnricher(recordingSalt())): EventItem {
  const result = enricher.enrich(record);
  if (!result.ok) throw new Error(`expected enrichment to succeed: ${result.message}`);
  return result.event;
}

describe('enrich', () => {
  it('produces the Events item of the event, valid for every type', () => {
    // Prepare
    const records = [pageviewEvent(), engagementEvent(), customEvent()].map((event) =>
      edgeRecord({ event }),
    );

    // Act
    const events = records.map((record) => enrichOk(record));

    // Assess
    for (const event of events) expect(isValid(EventItemSchema, event)).toBe(true);
    expect(events[0]).toMatchObject({
      pk: 'demo-shop#sess_01234567',
      sk: records[0]?.event.eventId,
      expiresAt: Math.floor(RECEIVED_AT / 1000) + 90 * 86_400,
    });
    expect(events[1]?.engagedMs).toBe(4_000);
    expect(events[2]).toMatchObject({ name: 'signup', props: { plan: 'pro' } });
    expect(events[0]?.engagedMs).toBeUndefined();
    expect(events[0]?.name).toBeUndefined();
    expect(JSON.parse(JSON.stringify(events[0]))).not.toHaveProperty('engagedMs');
  });

  it('lets the raw IP and user agent go no further', () => {
    const record = edgeRecord({ sourceIp: '198.51.100.77', userAgent: USER_AGENTS.firefoxMac });

    const text = JSON.stringify(enrichOk(record));

    expect(text).not.toContain('198.51.100.77');
    expect(text).not.toContain('Gecko/20100101');
  });

  it.each([
    ['DE', 'DE'],
    ['de', 'DE'],
    ['', 'unknown'],
    ['X', 'unknown'],
    ['1A', 'unknown'],
  ])('country %j → %j', (country, expected) => {
    expect(enrichOk(edgeRecord({ country })).country).toBe(expected);
  });

  it('takes host and normalised path from the URL and the source from referrer and UTM', () => {
    const event = pageviewEvent({
      url: 'https://WWW.Shop.Example.com//sale/?utm_source=google&utm_medium=cpc#top',
      referrer: 'https://www.google.com/',
    });

    const enriched = enrichOk(edgeRecord({ event }));

    expect(enriched).toMatchObject({
      host: 'www.shop.example.com',
      path: '/sale',
      source: { source: 'google', medium: 'paid', referrerHost: 'google.com' },
    });
  });

  it('calls a same-site referrer internal, also through the referrer cache', () => {
    const enricher = createEnricher(recordingSalt());
    const referrer = 'https://shop.example.com/';
    const onSite = edgeRecord({ event: pageviewEvent({ referrer }) });
    const offSite = edgeRecord({
      event: pageviewEvent({ referrer, url: 'https://other.example/landing' }),
    });

    const first = enrichOk(onSite, enricher).source;
    const second = enrichOk(offSite, enricher).source;

    expect(first.medium).toBe('internal');
    expect(second).toEqual({
      source: 'shop.example.com',
      medium: 'referral',
      referrerHost: 'shop.example.com',
      channel: 'Referral',
    });
  });

  it('flags a browser user agent from a cloud network as a bot, with the reason and no IP', () => {
    // Arrange: ranges made here (no snapshot of the providers' lists ships with the repository).
    const networks = createNetworkLookup({ aws: { v4: ['1.178.0.0/16'], v6: [] } });
    const enricher = createEnricher(recordingSalt(), { networkOf: networks.providerOf });
    const fromAws = edgeRecord({ sourceIp: '1.178.1.5' });
    const fromHome = edgeRecord({ sourceIp: '81.2.69.160' });
    const crawler = edgeRecord({ sourceIp: '81.2.69.160', userAgent: 'curl/8.5.0' });

    // Act
    const aws = enrichOk(fromAws, enricher);
    const home = enrichOk(fromHome, enricher);
    const bot = enrichOk(crawler, enricher);

    // Assert

    expect(aws).toMatchObject({ isBot: true, botReason: 'network:aws' });
    expect(JSON.stringify(aws)).not.toContain('1.178.1.5');
    expect(home).toMatchObject({ isBot: false, botReason: undefined });
    expect(bot).toMatchObject({ isBot: true, botReason: 'bot-user-agent' });
  });

  it("flags an event the tracker marks as automated as a bot's, reason automation, and its session", () => {
    // Arrange: an ordinary browser user agent from an ordinary network; only the tracker knows.
    const enricher = createEnricher(recordingSalt());
    const view = edgeRecord({ event: pageviewEvent({ seq: 0, automation: true }) });
    const ping = edgeRecord({
      event: engagementEvent({ seq: 1, eventId: 'evt_1123456789abcdef', scrollDepth: 40 }),
    });
    const person = edgeRecord({
      event: pageviewEvent({ sessionId: 'sess_person01', automation: false }),
    });

    // Act
    const automated = enrichOk(view, enricher);
    const later = enrichOk(ping, enricher);
    const human = enrichOk(person, enricher);

    // Assert: the raw row keeps the reason; the session is a bot's once one event is (isBot: or).
    expect(automated).toMatchObject({ isBot: true, botReason: 'automation' });
    expect(isValid(EventItemSchema, automated)).toBe(true);
    expect(later).toMatchObject({ isBot: false, scrollDepth: 40 });
    expect(foldEvents([automated, later])).toMatchObject({ isBot: true, botEvents: 1 });
    expect(human).toMatchObject({ isBot: false, botReason: undefined });
  });

  it('makes an ad click id on the landing page a paid visit, with its GA4 channel', () => {
    const event = pageviewEvent({
      url: 'https://shop.example.com/?msclkid=abc',
      referrer: 'https://www.bing.com/',
    });

    const source = enrichOk(edgeRecord({ event })).source;

    expect(source).toEqual({
      source: 'bing',
      medium: 'paid',
      referrerHost: 'bing.com',
      channel: 'Paid Search',
    });
  });

  it('makes an invalid URL a schema failure naming the field', () => {
    const result = createEnricher(recordingSalt()).enrich(
      edgeRecord({ event: pageviewEvent({ url: 'http://exa mple.com/' }) }),
    );

    expect(result).toEqual({
      ok: false,
      reason: 'schema',
      message: expect.stringContaining('event.url'),
      details: ['event.url: expected an absolute http(s) URL, received "http://exa mple.com/"'],
    });
  });
});

describe('cookieless visitor id', () => {
  it('is the same for one visitor on one site on one day', () => {
    const enricher = createEnricher(recordingSalt());

    const morning = enrichOk(edgeRecord(), enricher).visitorId;
    const later = enrichOk(edgeRecord({ receivedAt: RECEIVED_AT + 3_600_000 }), enricher);

    expect(later.visitorId).toBe(morning);
    expect(morning).toMatch(/^[A-Za-z0-9_-]{22}$/);
  });

  it('differs by site, IP, user agent and day', () => {
    const enricher = createEnricher(recordingSalt());
    const base = enrichOk(edgeRecord(), enricher).visitorId;

    const others = [
      edgeRecord({ siteId: 'other-site' }),
      edgeRecord({ sourceIp: '203.0.113.43' }),
      edgeRecord({ userAgent: USER_AGENTS.safariIphone }),
      edgeRecord({ receivedAt: RECEIVED_AT + DAY_MS }),
    ].map((record) => enrichOk(record, enricher).visitorId);

    expect(new Set([base, ...others]).size).toBe(5);
  });

  it('uses the salt of the UTC day of receivedAt and asks the port once per day', () => {
    const salt = recordingSalt();
    const enricher = createEnricher(salt);
    const midnight = Math.ceil(RECEIVED_AT / DAY_MS) * DAY_MS;

    for (const receivedAt of [midnight - 1, midnight - 2, midnight, midnight + 1]) {
      enrichOk(edgeRecord({ receivedAt, sourceIp: `198.51.100.${receivedAt % 200}` }), enricher);
    }

    expect(salt.days).toEqual(['2025-11-13', '2025-11-14']);
  });

  it('does not depend on the cache: a cold enricher computes the same id', () => {
    const record = edgeRecord();
    const warm = createEnricher(recordingSalt(), { cacheSize: 2 });
    for (let i = 0; i < 10; i += 1) enrichOk(edgeRecord({ sourceIp: `198.51.100.${i}` }), warm);

    const fromWarm = enrichOk(record, warm).visitorId;
    const fromCold = enrichOk(record).visitorId;

    expect(fromWarm).toBe(fromCold);
  });
});
