/** Typed factory of enriched events (what the pipeline hands the consumer's writers). */
import type { EnrichedEvent } from '../../../schemas';

export function enrichedEvent(overrides: Partial<EnrichedEvent> = {}): EnrichedEvent {
  const sessionId = overrides.sessionId ?? 'session-0001';
  const seq = overrides.seq ?? 0;
  return {
    eventId: `${sessionId}-event-${String(seq).padStart(4, '0')}`,
    siteId: 'demo-site',
    sessionId,
    seq,
    type: 'pageview',
    ts: 1_767_225_600_000 + seq * 1_000,
    receivedAt: 1_767_225_600_000 + seq * 1_000,
    requestId: `request-${seq}`,
    url: `https://shop.example/products/${seq}`,
    host: 'shop.example',
    path: `/products/${seq}`,
    visitorId: 'visitor-aaaa',
    source: { source: 'google', medium: 'search', referrerHost: 'google.com' },
    device: { type: 'desktop', browser: 'Firefox', os: 'Linux' },
    isBot: false,
    country: 'DE',
    ...overrides,
  };
}
