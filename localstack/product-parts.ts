/**
 * Everything `npm start` runs on top of the local AWS: the edge (ingest API, query API, live
 * dashboard), the consumer, the processor and the realtime rollup on their local event-source mappings, the metrics
 * sink, the demo sites with their keys and read tokens, demo traffic, and a live one-line
 * summary. Each piece registers with the product so Ctrl-C stops them newest first.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { startDemoTraffic, type DemoTrafficSite } from './demo-traffic/demo-traffic';
import { ConsumerTotals } from './consumer/consumer-totals';
import { startLocalConsumer } from './consumer/local-consumer';
import { startEdgePart } from './edge/edge-part';
import { DEMO_SITE, seedDemoSites } from './bootstrap/demo-sites';
import type { LocalConfig } from './local-config';
import type { LocalProduct } from './local-product';
import { startLocalProcessor } from './metrics-sink/local-processor';
import { guardProduct } from './product-guard';
import { startLocalRollup } from './rollup/local-rollup';
import { dashboardUrl, queryPartRoutes } from './query/query-part';
import { keepDemoReadTokens } from './query/read-tokens-kept';
import { removeStaleCheckpoints } from './event-source-mapping/stale-checkpoints';
import { DASHBOARD_PATH_PREFIX } from './query/dashboard-path';
import {
  DEMO_PAGE_PATH,
  TRACKER_SCRIPT_PATH,
  trackerRoutes,
  type DemoSiteTag,
} from './tracker/tracker-routes';
import { ingestCommand, queryCommand } from './printed-commands';

/** How many visits each demo site keeps running at once (the shop is the busy one). */
const DEMO_CONCURRENCY: Readonly<Record<string, number>> = {
  'demo-shop': 25,
  'demo-blog': 10,
  'demo-docs': 5,
};

/** What scripts read from `.liveinsight/demo.json` (DESIGN.md section 3a). */
export interface DemoDescriptor {
  readonly siteId: string;
  readonly ingestKey: string;
  readonly readToken: string;
  readonly edgeUrl: string;
  readonly awsEndpoint: string;
  /** The demo site's script tag as this edge serves it (tracker/README.md). */
  readonly scriptTag: string;
  /** The demo single-page app that uses it. */
  readonly demoPageUrl: string;
  /** The script and its SRI as this edge serves them, and the dashboard page (no token): what cli/target.ts reads. */
  readonly trackerScriptUrl: string;
  readonly trackerIntegrity: string;
  readonly dashboardUrl: string;
}

export interface ProductParts {
  readonly demo: DemoDescriptor;
  readonly dashboardUrl: string;
  /** Lines for the start-up banner. */
  readonly banner: readonly string[];
}

