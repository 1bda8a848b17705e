/** Typed factory for enriched events (what the session fold consumes). */
import type { EnrichedEvent } from '../../schemas';
import { RECEIVED_AT, eventIdFor } from './edge-records';

export function enrichedEvent(overrides: Partial<EnrichedEvent> = {}): EnrichedEvent {
  const seq = overrides.seq ?? 0;
  return {
    eventId: eventIdFor(seq),
    siteId: 'demo-shop',
    sessionId: 'sess_01234567',
    seq,
    type: 'pageview',
    ts: RECEIVED_AT - 150,
    receivedAt: RECEIVED_AT + seq * 1_000,
    requestId: 'req_7f3c2a',
    url: 'https://shop.example.com/products/1',
    host: 'shop.example.com',
    path: '/products/1',
    visitorId: 'visitor-a',
    source: { source: 'google', medium: 'search', referrerHost: 'google.com' },
    device: { type: 'desktop', browser: 'Chrome', os: 'Windows' },
    isBot: false,
    country: 'DE',
    ...overrides,
  };
}
