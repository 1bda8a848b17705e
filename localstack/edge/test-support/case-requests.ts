/** Turns a row of the shared case table (infra/api/__fixtures__/ingest-cases.ts) into a request. */
import { match } from 'ts-pattern';
import type {
  CaseBody,
  CaseLimits,
  IngestCase,
} from '../../../infra/api/__fixtures__/ingest-cases';
import { USAGE_PLAN_TIERS } from '../../../infra/api/ingest-api-spec';
import { formatIngestKey } from '../../../pipeline/ingest-key';
import type { UsageLimits } from '../usage-limiter';
import { events } from './edge-harness';

/**
 * A schema-valid body of exactly `bytes` bytes of UTF-8, up to about 2 MB of ASCII: the events'
 * referrers and titles filled with `unit` (a character of 1–4 bytes), then ASCII to the byte.
 */
export function validBodyOfBytes(bytes: number, siteId = 'shop', unit = 'r'): string {
  const batch = events(500).map((event) => ({ ...event, referrer: '', title: '' }));
  const base = Buffer.byteLength(JSON.stringify({ siteId, events: batch }));
  const unitBytes = Buffer.byteLength(unit);
  let deficit = bytes - base;
  if (deficit < 0) throw new RangeError(`${bytes} bytes is below a 500-event body (${base})`);
  for (const event of batch) {
    const referrer = Math.min(Math.floor(deficit / unitBytes), 2048);
    event.referrer = unit.repeat(referrer);
    deficit -= referrer * unitBytes;
    // 510 of the title's 512 characters, leaving room for the ASCII remainder below.
    const title = Math.min(Math.floor(deficit / unitBytes), 510);
    event.title = unit.repeat(title);
    deficit -= title * unitBytes;
  }
  if (deficit >= unitBytes)
    throw new RangeError(`${bytes} bytes is more than a valid body can hold`);
  const first = batch[0] as (typeof batch)[number];
  first.title += 't'.repeat(deficit);
  const text = JSON.stringify({ siteId, events: batch });
  const built = Buffer.byteLength(text);
  if (built !== bytes) throw new Error(`built ${built} bytes, wanted ${bytes}`);
  return text;
}

export function caseBody(body: CaseBody): string {
  return match(body)
    .with({ kind: 'events' }, ({ count, siteId }) =>
      JSON.stringify({ siteId: siteId ?? 'shop', events: events(count) }),
    )
    .with({ kind: 'padded-to-bytes' }, ({ bytes, unit }) =>
      // Past ~2 MB no valid body exists; API Gateway refuses by size before reading it anyway.
      bytes <= 2_000_000 ? validBodyOfBytes(bytes, 'shop', unit) : 'x'.repeat(bytes),
    )
    .with({ kind: 'raw' }, ({ text }) => text)
    .exhaustive();
}

function caseKey(c: IngestCase, keys: { shop: string; other: string; revoked: string }) {
  return match(c.key)
    .with('shop', 'header', () => keys.shop)
    .with('other-site', () => keys.other)
    .with('revoked', () => keys.revoked)
    .with('unknown', () => formatIngestKey('shop', 'Unknown0Key0Never0Issued00000000'))
    .with('malformed', () => 'li_shop_not-a-key')
    .with('none', () => undefined)
    .exhaustive();
}

/** The case's path with its `?key=` (none for `none` and `header`). */
export function casePath(
  c: IngestCase,
  keys: { shop: string; other: string; revoked: string },
): string {
  const key = c.key === 'header' ? undefined : caseKey(c, keys);
  const path = c.path ?? '/events';
  return key === undefined ? path : `${path}?key=${encodeURIComponent(key)}`;
}

export function caseHeaders(
  c: IngestCase,
  keys: { shop: string; other: string; revoked: string },
): Record<string, string> {
  return {
    ...(c.key === 'header' ? { 'x-api-key': caseKey(c, keys) as string } : {}),
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
