/**
 * The ingest API from a real browser (Debian's Chromium via playwright-core): a page on another
 * origin than the edge (a tiny page server on its own port) sends with navigator.sendBeacon and
 * with fetch keepalive, the way the tracker does — `?key=` and a text/plain body, so no
 * preflight ever reaches the edge. The events reach the stream and, through the consumer, the
 * Events table. The same page on an origin off the site's list is refused and stores nothing.
 * One browser, one stack, one edge for the file.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { formatIngestKey } from '../../pipeline/ingest-key';
import { launchChromium, type Browser } from '../query/test-support/chromium';
import { startLiveConsumer, type LiveConsumer } from '../query/test-support/live-consumer';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { type Harness, eventsPath, events, startHarness } from './test-support/edge-harness';
import { readStream } from './test-support/read-stream';

const SITE = 'browser-shop';
const KEY = formatIngestKey(SITE, 'BrowserTestKey000000000000000000');

let stack: TestStack;
let edge: Harness;
let consumer: LiveConsumer;
let browser: Browser;
let pages: Server;
/** The page server's origin on the site's allow-list; `localhost` on the same port is another. */
let allowedOrigin: string;
let refusedOrigin: string;

beforeAll(async () => {
  stack = await useTestStack({ name: 'edge-browser' });
  edge = await startHarness(stack);
  consumer = await startLiveConsumer(stack);
  pages = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end('<!doctype html><title>shop</title><p>a page of the shop');
  });
  await new Promise<void>((resolve) => pages.listen(0, '127.0.0.1', resolve));
  const port = (pages.address() as AddressInfo).port;
  allowedOrigin = `http://127.0.0.1:${port}`;
  refusedOrigin = `http://localhost:${port}`;
  edge.registry.putSite({ siteId: SITE, origins: [allowedOrigin], keys: [KEY] });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await new Promise((resolve) => pages?.close(resolve));
  await consumer?.stop();
  await edge?.stop();
  await stack?.dispose();
});

/** Opens the page on `origin` and sends one batch each way; what the page saw of the answers. */
async function sendFrom(origin: string, beaconBatch: object, fetchBatch: object) {
  const page = await browser.context.newPage();
  try {
    await page.goto(`${origin}/`);
    return await page.evaluate(
      async ({ url, beacon, fetched }) => {
        // The page's navigator (this file is typed without the DOM library).
        const { navigator } = globalThis as unknown as {
          navigator: { sendBeacon(url: string, data: string): boolean };
        };
        const queued = navigator.sendBeacon(url, JSON.stringify(beacon));
        let fetchStatus: number | string;
        try {
          // No headers: a string body is text/plain;charset=UTF-8, a CORS-simple request.
          const response = await fetch(url, {
            method: 'POST',
            body: JSON.stringify(fetched),
            keepalive: true,
          });
          fetchStatus = response.status;
        } catch (error) {
          fetchStatus = String(error);
        }
        return { queued, fetchStatus };
      },
      { url: `${edge.edge.url}${eventsPath(KEY)}`, beacon: beaconBatch, fetched: fetchBatch },
    );
  } finally {
    await page.close();
  }
}

/** Stored Events items of these events (pk = siteId#sessionId, sk = eventId). */
async function storedEvents(batch: readonly { sessionId: string; eventId: string }[]) {
  const found: string[] = [];
  for (const { sessionId, eventId } of batch) {
    const { Item } = await stack.clients.dynamodb.send(
      new GetItemCommand({
        TableName: stack.names.tables.events,
        Key: { pk: { S: `${SITE}#${sessionId}` }, sk: { S: eventId } },
      }),
    );
    if (Item !== undefined) found.push(eventId);
  }
  return found;
}

async function streamedEventIds(): Promise<Set<string>> {
  const records = await readStream(stack.clients.kinesis, stack.names.eventsStream);
  return new Set(records.map((r) => r.record.event.eventId));
}

const optionsRequests = () =>
  edge.accessLog.filter((line) => line.includes('"httpMethod":"OPTIONS"')).length;

it('takes sendBeacon and fetch keepalive from an allowed origin without a preflight; the events reach the Events table', async () => {
  // Events of now: the consumer stores what arrives within its clock-skew window.
  const [beaconEvent, fetchEvent] = events(2, { ts: Date.now() });
  if (beaconEvent === undefined || fetchEvent === undefined) throw new Error('no events');

  const seen = await sendFrom(
    allowedOrigin,
    { siteId: SITE, events: [beaconEvent] },
    { siteId: SITE, events: [fetchEvent] },
  );

  expect(seen).toEqual({ queued: true, fetchStatus: 200 });
  const sent = [beaconEvent, fetchEvent];
  const deadline = Date.now() + 30_000;
  let stored = await storedEvents(sent);
  while (stored.length < sent.length && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    stored = await storedEvents(sent);
  }
  expect(stored.sort()).toEqual(sent.map((e) => e.eventId).sort());
  expect(optionsRequests()).toBe(0);
  // Both came as the browser sends them: text/plain with the key in the query, from the page.
  const posts = edge.accessLog.filter((line) => line.includes('"httpMethod":"POST"'));
  expect(posts.filter((line) => line.includes('"status":"200"'))).toHaveLength(2);
});

it('refuses the same page on an origin off the list: the page cannot read the answer, nothing is stored', async () => {
  const [beaconEvent, fetchEvent] = events(2);
  if (beaconEvent === undefined || fetchEvent === undefined) throw new Error('no events');
  const before = edge.accessLog.length;

  const seen = await sendFrom(
    refusedOrigin,
    { siteId: SITE, events: [beaconEvent] },
    { siteId: SITE, events: [fetchEvent] },
  );

  // sendBeacon only queues; fetch fails as a CORS error (no Access-Control-Allow-Origin).
  expect(seen.queued).toBe(true);
  expect(String(seen.fetchStatus)).toMatch(/TypeError/);
  // Both requests reached the edge (the beacon is sent on its own schedule) and were refused.
  const deadline = Date.now() + 10_000;
  const refusals = () =>
    edge.accessLog.slice(before).filter((line) => line.includes('"status":"403"')).length;
  while (refusals() < 2 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(refusals()).toBe(2);
  const streamed = await streamedEventIds();
  expect(streamed.has(beaconEvent.eventId)).toBe(false);
  expect(streamed.has(fetchEvent.eventId)).toBe(false);
  expect(optionsRequests()).toBe(0);
});
