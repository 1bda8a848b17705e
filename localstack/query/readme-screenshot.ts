/**
 * `npm run screenshot:dashboard`: the dashboard in Debian's Chromium over a seeded, realistic
 * half hour of one site (the benchmarks' reference workload, 420 active sessions), served by the
 * local edge from the emulators. Starts and stops everything it needs. It writes
 * `.liveinsight/dashboard.png` (the state folder, git-ignored); `-- --docs` replaces the README's
 * tracked docs/dashboard.png instead, and `-- --out <file>` writes where you say.
 */
import { mkdir } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { BatchWriteItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { createAwsClients, type AwsClients } from '../../handlers/aws-clients';
import { issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { resourceDefinitions } from '../../infra/resources';
import { realtimeWorkload } from '../demo-traffic/realtime-workload';
import { bootstrapResources } from '../bootstrap/bootstrap';
import { startEdge, type RunningEdge } from '../edge/server';
import { memoryRegistryReader } from '../../pipeline/ingest-authorization';
import { handlerEnv } from '../handler-env';
import { readLocalConfig } from '../local-config';
import { silenceSdkNodeWarning } from '../node-support';
import { startLocalStack, type LocalStack } from '../local-stack';
import { startLocalRollup, type LocalRollup } from '../rollup/local-rollup';
import { dashboardRoutes } from './dashboard-routes';
import { dashboardUrl } from './dashboard-path';
import { queryRoutes } from './query-routes';
import { launchChromium, type Browser } from './test-support/chromium';

const SITE = 'demo-shop';
/** The README's picture, tracked in git: replaced only when asked (`--docs`). */
export const DOCS_SCREENSHOT = join(__dirname, '..', '..', 'docs', 'dashboard.png');

/** Where the picture goes: `--out <file>`, `--docs`, or by default the state folder. */
export function screenshotTarget(argv: readonly string[], stateDir: string): string {
  const { values } = parseArgs({
    args: [...argv],
    options: { docs: { type: 'boolean' }, out: { type: 'string' } },
  });
  if (values.docs === true && values.out !== undefined) {
    throw new Error('--docs and --out both name where to write (expected one of them)');
  }
  if (values.out !== undefined) return resolve(values.out);
  return values.docs === true ? DOCS_SCREENSHOT : resolve(stateDir, 'dashboard.png');
}

async function main(): Promise<void> {
  // Its output is one line ("wrote …"); the SDK's nine-line Node warning is npm start's to say.
  silenceSdkNodeWarning();
  const output = screenshotTarget(process.argv.slice(2), readLocalConfig().stateDir);
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
      registry: memoryRegistryReader(),
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
    await mkdir(join(output, '..'), { recursive: true });
    await page.screenshot({ path: output, fullPage: true });
    console.log(`wrote ${output}`);
  } finally {
    await browser?.close();
    await edge?.stop();
    await rollup?.stop();
    clients?.destroy();
    await stack?.stop();
  }
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
