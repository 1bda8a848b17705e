/**
 * Test harness for the local edge on a test stack: a registry with two sites and their keys, an
 * edge on a free port writing to the stack's stream, and a small client for requests.
 */
import type { TrackerEvent } from '../../../schemas/ingest';
import type { TestStack } from '../../testing/use-test-stack';
import { KinesisBackend } from '../kinesis-backend';
import { type RunningEdge, startEdge } from '../server';
import { SiteRegistry, memoryRegistryStore } from '../site-registry';
import type { UsageLimits } from '../usage-limiter';
import { readStream, type StreamRecord } from './read-stream';

export const SHOP_ORIGIN = 'https://shop.example.com';

export interface Harness {
  readonly edge: RunningEdge;
  readonly registry: SiteRegistry;
  /** The edge's own Kinesis integration: tests put fault middleware on it. */
  readonly kinesis: KinesisBackend;
  readonly keys: { readonly shop: string; readonly other: string; readonly revoked: string };
  readonly accessLog: string[];
  post(body: unknown, headers?: Record<string, string>): Promise<Answer>;
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
  options: { limits?: UsageLimits; kinesis?: KinesisBackend; streamName?: string } = {},
): Promise<Harness> {
  const registry = new SiteRegistry(memoryRegistryStore());
  registry.addSite({ siteId: 'shop', origins: [SHOP_ORIGIN], tier: 'standard' });
  registry.addSite({ siteId: 'other-shop', origins: ['any'], tier: 'starter' });
  const shop = registry.addKey('shop').ingestKey;
  const other = registry.addKey('other-shop').ingestKey;
  const revokedKey = registry.addKey('shop');
  registry.revokeKey('shop', revokedKey.keyId);

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
    registry,
    seedDemoSite: false,
    ...(options.limits === undefined ? {} : { limits: options.limits }),
    accessLog: (line) => accessLog.push(line),
    logError: () => undefined,
  });

  async function post(body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
    const response = await fetch(`${edge.url}/events`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': shop,
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
    keys: { shop, other, revoked: revokedKey.ingestKey },
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
