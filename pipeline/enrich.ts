/**
 * Enrichment: edge record → enriched event. User agent → device and bot flag; referrer and UTM →
 * traffic source; URL → host and normalised path; country from the edge (empty → `unknown`);
 * cookieless visitor id from the daily salt. The raw IP and user agent stop here: the enriched
 * event carries neither.
 *
 * The hot path memoises everything that repeats, in bounded caches that live as long as the
 * enricher (one per warm Lambda): user agents (ua-parser-js and isbot cost tens of µs),
 * page URLs, referrers and visitor hashes (an HMAC per (day, site, IP, user agent)).
 */
import type { EdgeRecord, EnrichedEvent, TrafficSource } from '../schemas';
import { BoundedCache } from './bounded-cache';
import { parsePageUrl, type PageUrl } from './page-url';
import type { SaltProvider } from './ports';
import { referrerHost, sourceFromReferrer, withUtm, DIRECT } from './traffic-source';
import { classifyUserAgent, type UserAgentInfo } from './user-agent';
import { dayNumber, utcDay } from './utc-day';
import { visitorHash } from './visitor-id';

export type EnrichResult =
  | { readonly ok: true; readonly event: EnrichedEvent }
  | {
      readonly ok: false;
      readonly reason: 'schema';
      readonly message: string;
      readonly details: readonly string[];
    };

export interface EnricherOptions {
  /** Most entries per memo cache (user agents, URLs, referrers, visitor ids). Default 10,000. */
  readonly cacheSize?: number;
}

export interface Enricher {
  enrich(record: EdgeRecord): EnrichResult;
}

export const DEFAULT_ENRICHER_CACHE_SIZE = 10_000;

const DAY_MS = 86_400_000;
const COUNTRY = /^[A-Za-z]{2}$/;

interface UserAgentEntry extends UserAgentInfo {
  /** Stands in for the (long) user agent in visitor cache keys; never reused. */
  readonly id: number;
}

/** The two possible sources of one referrer: seen from its own site, or from another. */
interface ReferrerEntry {
  readonly host: string | undefined;
  readonly internal: TrafficSource;
  readonly external: TrafficSource;
}

export function createEnricher(salt: SaltProvider, options: EnricherOptions = {}): Enricher {
  const cacheSize = options.cacheSize ?? DEFAULT_ENRICHER_CACHE_SIZE;
  const userAgents = new BoundedCache<string, UserAgentEntry>(cacheSize);
  const pages = new BoundedCache<string, PageUrl | null>(cacheSize);
  const referrers = new BoundedCache<string, ReferrerEntry>(cacheSize);
  const visitors = new BoundedCache<string, string>(cacheSize);
  const salts = new Map<number, string>();
  let nextUserAgentId = 0;

  function userAgentOf(userAgent: string): UserAgentEntry {
    let entry = userAgents.get(userAgent);
    if (entry === undefined) {
      entry = { ...classifyUserAgent(userAgent), id: nextUserAgentId++ };
      userAgents.set(userAgent, entry);
    }
    return entry;
  }

  function pageOf(url: string): PageUrl | null {
    let page = pages.get(url);
    if (page === undefined) {
      page = parsePageUrl(url) ?? null;
      pages.set(url, page);
    }
    return page;
  }

  function sourceOf(referrer: string | undefined, page: PageUrl): TrafficSource {
    let base: TrafficSource = DIRECT;
    if (referrer !== undefined && referrer !== '') {
      let entry = referrers.get(referrer);
      if (entry === undefined) {
        const host = referrerHost(referrer);
        entry = {
          host,
          internal: Object.freeze(sourceFromReferrer(host, host ?? '')),
          // '' is never a referrer host, so this is the classification for any other site.
          external: Object.freeze(sourceFromReferrer(host, '')),
        };
        referrers.set(referrer, entry);
      }
      base = entry.host === page.siteHost ? entry.internal : entry.external;
    }
    return withUtm(base, page.utm);
  }

  function saltOf(day: number): string {
    let daySalt = salts.get(day);
    if (daySalt === undefined) {
      // Only a few days are ever live at once (today, yesterday's late events).
      if (salts.size >= 8) salts.clear();
      daySalt = salt.saltForDay(utcDay(day * DAY_MS));
      salts.set(day, daySalt);
    }
    return daySalt;
  }

  function visitorOf(record: EdgeRecord, userAgent: UserAgentEntry): string {
    const day = dayNumber(record.receivedAt);
    const key = `${day}|${record.siteId}|${userAgent.id}|${record.sourceIp}`;
    let id = visitors.get(key);
    if (id === undefined) {
      id = visitorHash(saltOf(day), record.siteId, record.sourceIp, record.userAgent);
      visitors.set(key, id);
    }
    return id;
  }

  return {
    enrich(record: EdgeRecord): EnrichResult {
      const event = record.event;
      const page = pageOf(event.url);
      if (page === null) return invalidUrl(event.url);
      const userAgent = userAgentOf(record.userAgent);
      const enriched: EnrichedEvent = {
        eventId: event.eventId,
        siteId: record.siteId,
        sessionId: event.sessionId,
        seq: event.seq,
        type: event.type,
        ts: event.ts,
        receivedAt: record.receivedAt,
        requestId: record.requestId,
        url: event.url,
        host: page.host,
        path: page.path,
        visitorId: visitorOf(record, userAgent),
        source: sourceOf(event.referrer, page),
        device: userAgent.device,
        isBot: userAgent.isBot,
        country: COUNTRY.test(record.country) ? record.country.toUpperCase() : 'unknown',
      };
      if (event.referrer !== undefined) enriched.referrer = event.referrer;
      if (event.title !== undefined) enriched.title = event.title;
      if (event.screen !== undefined) enriched.screen = event.screen;
      if (event.lang !== undefined) enriched.lang = event.lang;
      // The validated variant carries only its own fields, so presence is the type's signal.
      if ('engagedMs' in event) enriched.engagedMs = event.engagedMs;
      if ('name' in event) enriched.name = event.name;
      if ('props' in event && event.props !== undefined) enriched.props = event.props;
      return { ok: true, event: enriched };
    },
  };
}

function invalidUrl(url: string): EnrichResult {
  const received = url.length > 40 ? `a string of ${url.length} characters` : JSON.stringify(url);
  const detail = `event.url: expected an absolute http(s) URL, received ${received}`;
  return {
    ok: false,
    reason: 'schema',
    message: `The event's URL is not a URL the WHATWG parser accepts (${detail})`,
    details: [detail],
  };
}
