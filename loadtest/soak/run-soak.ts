/**
 * The local soak with chaos (issue 18 item 2): the whole local product in this process — local
 * AWS on a data dir (so an emulator comes back with its data), edge, consumer, processor and
 * realtime rollup — fed open-loop by realistic sessions (soak-traffic.ts), while faults are
 * injected on a schedule (soak-faults.ts). At the end it reads the tables and proves that every
 * acknowledged event is stored exactly once: accepted = stored + bad, each session's counters
 * equal the events sent for it, and the consumer's lag is back to zero.
 */
import { join } from 'node:path';
import { ScanCommand, type ScanCommandInput } from '@aws-sdk/client-dynamodb';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { WINDOWS } from '../../schemas/limits';
import { installFaultInjector } from '../../handlers/faults/fault-injector';
import { ConsumerTotals } from '../../localstack/consumer/consumer-totals';
import { startLocalConsumer } from '../../localstack/consumer/local-consumer';
import { seedDemoSites } from '../../localstack/bootstrap/demo-sites';
import { startEdgePart } from '../../localstack/edge/edge-part';
import { type LocalConfig, readLocalConfig } from '../../localstack/local-config';
import { startLocalProduct } from '../../localstack/local-product';
import { startLocalProcessor } from '../../localstack/metrics-sink/local-processor';
import { guardProduct } from '../../localstack/product-guard';
import { startLocalRollup } from '../../localstack/rollup/local-rollup';
import { type FaultKind, FAULT_KINDS, scheduleFaults } from './soak-faults';
import { startSoakTraffic } from './soak-traffic';

export const SOAK_SITE = 'soak';
/** Local-only key of the soak site (32 characters, like the demo sites' keys). */
const SOAK_SECRET = 'LocalSoakKeyNotASecret0000000000';
const LIVE_EVERY_MS = 5_000;
/** After the traffic stops: how long the retries and the pipeline may take to settle. */
const SETTLE_MS = 180_000;

export interface SoakOptions {
  readonly seconds: number;
  /** New tracker requests per second. */
  readonly rate: number;
  /** Folder for the emulators' data and the product's state (the caller owns and removes it). */
  readonly dataDir: string;
  readonly seed?: number;
  readonly print?: (line: string) => void;
}

export interface SoakResult {
  readonly bench: 'soak';
  readonly seconds: number;
  readonly rate: number;
  readonly requests: number;
  /** Distinct events the edge acknowledged. */
  readonly accepted: number;
  /** Rows of the soak site in Events. */
  readonly stored: number;
  /** Rows in BadRows (only the soak writes to its tables). */
  readonly bad: number;
  /** Acknowledged events missing from the tables or from their session's counters. */
  readonly lost: number;
  /** Events counted more than once in their session, or bad rows written twice. */
  readonly doubled: number;
  /** Stored events the edge never acknowledged (a lost answer the resend then acknowledged is not one). */
  readonly unexpected: number;
  readonly faults: number;
  readonly injected: Readonly<Record<FaultKind, number>>;
  readonly resent: number;
  readonly sessions: number;
  readonly consumerErrors: number;
  readonly maxLagMs: number;
  /** Records read and not checkpointed when the soak ended (0 when lag returned to zero). */
  readonly finalLagRecords: number;
  readonly settleMs: number;
}

function soakConfig(dataDir: string): LocalConfig {
  const base = readLocalConfig(process.env);
  if (base.mode !== 'emulators') {
    throw new Error(
      `The soak restarts an emulator process and needs the emulators (LIVEINSIGHT_LOCAL is ${JSON.stringify(base.mode)}; expected "emulators")`,
    );
  }
  return {
    ...base,
    awsPort: 0,
    edgePort: 0,
    dataDir: join(dataDir, 'aws'),
    stateDir: join(dataDir, 'state'),
    stage: 'liveinsight-soak',
    demoTraffic: false,
    ttl: { intervalMs: 'manual', lagSeconds: 0 },
  };
}

