/**
 * Enrichment: edge record → enriched event. User agent and the source IP's network → device, bot
 * flag and its reason; referrer, UTM and ad click ids → traffic source and GA4 channel; URL → host
 * and normalised path; country from the edge (empty → `unknown`); cookieless visitor id from the
 * daily salt. The raw IP and user agent stop here: the enriched event carries neither. *
 * The hot path memoises everything that repeats, in bounded caches that live as long as the
 * enricher (one per warm Lambda): user agents (ua-parser-js and isbot cost tens of µs), page
 * URLs, referrers, and per session the visitor (its user agent's device, its bot reason and the
 * HMAC of (day, site, IP, user agent)), since a session's records share them.
 */
import type { BotReason, EdgeRecord, EventItem, TrafficSource } from '../schemas';
import { cloudNetworkOf } from './bot-network';
import { BoundedCache } from './bounded-cache';
import { eventExpiresAt, sessionKey } from './items';
import { parsePageUrl, type PageUrl } from './page-url';
import type { SaltProvider } from './ports';
import { attribute } from './channel-group';
import { referrerHost, sourceFromReferrer, DIRECT } from './traffic-source';
import { classifyUserAgent, type UserAgentInfo } from './user-agent';
import { dayNumber, utcDay } from './utc-day';
import { visitorHash } from './visitor-id';

export type EnrichResult =
  /**
   * The enriched event, built directly as its Events item (the event plus its keys and TTL):
   * one object per event instead of an event and a copy (it is assignable to EnrichedEvent).
   */
  | { readonly ok: true; readonly event: EventItem }
  | {
      readonly ok: false;
      readonly reason: 'schema';
      readonly message: string;
      readonly details: readonly string[];
    };

export interface EnricherOptions {
  /** Most entries per memo cache (user agents, URLs, referrers, visitor ids). Default 10,000. */
  readonly cacheSize?: number;
  /**
   * The published network (cloud, hosting, crawler) a source IP belongs to, or undefined.
   * Default: the lookup over `data/cloud-ranges.json` as the update script last wrote it.
   */
  readonly networkOf?: (sourceIp: string) => string | undefined;
}

export interface Enricher {
  enrich(record: EdgeRecord): EnrichResult;
}

export const DEFAULT_ENRICHER_CACHE_SIZE = 10_000;

const DAY_MS = 86_400_000;

/**
 * What a session's records share: one visitor on one site (same user agent, IP and day in
 * practice), and often the page (pings and custom events follow their page view). Looked up by
 * the short session id and confirmed by comparing the fields, which is cheaper than hashing the
 * long user agent and URL strings of every record.
 */
interface SessionMemo {
  readonly siteId: string;
  readonly sessionId: string;
  /** The Sessions and Events key of the session, built once. */
  readonly pk: string;
  readonly userAgent: string;
  readonly sourceIp: string;
  readonly day: number;
  readonly info: UserAgentInfo;
  /** The user agent's bot reason, else the source IP's network's (the IP itself is not kept). */
  readonly botReason: BotReason | undefined;
  readonly visitorId: string;
  /** The last (url, referrer) of the session and what they gave. */
  url: string;
  referrer: string | undefined;
  page: PageUrl | null;
  source: TrafficSource;
  title: string | undefined;
}

/**
 * The two possible sources of one referrer: seen from its own site, or from another; each with
 * its GA4 channel for an untagged landing page (the common case, so attribution runs once per
 * referrer, not once per session).
 */
interface ReferrerEntry {
  readonly host: string | undefined;
  readonly internal: TrafficSource;
  readonly external: TrafficSource;
}

const UNTAGGED_DIRECT: TrafficSource = Object.freeze(attribute(DIRECT, undefined, undefined));

