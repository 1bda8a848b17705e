/**
 * Request bodies for POST /events: events of the ingest contract, a realistic mix of batch
 * sizes, and batches sized to the byte (the 1 MB limit counts UTF-8 bytes; every body built here
 * is ASCII, so its length is its byte count). Pure TypeScript: k6 and jest both run it.
 */
import { LIMITS } from '../../../schemas/limits';

/** The fields of one event this generator sends (schemas/ingest.ts TrackerEvent). */
export interface LoadEvent {
  readonly eventId: string;
  readonly sessionId: string;
  readonly seq: number;
  readonly type: 'pageview';
  readonly ts: number;
  readonly url: string;
}

export interface IngestBody {
  readonly siteId: string;
  readonly events: readonly LoadEvent[];
}

export type Random = () => number;

/**
 * How many events a tracker request carries: mostly one (a page view flushed at once), some
 * small flushes, rarely a long session's backlog. The weights are an assumption, not a
 * measurement; the reference workload's 20 events per session sent 10 at a time sits inside.
 */
export const BATCH_SIZE_MIX: readonly {
  readonly weight: number;
  readonly min: number;
  readonly max: number;
}[] = [
  { weight: 0.55, min: 1, max: 1 },
  { weight: 0.3, min: 2, max: 5 },
  { weight: 0.12, min: 6, max: 20 },
  { weight: 0.03, min: 21, max: 100 },
];

/** A batch size drawn from BATCH_SIZE_MIX. */
export function drawBatchSize(random: Random): number {
  let u = random();
  for (const bucket of BATCH_SIZE_MIX) {
    if (u < bucket.weight) {
      return bucket.min + Math.floor(random() * (bucket.max - bucket.min + 1));
    }
    u -= bucket.weight;
  }
  const last = BATCH_SIZE_MIX[BATCH_SIZE_MIX.length - 1];
  return last === undefined ? 1 : last.max;
}

/** The mean of BATCH_SIZE_MIX, events per request: turns requests/s into events/s. */
export function meanBatchSize(): number {
  return BATCH_SIZE_MIX.reduce((sum, b) => sum + (b.weight * (b.min + b.max)) / 2, 0);
}

/**
 * `n` events of one session. `prefix` makes ids unique per run, VU and iteration (k6 runs
 * scripts in many VUs at once); ids stay within the contract's 16–64 characters.
 */
export function sessionEvents(prefix: string, n: number, nowMs: number): LoadEvent[] {
  const sessionId = `s_${prefix}`.padEnd(8, '0');
  // Fixed-width index: padding the id's end instead would make e_x_1 and e_x_10 collide.
  const eventId = (i: number) => `e_${prefix}_${String(i).padStart(6, '0')}`;
  const longest = eventId(Math.max(0, n - 1));
  if (longest.length > 64 || !/^[A-Za-z0-9_-]+$/.test(longest)) {
    throw new RangeError(
      `ids from prefix ${JSON.stringify(prefix)} and ${n} events would be ${JSON.stringify(longest)} (expected at most 64 of A-Z a-z 0-9 _ -)`,
    );
  }
  return Array.from({ length: n }, (_, i) => ({
    eventId: eventId(i).padEnd(16, '0'),
    sessionId,
    seq: i,
    type: 'pageview' as const,
    ts: nowMs,
    url: `https://load.example.com/p/${i}`,
  }));
}

export function byteLength(text: string): number {
  // Counts UTF-8 bytes without TextEncoder or Buffer (neither is in every k6 version).
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

/**
 * A body of exactly `bytes` UTF-8 bytes carrying `n` events: the events' URLs are padded (each
 * stays within the contract's URL length). Throws when the size cannot be reached with `n`
 * events, naming both.
 */
export function sizedBody(
  siteId: string,
  prefix: string,
  n: number,
  bytes: number,
  nowMs: number,
): string {
  const events = sessionEvents(prefix, n, nowMs);
  const base = JSON.stringify({ siteId, events });
  let missing = bytes - byteLength(base);
  const room = LIMITS.maxUrlLength - 64;
  if (missing < 0 || missing > room * n) {
    throw new RangeError(
      `cannot make ${n} events weigh ${bytes} bytes (expected between ${byteLength(base)} and ${byteLength(base) + room * n})`,
    );
  }
  const padded = events.map((event) => {
    const add = Math.min(missing, room);
    missing -= add;
    // "?" plus add - 1 letters: exactly `add` more bytes.
    return add === 0 ? event : { ...event, url: `${event.url}?${'x'.repeat(add - 1)}` };
  });
  const body = JSON.stringify({ siteId, events: padded });
  const size = byteLength(body);
  if (size !== bytes) throw new Error(`sized body is ${size} bytes (expected ${bytes})`);
  return body;
}

/** The payload-limit cases: each with the body, the events it carries and the expected answer. */
export interface LimitCase {
  readonly name: string;
  readonly body: string;
  readonly events: number;
  readonly expectStatus: number;
  /** Sent with key A unless false (the bad-key case sends a key no stage has). */
  readonly goodKey: boolean;
}

export function limitCases(siteId: string, prefix: string, nowMs: number): LimitCase[] {
  const max = LIMITS.maxEventsPerRequest;
  const mb = LIMITS.maxBodyBytes;
  const ok = (name: string, body: string, events: number): LimitCase => ({
    name,
    body,
    events,
    expectStatus: 200,
    goodKey: true,
  });
  return [
    ok(`${max} events, ${mb} bytes`, sizedBody(siteId, `${prefix}_full`, max, mb, nowMs), max),
    {
      name: `${max + 1} events`,
      body: JSON.stringify({ siteId, events: sessionEvents(`${prefix}_over`, max + 1, nowMs) }),
      events: max + 1,
      expectStatus: 400,
      goodKey: true,
    },
    {
      name: `${mb + 1} bytes`,
      body: sizedBody(siteId, `${prefix}_big`, max, mb + 1, nowMs),
      events: max,
      expectStatus: 413,
      goodKey: true,
    },
    { name: 'bad JSON', body: '{"siteId":', events: 0, expectStatus: 400, goodKey: true },
    {
      name: 'bad key',
      body: JSON.stringify({ siteId, events: sessionEvents(`${prefix}_key`, 1, nowMs) }),
      events: 1,
      expectStatus: 403,
      goodKey: false,
    },
  ];
}
