/**
 * Reference workload of the realtime benchmarks and the README screenshot: one site's active sessions as the consumer
 * writes them, deterministic (seeded) so that runs compare. 10,000 sessions by default, spread
 * over the ActiveSessions shards exactly as the consumer spreads them; last activity uniform
 * over the last 25 minutes; 50 pages (Zipf-like), 8 sources, 4 device types, 12 countries;
 * 5 % bots; 1–6 page views spread over up to 6 minutes (pageviewMinutes has 1–6 keys).
 */
import { activeSessionShard } from '../../pipeline/items';
import type { ActiveSessionItem } from '../../schemas/items';
import { WINDOWS } from '../../schemas/limits';

const MINUTE_MS = 60_000;

/** mulberry32: a tiny seeded PRNG (not for secrets; for reproducible workloads). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const PAGES = Array.from({ length: 50 }, (_, i) => (i === 0 ? '/' : `/docs/page-${i}`));
const SOURCES = [
  ['direct', 'direct'],
  ['google', 'search'],
  ['bing', 'search'],
  ['twitter', 'social'],
  ['news.ycombinator.com', 'referral'],
  ['newsletter', 'email'],
  ['duckduckgo', 'search'],
  ['github.com', 'referral'],
] as const;
const DEVICES = ['desktop', 'mobile', 'tablet', 'other'] as const;
const COUNTRIES = ['US', 'DE', 'FR', 'GB', 'IN', 'BR', 'JP', 'CA', 'NL', 'ES', 'IT', 'unknown'];

export interface WorkloadOptions {
  readonly siteId: string;
  readonly sessions: number;
  readonly shardCount: number;
  readonly nowMs: number;
  readonly seed?: number;
}

export function realtimeWorkload(options: WorkloadOptions): ActiveSessionItem[] {
  const random = seededRandom(options.seed ?? 42);
  const pick = <T>(list: readonly T[], skew = 1): T => {
    const index = Math.floor(Math.pow(random(), skew) * list.length);
    return list[Math.min(index, list.length - 1)] as T;
  };
  const items: ActiveSessionItem[] = [];
  for (let i = 0; i < options.sessions; i += 1) {
    const sessionId = `bench-${options.seed ?? 42}-${String(i).padStart(6, '0')}`;
    // Within the last 25 minutes, so no session expires during a run of a few minutes.
    const lastSeen = options.nowMs - Math.floor(random() * 25 * MINUTE_MS);
    const pageviews = 1 + Math.floor(random() * 6);
    const pageviewMinutes: Record<string, number> = {};
    for (let p = 0; p < pageviews; p += 1) {
      const minute = String(Math.floor((lastSeen - p * MINUTE_MS) / MINUTE_MS));
      pageviewMinutes[minute] = (pageviewMinutes[minute] ?? 0) + 1;
    }
    const [source, medium] = pick(SOURCES, 2);
    const isBot = random() < 0.05;
    // Engagement-only tails: a third of the sessions pinged after their last page view.
    const lastInteractionAt =
      random() < 0.33 ? lastSeen - Math.floor(random() * 8 * MINUTE_MS) : lastSeen;
    items.push({
      pk: `${options.siteId}#${activeSessionShard(sessionId, options.shardCount)}`,
      sk: sessionId,
      siteId: options.siteId,
      sessionId,
      visitorId: `visitor-${Math.floor(random() * options.sessions * 0.8)}`,
      startedAt: lastSeen - pageviews * MINUTE_MS,
      lastSeen,
      lastInteractionAt,
      pageviews,
      events: pageviews * 2,
      customEvents: random() < 0.2 ? 1 : 0,
      engagedMs: Math.floor(random() * 300_000),
      entryPage: pick(PAGES, 3),
      currentPage: pick(PAGES, 2),
      source,
      medium,
      deviceType: pick(DEVICES, 1.5),
      browser: pick(['Chrome', 'Firefox', 'Safari', 'Edge']),
      os: pick(['Windows', 'macOS', 'Linux', 'iOS', 'Android']),
      country: pick(COUNTRIES, 1.5),
      isBot,
      pageviewMinutes,
      expiresAt: Math.floor((lastSeen + WINDOWS.activeSessionMs) / 1000),
    });
  }
  return items;
}