async function scanAll(
  dynamodb: DynamoDBClient,
  input: ScanCommandInput,
): Promise<Record<string, { S?: string; N?: string }>[]> {
  const items: Record<string, { S?: string; N?: string }>[] = [];
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamodb.send(new ScanCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...((page.Items ?? []) as Record<string, { S?: string; N?: string }>[]));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

export async function runSoak(options: SoakOptions): Promise<SoakResult> {
  const print = options.print ?? ((line: string) => console.log(line));
  const config = soakConfig(options.dataDir);
  const product = await startLocalProduct({ config, log: print });
  try {
    const edgePart = await startEdgePart(product, { port: 0 });
    product.addPart(edgePart);
    const edge = edgePart.edge;
    const guard = guardProduct(product, config, edge.kinesis, print);
    const origin = edge.url.replace(/\/$/, '');
    const [key] = await seedDemoSites(
      product.clients.dynamodb,
      product.resources.names.tables.registry,
      origin,
      Date.now(),
      [{ siteId: SOAK_SITE, name: 'Soak (local)', secret: SOAK_SECRET }],
    );
    if (key === undefined) throw new Error(`the soak site ${SOAK_SITE} was not seeded`);

    const totals = new ConsumerTotals();
    const consumer = await startLocalConsumer({
      env: product.env,
      clients: product.clients,
      checkpointDir: join(config.stateDir, 'esm'),
      onReport: (report) => totals.add(report),
      onError: (error) => totals.addError(error),
    });
    product.addPart(consumer);
    const processor = await startLocalProcessor({
      env: product.env,
      clients: product.clients,
      metricsFile: join(config.stateDir, 'metrics.jsonl'),
      checkpointDir: join(config.stateDir, 'esm-processor'),
      print: () => undefined,
    });
    product.addPart(processor);
    const rollup = await startLocalRollup({
      env: product.env,
      clients: product.clients,
      failureBucket: product.resources.names.buckets.failures,
      checkpointDir: join(config.stateDir, 'esm-rollup'),
    });
    product.addPart(rollup);
    const mappings = [consumer.mapping, ...processor.mappings, rollup.mapping];

    // The consumer's DynamoDB and Kinesis clients (product.clients) take the injected faults;
    // the edge's own Kinesis integration takes the partial PutRecords failures.
    const injector = installFaultInjector([product.clients.dynamodb, product.clients.kinesis]);
    const faults = scheduleFaults({ product, injector, edgeKinesis: edge.kinesis, print });

    const began = Date.now();
    const traffic = startSoakTraffic({
      edgeUrl: origin,
      site: { siteId: SOAK_SITE, origin, ingestKey: key.ingestKey },
      rate: options.rate,
      seed: options.seed ?? 18_002,
    });

    let maxLagMs = 0;
    const lagMs = (): number =>
      Math.max(
        0,
        ...mappings.map((m) => {
          const lag = m.lag();
          return Math.max(lag.millisBehindLatest ?? 0, lag.oldestPendingAgeMs ?? 0);
        }),
      );
    const lagProbe = setInterval(() => {
      maxLagMs = Math.max(maxLagMs, lagMs());
    }, 250);
    const live = setInterval(() => {
      const stats = traffic.stats();
      const lag = consumer.mapping.lag();
      print(
        `soak ${Math.round((Date.now() - began) / 1000)}s  accepted ${stats.accepted}  stored ${totals.stored}` +
          `  bad ${totals.bad}  pending ${stats.pending}  lag ${lag.pendingRecords} records, ${lagMs()} ms` +
          `  ${totals.errorsText()}; ${stats.transportErrors} transport, ${stats.refusedAnswers} refused, ${stats.partialAnswers} partial` +
          `  faults active: ${faults.active().join(', ') || 'none'}  injected ${faults.total()}${guard.pausedText()}`,
      );
    }, LIVE_EVERY_MS);

    try {
      await faults.runFor(options.seconds * 1000);
      const settleBegan = Date.now();
      await traffic.finish(SETTLE_MS);
      faults.stop();
      injector.clear();
      const stats = traffic.stats();
      if (stats.pending > 0) {
        print(`soak: ${stats.pending} events still unacknowledged after ${SETTLE_MS} ms`);
      }

      // Settled: every mapping has nothing pending and the Events rows match the model.
      const names = product.resources.names.tables;
      const expectedGood = stats.accepted - stats.acceptedBad;
      const until = settleBegan + SETTLE_MS;
      let eventRows = await scanAll(product.clients.dynamodb, {
        TableName: names.events,
        ProjectionExpression: 'pk, sk',
      });
      while (
        (eventRows.length < expectedGood || mappings.some((m) => m.lag().pendingRecords > 0)) &&
        Date.now() < until
      ) {
        await new Promise((resolve) => setTimeout(resolve, 500));
        eventRows = await scanAll(product.clients.dynamodb, {
          TableName: names.events,
          ProjectionExpression: 'pk, sk',
        });
      }
      // One more pass once the rows are there: the session writes follow the event rows.
      while (mappings.some((m) => m.lag().pendingRecords > 0) && Date.now() < until) {
        await new Promise((resolve) => setTimeout(resolve, 500));
      }
      const settleMs = Date.now() - settleBegan;
      const finalLagRecords = mappings.reduce((sum, m) => sum + m.lag().pendingRecords, 0);
      clearInterval(lagProbe);

      const sitePrefix = `${SOAK_SITE}#`;
      const storedIds = new Set(
        eventRows.filter((row) => row['pk']?.S?.startsWith(sitePrefix)).map((row) => row['sk']?.S),
      );
      const badCount = await countRows(product.clients.dynamodb, names.badRows);
      const sessionRows = await scanAll(product.clients.dynamodb, {
        TableName: names.sessions,
        ProjectionExpression: 'sessionId, siteId, pageviews, events',
      });
      const sessionsById = new Map(
        sessionRows
          .filter((row) => row['siteId']?.S === SOAK_SITE)
          .map((row) => [row['sessionId']?.S ?? '', row]),
      );

      let missingRows = 0;
      let sessionShort = 0;
      let sessionOver = 0;
      let acknowledgedIds = 0;
      for (const [sessionId, model] of traffic.sessions) {
        const good = [...model.values()].filter(
          (event) => event.ts - Date.now() <= WINDOWS.maxFutureSkewMs,
        );
        for (const event of good) {
          acknowledgedIds += 1;
          if (!storedIds.has(event.eventId)) missingRows += 1;
        }
        if (good.length === 0) continue;
        const row = sessionsById.get(sessionId);
        const counters = [
          [good.length, Number(row?.['events']?.N ?? 0)],
          [good.filter((e) => e.type === 'pageview').length, Number(row?.['pageviews']?.N ?? 0)],
        ] as const;
        for (const [expected, actual] of counters) {
          if (actual < expected) sessionShort += expected - actual;
          if (actual > expected) sessionOver += actual - expected;
        }
      }
      const unexpected = Math.max(0, storedIds.size - (acknowledgedIds - missingRows));
      const lost = Math.max(missingRows, sessionShort) + Math.max(0, stats.acceptedBad - badCount);
      const doubled = sessionOver + Math.max(0, badCount - stats.acceptedBad);
      const injected = faults.injected();
      return {
        bench: 'soak',
        seconds: options.seconds,
        rate: options.rate,
        requests: stats.requests,
        accepted: stats.accepted,
        stored: storedIds.size,
        bad: badCount,
        lost,
        doubled,
        unexpected,
        faults: FAULT_KINDS.reduce((sum, kind) => sum + injected[kind], 0),
        injected,
        resent: stats.resent,
        sessions: traffic.sessions.size,
        consumerErrors: totals.errors,
        maxLagMs,
        finalLagRecords,
        settleMs,
      };
    } finally {
      clearInterval(live);
      clearInterval(lagProbe);
      faults.stop();
      injector.uninstall();
      await traffic.finish(0);
    }
  } finally {
    await product.stop();
  }
}

async function countRows(dynamodb: DynamoDBClient, table: string): Promise<number> {
  let count = 0;
  let start: ScanCommandInput['ExclusiveStartKey'];
  do {
    const page = await dynamodb.send(
      new ScanCommand({ TableName: table, Select: 'COUNT', ExclusiveStartKey: start }),
    );
    count += page.Count ?? 0;
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}
