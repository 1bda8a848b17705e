/**
 * Tracker events of test sessions stamped around `base` (epoch ms), so that the sessions are
 * still active when a rebuild runs (the fixtures' RECEIVED_AT is in the past: those sessions have
 * expired, and a rebuild writes no ActiveSessions item for them).
 */
import {
  USER_AGENTS,
  customEvent,
  edgeRecord,
  engagementEvent,
  eventIdFor,
  pageviewEvent,
} from '../../pipeline/__fixtures__/edge-records';
import type { EdgeRecord, TrackerEvent } from '../../schemas';

export const SITE_ID = 'demo-shop';
export type EventKind = 'pageview' | 'engagement' | 'custom';

export interface SessionSpec {
  /** A number no other session of the test file uses. */
  readonly session: number;
  /** The seqs this session sends and the kind of each. */
  readonly events: readonly { readonly seq: number; readonly kind: EventKind }[];
}

export function sessionIdOf(session: number): string {
  return `rb_${String(session).padStart(8, '0')}`;
}

export function sessionEvents(spec: SessionSpec, base: number): EdgeRecord[] {
  return spec.events.map(({ seq, kind }) => {
    const receivedAt = base + seq * 7_000 + spec.session;
    const common = {
      eventId: eventIdFor(seq, `rb${spec.session}`),
      sessionId: sessionIdOf(spec.session),
      seq,
      ts: receivedAt,
      url: `https://shop.example.com/p/${(spec.session + seq) % 4}`,
    };
    const event: TrackerEvent =
      kind === 'engagement'
        ? engagementEvent({ ...common, engagedMs: 500 + seq })
        : kind === 'custom'
          ? customEvent({ ...common, name: 'add_to_cart', props: { sku: `sku-${seq}` } })
          : pageviewEvent(common);
    return edgeRecord({
      siteId: SITE_ID,
      receivedAt,
      requestId: `req_${spec.session}_${seq}`,
      userAgent: spec.session % 2 === 0 ? USER_AGENTS.chromeWindows : USER_AGENTS.safariIphone,
      sourceIp: `198.51.100.${spec.session % 250}`,
      event,
    });
  });
}