export function createEnricher(salt: SaltProvider, options: EnricherOptions = {}): Enricher {
  const cacheSize = options.cacheSize ?? DEFAULT_ENRICHER_CACHE_SIZE;
  const networkOf = options.networkOf ?? cloudNetworkOf;
  const userAgents = new BoundedCache<string, UserAgentInfo>(cacheSize);
  const pages = new BoundedCache<string, PageUrl | null>(cacheSize);
  const referrers = new BoundedCache<string, ReferrerEntry>(cacheSize);
  const bySession = new BoundedCache<string, SessionMemo>(cacheSize);
  const visitorIds = new BoundedCache<string, string>(cacheSize);
  const salts = new Map<number, string>();

  function userAgentOf(userAgent: string): UserAgentInfo {
    let info = userAgents.get(userAgent);
    if (info === undefined) {
      info = classifyUserAgent(userAgent);
      userAgents.set(userAgent, info);
    }
    return info;
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
    const untagged = page.utm === undefined && page.clickId === undefined;
    if (referrer === undefined || referrer === '')
      return untagged ? UNTAGGED_DIRECT : attribute(DIRECT, page.utm, page.clickId);
    let entry = referrers.get(referrer);
    if (entry === undefined) {
      const host = referrerHost(referrer);
      const internal = sourceFromReferrer(host, host ?? '');
      // '' is never a referrer host, so this is the classification for any other site.
      const external = sourceFromReferrer(host, '');
      entry = {
        host,
        internal: Object.freeze(attribute(internal, undefined, undefined)),
        external: Object.freeze(attribute(external, undefined, undefined)),
      };
      referrers.set(referrer, entry);
    }
    const base = entry.host === page.siteHost ? entry.internal : entry.external;
    if (untagged) return base;
    // Tagged: attribute from the referrer's classification without its untagged channel.
    const { channel: _untaggedChannel, ...referrerSource } = base;
    return attribute(referrerSource, page.utm, page.clickId);
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

  function sessionOf(record: EdgeRecord): SessionMemo {
    const day = dayNumber(record.receivedAt);
    const event = record.event;
    const hit = bySession.get(event.sessionId);
    if (
      hit !== undefined &&
      hit.day === day &&
      hit.sourceIp === record.sourceIp &&
      hit.userAgent === record.userAgent &&
      hit.siteId === record.siteId
    ) {
      if (hit.url !== event.url || hit.referrer !== event.referrer) {
        hit.url = event.url;
        hit.referrer = event.referrer;
        hit.page = pageOf(event.url);
        hit.source = hit.page === null ? DIRECT : sourceOf(event.referrer, hit.page);
      }
      if (hit.title !== event.title) hit.title = event.title;
      return hit;
    }
    const page = pageOf(event.url);
    const info = userAgentOf(record.userAgent);
    const memo: SessionMemo = {
      siteId: record.siteId,
      sessionId: event.sessionId,
      pk: sessionKey(record.siteId, event.sessionId),
      userAgent: record.userAgent,
      sourceIp: record.sourceIp,
      day,
      info,
      botReason: info.botReason ?? networkBotReason(networkOf, record.sourceIp),
      visitorId: visitorIdOf(day, record),
      url: event.url,
      referrer: event.referrer,
      page,
      source: page === null ? DIRECT : sourceOf(event.referrer, page),
      title: event.title,
    };
    bySession.set(event.sessionId, memo);
    return memo;
  }

  /** A new session of a known visitor (another tab, a return visit) reuses the hash. */
  function visitorIdOf(day: number, record: EdgeRecord): string {
    // The IP's length makes the key unambiguous (IPs and user agents are untrusted text).
    const key = `${day}\n${record.siteId}\n${record.sourceIp.length}:${record.sourceIp}${record.userAgent}`;
    let id = visitorIds.get(key);
    if (id === undefined) {
      id = visitorHash(saltOf(day), record.siteId, record.sourceIp, record.userAgent);
      visitorIds.set(key, id);
    }
    return id;
  }

  return {
    enrich(record: EdgeRecord): EnrichResult {
      const event = record.event;
      const session = sessionOf(record);
      const page = session.page;
      if (page === null) return invalidUrl(event.url);
      // The tracker's own word that the browser is automated is the most specific reason, and it
      // is per event (the session memo is shared by the session's records whatever they say).
      const botReason: BotReason | undefined =
        event.automation === true ? 'automation' : session.botReason;
      // Strings equal to the session's are taken from the session memo: a batch's items then
      // share one copy instead of keeping every record's own (less to copy when the garbage
      // collector moves a batch that is still being built). Every field is present, absent
      // optional ones as undefined (see toEventItem).
      const enriched: EventItem = {
        pk: session.pk,
        sk: event.eventId,
        expiresAt: eventExpiresAt(record.receivedAt),
        eventId: event.eventId,
        siteId: session.siteId,
        sessionId: session.sessionId,
        seq: event.seq,
        type: event.type,
        ts: event.ts,
        receivedAt: record.receivedAt,
        requestId: record.requestId,
        url: session.url,
        host: page.host,
        path: page.path,
        referrer: session.referrer,
        title: session.title,
        // The validated variant carries only its own fields, so presence is the type's signal.
        name: 'name' in event ? event.name : undefined,
        props: 'props' in event ? event.props : undefined,
        engagedMs: 'engagedMs' in event ? event.engagedMs : undefined,
        scrollDepth: 'scrollDepth' in event ? event.scrollDepth : undefined,
        screen: event.screen,
        lang: event.lang,
        visitorId: session.visitorId,
        source: session.source,
        device: session.info.device,
        isBot: botReason !== undefined,
        botReason,
        country: countryOf(record.country),
      };
      return { ok: true, event: enriched };
    },
  };
}

/**
 * A source IP in a published cloud, hosting or crawler range is a bot's, whatever its user agent
 * says. Checked here because enrichment is the last place the IP is known.
 */
function networkBotReason(
  networkOf: (sourceIp: string) => string | undefined,
  sourceIp: string,
): BotReason | undefined {
  const provider = networkOf(sourceIp);
  return provider === undefined ? undefined : `network:${provider}`;
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

/** ISO 3166-1 alpha-2 in upper case; anything else (empty: the CDN could not tell) is `unknown`. */
function countryOf(country: string): string {
  if (country.length !== 2) return 'unknown';
  const a = country.charCodeAt(0);
  const b = country.charCodeAt(1);
  if (a >= 65 && a <= 90 && b >= 65 && b <= 90) return country;
  return /^[a-z]{2}$/i.test(country) ? country.toUpperCase() : 'unknown';
}
