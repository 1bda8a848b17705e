/**
 * Child process of `npm run bench:edge`: serves either the local edge (POST /events → kinesalite)
 * or the floor (a bare node:http server that answers 200 without work) on a free port, reports
 * `{port, ingestKey}` over IPC and exits when its parent goes away.
 *
 * Run as: node --require tsx/cjs edge-bench-server.ts <edge|floor> <awsEndpoint> <streamName>
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { USAGE_PLAN_TIERS } from '../../infra/api/ingest-api-spec';
import { startEdge } from '../../localstack/edge/server';
import { DEMO_SITE } from '../../localstack/bootstrap/demo-sites';
import { memoryRegistryReader } from '../../pipeline/ingest-authorization';
import { formatIngestKey } from '../../pipeline/ingest-key';

/** The bench measures the edge's own cost at 1,000 rps: throttles sit far above that. */
const LIFTED = { rateLimit: 1_000_000, burstLimit: 1_000_000 };

async function main(): Promise<void> {
  const [mode, endpoint, streamName] = process.argv.slice(2);
  const report = (message: Record<string, unknown>) => process.send?.(message);
  if (mode === 'floor') {
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end('{"accepted":10}');
      });
    });
    server.keepAliveTimeout = 65_000;
    server.listen(0, '127.0.0.1', () =>
      report({ port: (server.address() as AddressInfo).port, ingestKey: '' }),
    );
    process.on('disconnect', () => process.exit(0));
    return;
  }
  if (mode !== 'edge' || endpoint === undefined || streamName === undefined) {
    throw new Error(
      `expected "edge <awsEndpoint> <streamName>" or "floor", received ${JSON.stringify(process.argv.slice(2))}`,
    );
  }
  // The load sends Origin http://localhost:3000, as the demo page on the default port would.
  const ingestKey = formatIngestKey(DEMO_SITE.siteId, DEMO_SITE.secret);
  const registry = memoryRegistryReader();
  registry.putSite({
    siteId: DEMO_SITE.siteId,
    origins: ['http://localhost:3000'],
    keys: [ingestKey],
  });
  const edge = await startEdge({
    port: 0,
    streamName,
    aws: { endpoint, region: 'us-east-1' },
    registry,
    limits: {
      tiers: { ...USAGE_PLAN_TIERS, standard: { ...USAGE_PLAN_TIERS.standard, throttle: LIFTED } },
      methodThrottle: LIFTED,
    },
    logError: (error) => process.stderr.write(`edge error: ${String(error)}\n`),
  });
  report({ port: edge.port, ingestKey });
  process.on('disconnect', () => {
    void edge.stop().then(() => process.exit(0));
  });
}

main().catch((error: unknown) => {
  process.stderr.write(`bench server failed: ${String(error)}\n`);
  process.exit(1);
});
