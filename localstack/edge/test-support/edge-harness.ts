/**
 * Test harness for the local edge on a test stack: a registry with two sites and their keys, an
 * edge on a free port writing to the stack's stream, and a small client for requests.
 */
import {
  type MemoryRegistry,
  type RegistryReader,
  memoryRegistryReader,
} from '../../../pipeline/ingest-authorization';
import { formatIngestKey } from '../../../pipeline/ingest-key';
import type { TrackerEvent } from '../../../schemas/ingest';
import type { TestStack } from '../../testing/use-test-stack';
import { KinesisBackend } from '../kinesis-backend';
import { type RunningEdge, startEdge } from '../server';
import type { UsageLimits } from '../usage-limiter';
import { readStream, type StreamRecord } from './read-stream';

export const SHOP_ORIGIN = 'https://shop.example.com';

/** The harness's keys: fixed values, so a test can name them (they only exist in memory). */
export const HARNESS_KEYS = {
  shop: formatIngestKey('shop', 'HarnessShopKey000000000000000000'),
  other: formatIngestKey('other-shop', 'HarnessOtherKey00000000000000000'),
  revoked: formatIngestKey('shop', 'HarnessRevokedKey000000000000000'),
} as const;

/** `?key=` for the events URL; `null` sends none. */
export function eventsPath(key: string | null): string {
  return key === null ? '/events' : `/events?key=${encodeURIComponent(key)}`;
}

export interface Harness {
  readonly edge: RunningEdge;
  /** The registry the edge's authorizer reads: put items to revoke keys or change origins. */
  readonly registry: MemoryRegistry;
  /** The edge's own Kinesis integration: tests put fault middleware on it. */
  readonly kinesis: KinesisBackend;
  readonly keys: { readonly shop: string; readonly other: string; readonly revoked: string };
  readonly accessLog: string[];
  /**
   * POST /events?key=<shop key> as application/json (override the Content-Type in `headers`);
   * `key` null sends no key.
   */
  post(body: unknown, headers?: Record<string, string>, key?: string | null): Promise<Answer>;
  /** Records on the stream written by the request with this id. */
  recordsOf(requestId: string): Promise<StreamRecord[]>;
  stop(): Promise<void>;
}

export interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
  readonly requestId: string;
}

export async function startHarness(
  stack: TestStack,
  options: {
    limits?: UsageLimits;
    kinesis?: KinesisBackend;
    streamName?: string;
    authorizerCacheTtlMs?: number;
    /** The edge's clock (authorizer cache, limits, receivedAt); default Date.now. */
    clock?: () => number;
    /** What the authorizer reads instead of the registry itself (tests: inject failures). */
    wrapRegistry?: (registry: MemoryRegistry) => RegistryReader;
  } = {},
): Promise<Harness> {
  const registry = memoryRegistryReader();
  const { shop, other, revoked } = HARNESS_KEYS;
  registry.putSite({
    siteId: 'shop',
    origins: [SHOP_ORIGIN],
    tier: 'standard',
    keys: [shop],
    revokedKeys: [revoked],
  });
  registry.putSite({ siteId: 'other-shop', origins: ['*'], tier: 'starter', keys: [other] });

  const own =
    options.kinesis === undefined
      ? KinesisBackend.connect({ endpoint: stack.endpoint, region: stack.region })
      : undefined;
  const kinesis = options.kinesis ?? (own as KinesisBackend);
  const accessLog: string[] = [];
  const edge = await startEdge({
    port: 0,
    streamName: options.streamName ?? stack.names.eventsStream,
    kinesis,
    registry: options.wrapRegistry?.(registry) ?? registry,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.authorizerCacheTtlMs === undefined
      ? {}
      : { authorizerCacheTtlMs: options.authorizerCacheTtlMs }),
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    accessLog: (line) => accessLog.push(line),
    logError: () => undefined,
  });

  async function post(
    body: unknown,
    headers: Record<string, string> = {},
    key: string | null = shop,
  ): Promise<Answer> {
    const response = await fetch(`${edge.url}${eventsPath(key)}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'user-agent': 'edge-test/1.0',
        ...headers,
      },
      body: typeof body === 'string' || Buffer.isBuffer(body) ? body : JSON.stringify(body),
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      json: text === '' ? undefined : (JSON.parse(text) as unknown),
      requestId: response.headers.get('x-amzn-requestid') ?? '',
    };
  }

  return {
    edge,
    registry,
    kinesis,
    keys: { shop, other, revoked },
    accessLog,
    post,
    recordsOf: async (requestId) =>
      (await readStream(stack.clients.kinesis, stack.names.eventsStream)).filter(
        (r) => r.record.requestId === requestId,
      ),
    async stop() {
      await edge.stop();
      own?.destroy();
    },
  };
}

let counter = 0;

/** `n` valid events with ids unique to this test run. */
export function events(n: number, overrides: Partial<TrackerEvent> = {}): TrackerEvent[] {
  const run = `${Date.now().toString(36)}${(counter++).toString(36)}`;
  return Array.from(
    { length: n },
    (_, i) =>
      ({
        eventId: `evt_${run}_${String(i).padStart(6, '0')}`,
        sessionId: `sess_${run}_${i % 3}`,
        seq: i,
        type: 'pageview',
        ts: 1_763_000_000_000 + i,
        url: `https://shop.example.com/p/${i}`,
        ...overrides,
      }) as TrackerEvent,
  );
}