export async function startProductParts(
  product: LocalProduct,
  config: LocalConfig,
  print: (line: string) => void,
): Promise<ProductParts> {
  const stateDir = config.stateDir;
  await mkdir(stateDir, { recursive: true });

  let demoSite: DemoSiteTag | undefined = undefined; // set once the demo site is seeded
  const tracker = trackerRoutes(() => demoSite);
  const edgePart = await startEdgePart(product, {
    port: config.edgePort,
    // /li.js and the demo SPA under /demo/ (its tag once the demo site is seeded, below).
    routes: [...queryPartRoutes(product), ...tracker.routes],
  });
  product.addPart(edgePart);
  const edge = edgePart.edge;
  // From here on, a dead emulator pauses ingest (503) and is announced (product-guard.ts).
  const guard = guardProduct(product, config, edge.kinesis, print);
  const origin = edge.url.replace(/\/$/, '');
  // The demo sites and their fixed keys, with this edge's origins, in the registry table the
  // edge's authorizer reads (before any traffic).
  const siteKeys = await seedDemoSites(
    product.clients.dynamodb,
    product.resources.names.tables.registry,
    origin,
  );
  const demoKey = siteKeys.find((site) => site.siteId === DEMO_SITE.siteId);
  if (demoKey === undefined) throw new Error(`seedDemoSites did not seed ${DEMO_SITE.siteId}`);
  // The same tokens on every start while the state dir keeps them; earlier ones revoked.
  const { tokens: readTokens } = await keepDemoReadTokens(
    product,
    siteKeys.map((key) => key.siteId),
  );

  const totals = new ConsumerTotals();
  const consumer = await startLocalConsumer({
    env: product.env,
    clients: product.clients,
    // Kinesis data lives only as long as the emulator: keep checkpoints only with persistence.
    ...(config.dataDir === undefined ? {} : { checkpointDir: join(config.dataDir, 'esm') }),
    onReport: (report) => totals.add(report),
    onError: (error) => totals.addError(error),
  });
  product.addPart(consumer);

  const processor = await startLocalProcessor({
    env: product.env,
    clients: product.clients,
    metricsFile: join(stateDir, 'metrics.jsonl'),
    ...(config.dataDir === undefined
      ? {}
      : { checkpointDir: join(config.dataDir, 'esm-processor') }),
    print: (text) => print(text),
  });
  product.addPart(processor);

  // GET /realtime reads the counters this function keeps from the ActiveSessions stream.
  const rollup = await startLocalRollup({
    env: product.env,
    clients: product.clients,
    failureBucket: product.resources.names.buckets.failures,
    ...(config.dataDir === undefined ? {} : { checkpointDir: join(config.dataDir, 'esm-rollup') }),
  });
  product.addPart(rollup);
  if (config.dataDir !== undefined) {
    // Checkpoints of streams that no longer exist are never read again (stale-checkpoints.ts).
    await removeStaleCheckpoints([
      { directory: join(config.dataDir, 'esm'), mappings: [consumer.mapping] },
      { directory: join(config.dataDir, 'esm-processor'), mappings: processor.mappings },
      { directory: join(config.dataDir, 'esm-rollup'), mappings: [rollup.mapping] },
    ]);
  }

  const readToken = readTokens.get(DEMO_SITE.siteId) ?? '';
  demoSite = { siteId: DEMO_SITE.siteId, ingestKey: demoKey.ingestKey, origin };
  const scriptTag = tracker.tagFor(demoSite);
  const demoPageUrl = `${origin}${DEMO_PAGE_PATH}`;
  const demo: DemoDescriptor = {
    siteId: DEMO_SITE.siteId,
    ingestKey: demoKey.ingestKey,
    readToken,
    edgeUrl: origin,
    awsEndpoint: product.endpoint,
    scriptTag,
    demoPageUrl,
    trackerScriptUrl: `${origin}${TRACKER_SCRIPT_PATH}`,
    trackerIntegrity: tracker.manifest.integrity,
    dashboardUrl: `${origin}${DASHBOARD_PATH_PREFIX}`,
  };
  await writeFile(join(stateDir, 'demo.json'), `${JSON.stringify(demo, null, 2)}\n`);

  let quiet = false;
  const traffic = config.demoTraffic
    ? startDemoTraffic({
        edgeUrl: origin,
        sites: siteKeys.map((key): DemoTrafficSite => ({
          siteId: key.siteId,
          origin,
          ingestKey: key.ingestKey,
          concurrentVisits: DEMO_CONCURRENCY[key.siteId] ?? 5,
        })),
        // Quiet once stopping: the refusals (503) of the drain are expected.
        onError: (error) => {
          if (!quiet)
            print(`demo traffic: ${error instanceof Error ? error.message : String(error)}`);
        },
      })
    : undefined;
  if (traffic !== undefined) {
    product.addPart({
      summary:
        'demo      traffic on demo-shop, demo-blog, demo-docs (LIVEINSIGHT_DEMO=off to stop it)',
      stop: () => traffic.stop(),
    });
  }

  // The live line: what arrived, what the consumer wrote (rows new to their session; repeats
  // overwritten apart) or set aside, how far it runs behind, its errors, and a paused ingest.
  const SUMMARY_EVERY_MS = 5_000;
  let last = { accepted: 0, stored: 0, at: Date.now() };
  const ticker = setInterval(() => {
    const now = Date.now();
    const accepted = traffic?.stats().eventsAccepted ?? 0;
    const seconds = Math.max((now - last.at) / 1000, 0.001);
    const lag = consumer.mapping.lag();
    const rate = (n: number): string => (n / seconds).toFixed(1);
    print(
      `live  accepted ${rate(accepted - last.accepted)}/s (demo)  stored ${rate(totals.stored - last.stored)}/s` +
        `  total stored ${totals.stored}  bad rows ${totals.bad}${traffic === undefined ? '' : ` (the demo sent ${traffic.stats().eventsBadOnPurpose} bad on purpose)`}  duplicates ${totals.repeated}` +
        `  consumer lag ${lag.pendingRecords} records${lag.millisBehindLatest === undefined ? '' : `, ${lag.millisBehindLatest} ms`}` +
        `  ${totals.errorsText()}${guard.pausedText()}`,
    );
    last = { accepted, stored: totals.stored, at: now };
  }, SUMMARY_EVERY_MS);
  ticker.unref();
  product.addPart({
    summary: 'summary   one live line every 5 s',
    stop: async () => clearInterval(ticker),
  });
  // Last registered, first stopped: ingest is refused before anything else stops.
  product.addPart(
    guard.drainPart(consumer, async () => {
      quiet = true;
      await traffic?.stop();
    }),
  );

  const url = dashboardUrl(origin, DEMO_SITE.siteId, readToken);
  const banner = [
    '',
    `Dashboard     ${url}`,
    `Demo page     ${demoPageUrl}  (a small SPA with the tracker: click around, watch the dashboard)`,
    `Script tag    ${scriptTag}`,
    `Ingest        ${ingestCommand(origin, DEMO_SITE.siteId, demoKey.ingestKey)}`,
    `Query         ${queryCommand(origin, DEMO_SITE.siteId, readToken)}`,
    ...siteKeys.map(
      (key) =>
        `site ${key.siteId.padEnd(10)} ingest key ${key.ingestKey}  read token ${readTokens.get(key.siteId) ?? ''}`,
    ),
    `demo.json     ${join(stateDir, 'demo.json')}`,
    traffic === undefined
      ? 'Demo traffic  off (LIVEINSIGHT_DEMO=off)'
      : 'Demo traffic  on (LIVEINSIGHT_DEMO=off to run without it)',
  ];
  return { demo, dashboardUrl: url, banner };
}
