/**
 * End to end: the demo page served by the edge (/demo/, the real li.js with SRI) in Chromium,
 * through the ingest API (simple text/plain requests, ?key=), Kinesis, the consumer and
 * ActiveSessions, read back from GET /sessions/active: one session, exactly the views made.
 */
import type { Browser } from 'playwright-core';
import { issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { startEdge, type RunningEdge } from '../../localstack/edge/server';
import { queryRoutes } from '../../localstack/query/query-routes';
import {
  startLiveConsumer,
  type LiveConsumer,
} from '../../localstack/query/test-support/live-consumer';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { trackerRoutes, type DemoSiteTag } from '../../localstack/tracker/tracker-routes';
import { memoryRegistryReader } from '../../pipeline/ingest-authorization';
import { newIngestKey } from '../../pipeline/ingest-key';
import { launchTrackerChromium, until } from './tracker-test-server';

const SITE = 'tracker-e2e';
/** A desktop browser's user agent: HeadlessChrome's own is a bot, and bots are not the point here. */
const CHROME =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

let stack: TestStack;
let edge: RunningEdge;
let consumer: LiveConsumer;
let browser: Browser;
let readToken: string;
let demoSite: DemoSiteTag | undefined;

beforeAll(async () => {
  stack = await useTestStack({ name: 'tracker-product' });
  const registry = memoryRegistryReader();
  const ingestKey = newIngestKey(SITE).key;
  registry.putSite({ siteId: SITE, origins: ['*'], tier: 'standard', keys: [ingestKey] });
  readToken = await issueReadToken(stack.clients.dynamodb, stack.names.tables.readTokens, SITE, {
    nowMs: Date.now(),
    label: 'tracker e2e',
  });
  const tracker = trackerRoutes(() => demoSite);
  edge = await startEdge({
    port: 0,
    streamName: stack.names.eventsStream,
    aws: { endpoint: stack.endpoint, region: stack.region },
    registry,
    routes: [
      ...queryRoutes({
        dynamodb: stack.clients.dynamodb,
        activeSessionsTable: stack.names.tables.activeSessions,
        realtimeRollupsTable: stack.names.tables.realtimeRollups,
        readTokensTable: stack.names.tables.readTokens,
        activeSessionShards: stack.resources.activeSessionShards,
      }),
      ...tracker.routes,
    ],
  });
  demoSite = { siteId: SITE, ingestKey, origin: edge.url.replace(/\/$/, '') };
  consumer = await startLiveConsumer(stack, {
    timing: { pollIntervalMs: 100 },
    batchingWindowSeconds: 0,
  });
  browser = await launchTrackerChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await consumer?.stop();
  await edge?.stop();
  await stack?.dispose();
});

interface ActiveSession {
  readonly sessionId: string;
  readonly pageviews: number;
  readonly events: number;
  readonly entryPage: string;
  readonly currentPage: string;
  readonly isBot: boolean;
}

it('counts the views made on the demo SPA in Chromium, once each, in /sessions/active', async () => {
  const context = await browser.newContext({ userAgent: CHROME });
  try {
    const page = await context.newPage();
    await page.goto(`${demoSite!.origin}/demo/`);
    await page.click('text=Pricing');
    await page.waitForURL('**/demo/pricing');
    await page.click('#cart');
    await page.click('text=Docs');
    await page.waitForURL('**/demo/docs');
    await page.goBack();
    await page.waitForURL('**/demo/pricing');

    const session = await until(
      async () => {
        const response = await fetch(`${demoSite!.origin}/sessions/active?siteId=${SITE}`, {
          headers: { authorization: `Bearer ${readToken}` },
        });
        const answer = (await response.json()) as { sessions?: ActiveSession[] };
        const found = answer.sessions?.[0];
        return found !== undefined && found.pageviews >= 4 && found;
      },
      'the session with its 4 views in /sessions/active',
      45_000,
    );
    expect(session.pageviews).toBe(4);
    expect(session.isBot).toBe(false);
    expect(session.entryPage).toBe('/demo');
    expect(session.currentPage).toBe('/demo/pricing');
    const all = (await (
      await fetch(`${demoSite!.origin}/sessions/active?siteId=${SITE}`, {
        headers: { authorization: `Bearer ${readToken}` },
      })
    ).json()) as { sessions: ActiveSession[] };
    expect(all.sessions).toHaveLength(1);
  } finally {
    await context.close();
  }
});
