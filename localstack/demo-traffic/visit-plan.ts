/**
 * One simulated visit as a timed plan of tracker requests: land on a page (referrer and UTM
 * from the audience mix), navigate like a single-page app (each navigation first reports the
 * engaged time on the page it leaves, then a page view), sometimes fire custom events, leave.
 * Pure and seeded: the driver only replays plans against the edge on the wall clock.
 */
import { isBotUserAgent } from '../../pipeline/user-agent';
import type { TrackerEvent } from '../../schemas';
import { COUNTRY_MIX, CUSTOM_EVENTS, LANDING_MIX, PAGES, USER_AGENT_MIX } from './audience';
import type { Prng } from './prng';

export interface DemoSite {
  readonly siteId: string;
  readonly origin: string;
}

/** Requests of one visit, each due `atMs` after the visit starts. */
export interface PlannedRequest {
  readonly atMs: number;
  readonly events: readonly TrackerEvent[];
}

export interface VisitPlan {
  readonly site: DemoSite;
  readonly sessionId: string;
  readonly userAgent: string;
  readonly isBot: boolean;
  /** Visitors get their own loopback address, so the edge sees distinct source IPs. */
  readonly sourceIp: string;
  readonly country: string;
  readonly requests: readonly PlannedRequest[];
}

export interface VisitOptions {
  /** Share of visits that carry one event the consumer must turn into a bad row. */
  readonly badEventShare: number;
  /** Upper bound of a visit's length, so a demo shows sessions ending too. */
  readonly maxVisitMs: number;
}

export const DEFAULT_VISIT_OPTIONS: VisitOptions = { badEventShare: 0.03, maxVisitMs: 4 * 60_000 };

export function planVisit(
  prng: Prng,
  site: DemoSite,
  startMs: number,
  options: VisitOptions = DEFAULT_VISIT_OPTIONS,
): VisitPlan {
  const ua = prng.weighted(USER_AGENT_MIX);
  // The product's own classification, so demo bots are exactly the visitors it reports as bots.
  const isBot = isBotUserAgent(ua.userAgent);
  const landing = prng.weighted(LANDING_MIX);
  const sessionId = `demo_${prng.id(20)}`;
  const requests: PlannedRequest[] = [];
  let seq = 0;
  let atMs = 0;
  const event = (fields: Partial<TrackerEvent> & Pick<TrackerEvent, 'type'>): TrackerEvent =>
    ({
      eventId: `${sessionId}_${seq}_${prng.id(6)}`,
      sessionId,
      seq: seq++,
      ts: startMs + atMs,
      url: `${site.origin}/`,
      screen: ua.device === 'mobile' ? { w: 390, h: 844 } : { w: 1440, h: 900 },
      lang: 'en-US',
      ...fields,
    }) as TrackerEvent;

  // Bots bounce off one page; people read a few (a third of them bounce too).
  const pagesToView = isBot ? 1 : prng.chance(0.33) ? 1 : prng.int(2, 7);
  let [path, title] = prng.pick(PAGES);
  for (let view = 0; view < pagesToView && atMs < options.maxVisitMs; view += 1) {
    const query = view === 0 && landing.query !== undefined ? `?${landing.query}` : '';
    const batch: TrackerEvent[] = [
      event({
        type: 'pageview',
        url: `${site.origin}${path}${query}`,
        title,
        ...(view === 0 && landing.referrer !== undefined ? { referrer: landing.referrer } : {}),
      }),
    ];
    if (!isBot && prng.chance(0.25)) {
      const custom = prng.pick(CUSTOM_EVENTS);
      batch.push(
        event({
          type: 'custom',
          url: `${site.origin}${path}`,
          name: custom.name,
          props: custom.props,
        }),
      );
    }
    requests.push({ atMs, events: batch });
    const readMs = isBot ? 500 : prng.int(4_000, 45_000);
    atMs += readMs;
    // Leaving the page (navigation or page hide) reports the time it was visible and focused.
    if (!isBot) {
      const engagement = event({
        type: 'engagement',
        url: `${site.origin}${path}`,
        engagedMs: Math.round(readMs * 0.8),
      });
      requests.push({ atMs, events: [engagement] });
    }
    [path, title] = prng.pick(PAGES);
  }

  if (prng.chance(options.badEventShare) && requests.length > 0) {
    // Accepted by the edge (valid shape) but stamped a year ahead: the consumer makes it a bad row.
    const last = requests[requests.length - 1];
    if (last !== undefined) {
      const skewed = event({
        type: 'pageview',
        url: `${site.origin}/`,
        ts: startMs + 365 * 24 * 3_600_000,
      });
      requests[requests.length - 1] = { atMs: last.atMs, events: [...last.events, skewed] };
    }
  }

  return {
    site,
    sessionId,
    userAgent: ua.userAgent,
    isBot,
    sourceIp: `127.0.${prng.int(1, 254)}.${prng.int(1, 254)}`,
    country: prng.weighted(COUNTRY_MIX).country,
    requests,
  };
}
