/** Turns a row of the shared case table (infra/api/__fixtures__/ingest-cases.ts) into a request. */
import { match } from 'ts-pattern';
import type {
  CaseBody,
  CaseLimits,
  IngestCase,
} from '../../../infra/api/__fixtures__/ingest-cases';
import { USAGE_PLAN_TIERS } from '../../../infra/api/ingest-api-spec';
import { formatIngestKey } from '../../../infra/api/ingest-api-spec';
import type { UsageLimits } from '../usage-limiter';
import { events } from './edge-harness';

/** A schema-valid body of exactly `bytes` bytes (ASCII), up to about 2 MB. */
export function validBodyOfBytes(bytes: number, siteId = 'shop'): string {
  const batch = events(500).map((event) => ({ ...event, referrer: '', title: '' }));
  const base = JSON.stringify({ siteId, events: batch }).length;
  let deficit = bytes - base;
  if (deficit < 0) throw new RangeError(`${bytes} bytes is below a 500-event body (${base})`);
  for (const event of batch) {
    const referrer = Math.min(deficit, 2048);
    event.referrer = 'r'.repeat(referrer);
    deficit -= referrer;
    const title = Math.min(deficit, 512);
    event.title = 't'.repeat(title);
    deficit -= title;
  }
  if (deficit > 0) throw new RangeError(`${bytes} bytes is more than a valid body can hold`);
  const text = JSON.stringify({ siteId, events: batch });
  if (text.length !== bytes) throw new Error(`built ${text.length} bytes, wanted ${bytes}`);
  return text;
}

export function caseBody(body: CaseBody): string {
  return match(body)
    .with({ kind: 'events' }, ({ count, siteId }) =>
      JSON.stringify({ siteId: siteId ?? 'shop', events: events(count) }),
    )
    .with({ kind: 'padded-to-bytes' }, ({ bytes }) =>
      // Past ~2 MB no valid body exists; API Gateway refuses by size before reading it anyway.
      bytes <= 2_000_000 ? validBodyOfBytes(bytes) : 'x'.repeat(bytes),
    )
    .with({ kind: 'raw' }, ({ text }) => text)
    .exhaustive();
}

export function caseHeaders(
  c: IngestCase,
  keys: { shop: string; other: string; revoked: string },
): Record<string, string> {
  const key = match(c.key)
    .with('shop', () => keys.shop)
    .with('other-site', () => keys.other)
    .with('revoked', () => keys.revoked)
    .with('unknown', () => formatIngestKey('shop', 'Unknown0Key0Never0Issued00000000'))
    .with('none', () => undefined)
    .exhaustive();
  return {
    ...(key === undefined ? {} : { 'x-api-key': key }),
    ...(c.noContentType === true ? {} : { 'content-type': 'application/json' }),
    ...c.headers,
  };
}

export function caseLimits(limits: CaseLimits): UsageLimits {
  return match(limits)
    .with('tiny-throttle', () => ({
      tiers: {
        ...USAGE_PLAN_TIERS,
        standard: { ...USAGE_PLAN_TIERS.standard, throttle: { rateLimit: 0.001, burstLimit: 2 } },
      },
      methodThrottle: { rateLimit: 1000, burstLimit: 1000 },
    }))
    .with('tiny-quota', () => ({
      tiers: { ...USAGE_PLAN_TIERS, standard: { ...USAGE_PLAN_TIERS.standard, quotaPerDay: 2 } },
      methodThrottle: { rateLimit: 1000, burstLimit: 1000 },
    }))
    .exhaustive();
}
