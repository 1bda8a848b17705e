/**
 * `npm run screenshot:dashboard`: renders docs/dashboard.png for the README — the dashboard in
 * Debian's Chromium over a seeded, realistic half hour of one site (the benchmarks' reference
 * workload, 420 active sessions), served by the local edge from the emulators. Starts and stops
 * everything it needs.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createAwsClients, type AwsClients } from '../../handlers/aws-clients';
import { issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { resourceDefinitions } from '../../infra/resources';
import { realtimeWorkload } from '../../loadtest/bench/realtime-workload';
import { bootstrapResources } from '../bootstrap/bootstrap';
import { startEdge, type RunningEdge } from '../edge/server';
import { SiteRegistry, memoryRegistryStore } from '../edge/site-registry';
import { handlerEnv } from '../handler-env';
import { startLocalStack, type LocalStack } from '../local-stack';
import { startLocalRollup, type LocalRollup } from '../rollup/local-rollup';
import { dashboardRoutes } from './dashboard-routes';
import { dashboardUrl } from './dashboard-path';
import { queryRoutes } from './query-routes';
import { launchChromium, type Browser } from './test-support/chromium';

const SITE = 'demo-shop';
const OUTPUT = join(__dirname, '..', '..', 'docs', 'dashboard.png');

async function main(): Promise<void> {
  let stack: LocalStack | undefined;
  let clients: AwsClients | undefined;
  let edge: RunningEdge | undefined;
  let browser: Browser | undefined;
  let rollup: LocalRollup | undefined;
  try {
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients({ endpoint: stack.endpoint, region: stack.region });
    const resources = resourceDefinitions('readme-screenshot');
    await bootstrapResources(clients, resources);
    // The rollup turns the seeded sessions into the counters /realtime reads, as on AWS.
    rollup = await startLocalRollup({
      env: handlerEnv(stack.endpoint, stack.region, resources),
      clients,
      failureBucket: resources.names.buckets.failures,
    });
    const items = realtimeWorkload({
      siteId: SITE,
      sessions: 420,
      shardCount: resources.activeSessionShards,
      nowMs: Date.now(),
      seed: 7,
    });
    for (let i = 0; i < items.length; i += 25) {
      await clients.dynamodb.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [resources.names.tables.activeSessions]: items
              .slice(i, i + 25)
              .map((item) => ({ PutRequest: { Item: marshall(item) } })),
          },
        }),
      );
    }
    const token = await issueReadToken(clients.dynamodb, resources.names.tables.readTokens, SITE, {
      nowMs: Date.now(),
      label: 'readme screenshot',
    });
    edge = await startEdge({
      port: 0,
      streamName: resources.names.eventsStream,
      aws: { endpoint: stack.endpoint, region: stack.region },
      registry: new SiteRegistry(memoryRegistryStore()),
      seedDemoSite: false,
      routes: [
        ...queryRoutes({
          dynamodb: clients.dynamodb,
          activeSessionsTable: resources.names.tables.activeSessions,
          realtimeRollupsTable: resources.names.tables.realtimeRollups,
          readTokensTable: resources.names.tables.readTokens,
          activeSessionShards: resources.activeSessionShards,
        }),
        ...dashboardRoutes(),
      ],
    });
    browser = await launchChromium();
    const page = await browser.context.newPage();
    await page.goto(dashboardUrl(edge.url, SITE, token));
    // Every seeded human session counted (the rollup may still be catching up when the page loads).
    const humans = items.filter((item) => !item.isBot).length.toLocaleString('en-US');
    await page
      .getByTestId('active-sessions')
      .filter({ hasText: new RegExp(`^\\s*${humans}\\s*$`) })
      .waitFor({ timeout: 60_000 });
    await mkdir(join(OUTPUT, '..'), { recursive: true });
    await page.screenshot({ path: OUTPUT, fullPage: true });
    console.log(`wrote ${OUTPUT}`);
  } finally {
    await browser?.close();
    await edge?.stop();
    await rollup?.stop();
    clients?.destroy();
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
