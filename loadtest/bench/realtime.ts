/**
 * `npm run bench:realtime`: p95 of `GET /realtime` (uncached) with 10,000 active sessions on one
 * site, side by side with its floor — one paginated Query reading the same 10,000 items from a
 * single partition with the projection and expiry filter a direct count needs, without parsing or
 * aggregating.
 *
 * The sessions are written to ActiveSessions as the consumer writes them; the rollup function
 * runs on the table's stream through the local event-source mapping (as on AWS) and keeps the
 * counters that the subject — the query API function the Lambda and the local edge call — reads:
 * one Query of at most 32 buckets, decode, answer, serialise. The answer is checked against a
 * direct count over the items before anything is timed.
 *
 * Both run in this process against DynamoDB Local (started here, stopped at the end), alternating
 * call by call so that drift hits both alike. Emulator timings say how our code compares with
 * its floor, not what AWS would take.
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import { createAwsClients, type AwsClients } from '../../handlers/aws-clients';
import { installRequestMeter } from '../../handlers/test-support/request-meter';
import { createActiveSessionsReader } from '../../handlers/query/active-sessions-reader';
import { createQueryApi } from '../../handlers/query/query-api';
import { createRollupReader } from '../../handlers/query/rollup-reader';
import { resourceDefinitions } from '../../infra/resources';
import { bootstrapResources } from '../../localstack/bootstrap/bootstrap';
import { startLocalStack, type LocalStack } from '../../localstack/local-stack';
import { handlerEnv } from '../../localstack/handler-env';
import { startLocalRollup, type LocalRollup } from '../../localstack/rollup/local-rollup';
import { currentUntilSecond } from '../../pipeline/realtime/rollup';
import { answerFromRollup } from '../../pipeline/realtime/rollup-answer';
import { REALTIME_VIEW_ATTRIBUTES, type RealtimeAnswer } from '../../schemas/query';
import type { ActiveSessionItem } from '../../schemas/items';
import { summarize, type LatencySummary } from './percentiles';
import { realtimeWorkload } from '../../localstack/demo-traffic/realtime-workload';

const SESSIONS = 10_000;
const SHARDS = 4;
const WARMUP = 8;
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 60);
const SITE = 'bench-site';
const FLOOR_SITE = 'bench-floor';
const FLOOR_PK = `${FLOOR_SITE}#0`;
/** How long the rollup may take to count 20,000 inserts on this machine. */
const CATCH_UP_MS = 180_000;

async function seed(clients: AwsClients, table: string, items: readonly ActiveSessionItem[]) {
  const limit = pLimit(8);
  const batches: ActiveSessionItem[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  await Promise.all(
    batches.map((batch) =>
      limit(async () => {
        const answer = await clients.dynamodb.send(
          new BatchWriteItemCommand({
            RequestItems: {
              [table]: batch.map((item) => ({ PutRequest: { Item: marshall(item) } })),
            },
          }),
        );
        const left = Object.values(answer.UnprocessedItems ?? {}).flat().length;
        if (left > 0) throw new Error(`seeding ${table}: ${left} items unprocessed (expected 0)`);
      }),
    ),
  );
}

/** The floor: one partition, same projection and filter, every page, nothing else. */
async function floorQuery(clients: AwsClients, table: string, nowMs: number): Promise<number> {
  const names: Record<string, string> = { '#pk': 'pk', '#expiresAt': 'expiresAt' };
  REALTIME_VIEW_ATTRIBUTES.forEach((attribute, i) => (names[`#a${i}`] = attribute));
  let count = 0;
  let start: Record<string, AttributeValue> | undefined;
  do {
    const answer = await clients.dynamodb.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: '#pk = :pk',
        FilterExpression: '#expiresAt > :cutoff',
        ProjectionExpression: REALTIME_VIEW_ATTRIBUTES.map((_, i) => `#a${i}`).join(', '),
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: {
          ':pk': { S: FLOOR_PK },
          ':cutoff': { N: String(Math.floor(nowMs / 1000)) },
        },
        ExclusiveStartKey: start,
      }),
    );
    count += answer.Count ?? 0;
    start = answer.LastEvaluatedKey;
  } while (start !== undefined);
  return count;
}

function row(name: string, s: LatencySummary): string {
  const cell = (n: number) => n.toFixed(1).padStart(8);
  return `${name.padEnd(34)}${cell(s.p50)}${cell(s.p95)}${cell(s.p99)}${cell(s.mean)}${cell(s.max)}`;
}

/**
 * What the answer must say, straight from the items: current visitors counted per session, and
 * to the second, as the rollup defines them (pipeline/realtime/rollup.ts).
 */
function expectedCounts(items: readonly ActiveSessionItem[], nowMs: number) {
  const humans = items.filter((item) => !item.isBot);
  const nowSecond = Math.floor(nowMs / 1000);
  return {
    activeSessions: humans.filter((item) => item.expiresAt > nowSecond).length,
    currentVisitors: humans.filter(
      (item) =>
        item.lastInteractionAt > 0 && currentUntilSecond(item.lastInteractionAt) > nowSecond,
    ).length,
    bots: items.length - humans.length,
  };
}

async function main(): Promise<void> {
  let stack: LocalStack | undefined;
  let clients: AwsClients | undefined;
  let rollup: LocalRollup | undefined;
  try {
    console.log('starting DynamoDB Local (and the other emulators) …');
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients({ endpoint: stack.endpoint, region: stack.region });
    const resources = resourceDefinitions(`bench-rt-${randomBytes(3).toString('hex')}`, {
      activeSessionShards: SHARDS,
    });
    await bootstrapResources(clients, resources);
    const table = resources.names.tables.activeSessions;

    // The rollup function on the ActiveSessions stream, at Lambda's pace, with its own client
    // so that its requests can be counted apart.
    const rollupClients = createAwsClients({ endpoint: stack.endpoint, region: stack.region });
    const rollupMeter = installRequestMeter([rollupClients.dynamodb]);
    rollup = await startLocalRollup({
      env: handlerEnv(stack.endpoint, stack.region, resources),
      clients: rollupClients,
      failureBucket: resources.names.buckets.failures,
    });

    const nowMs = Date.now();
    const items = realtimeWorkload({ siteId: SITE, sessions: SESSIONS, shardCount: SHARDS, nowMs });
    const seeded = Date.now();
    await seed(clients, table, items);
    await seed(
      clients,
      table,
      items.map((item) => ({ ...item, siteId: FLOOR_SITE, pk: FLOOR_PK })),
    );
    console.log(
      `seeded ${SESSIONS} sessions twice (site shards + floor partition) in ${Date.now() - seeded} ms`,
    );

    /** The query API function as the Lambda and the local edge build it, on these tables. */
    const dynamodb = clients.dynamodb;
    const queryApi = (realtimeCacheTtlMs: number) =>
      createQueryApi({
        reader: createActiveSessionsReader({ dynamodb, tableName: table }),
        rollups: createRollupReader({
          dynamodb,
          tableName: resources.names.tables.realtimeRollups,
        }),
        shardCount: SHARDS,
        realtimeCacheTtlMs,
      });
    const api = queryApi(0);
    const cachedApi = queryApi(3_000);
    const request = {
      method: 'GET',
      path: '/realtime',
      query: { siteId: SITE },
      grantedSiteId: SITE,
    };
    const realtime = async (): Promise<RealtimeAnswer> => {
      const response = await api(request);
      if (response.statusCode !== 200)
        throw new Error(`GET /realtime answered ${response.statusCode}: ${response.body}`);
      return JSON.parse(response.body) as RealtimeAnswer;
    };

    // Wait for the rollup to count every insert of both partitions, then check the answer.
    const caughtUp = Date.now();
    const humans = items.filter((item) => !item.isBot).length;
    for (;;) {
      const [site, floorSite] = await Promise.all([
        realtime(),
        api({ ...request, query: { siteId: FLOOR_SITE }, grantedSiteId: FLOOR_SITE }).then(
          (response) => JSON.parse(response.body) as RealtimeAnswer,
        ),
      ]);
      if (site.activeSessions === humans && floorSite.activeSessions === humans) break;
      if (Date.now() - caughtUp > CATCH_UP_MS) {
        throw new Error(
          `the rollup counted ${site.activeSessions} and ${floorSite.activeSessions} of ${humans} sessions in ${CATCH_UP_MS} ms`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    const catchUpMs = Date.now() - caughtUp;
    const checked = await realtime();
    const want = expectedCounts(items, checked.at);
    const got = {
      activeSessions: checked.activeSessions,
      currentVisitors: checked.currentVisitors,
      bots: checked.bots.sessions,
    };
    if (JSON.stringify(got) !== JSON.stringify(want)) {
      throw new Error(
        `answer ${JSON.stringify(got)} differs from the items' ${JSON.stringify(want)}`,
      );
    }
    const rollupCost = rollupMeter.byOperation;
    const transactions = [...rollupCost.entries()]
      .filter(([key]) => key.startsWith('TransactWriteItems'))
      .reduce((sum, [, count]) => sum + count.requests, 0);
    console.log(
      `the rollup counted ${2 * SESSIONS} inserts in ${transactions} transactions; caught up ${catchUpMs} ms after seeding`,
    );

    const subject: number[] = [];
    const floor: number[] = [];
    const cached: number[] = [];
    let floorCount = 0;
    for (let i = 0; i < WARMUP + ITERATIONS; i += 1) {
      const t0 = performance.now();
      await realtime();
      const t1 = performance.now();
      floorCount = await floorQuery(clients, table, Date.now());
      const t2 = performance.now();
      if (i >= WARMUP) {
        subject.push(t1 - t0);
        floor.push(t2 - t1);
      }
    }
    // Our code alone: the answer from buckets already read, no I/O.
    const buckets = await createRollupReader({
      dynamodb: clients.dynamodb,
      tableName: resources.names.tables.realtimeRollups,
    }).readBuckets(SITE, Date.now());
    const pure: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const t0 = performance.now();
      JSON.stringify(answerFromRollup(buckets, { siteId: SITE, nowMs: Date.now() }));
      pure.push(performance.now() - t0);
    }
    // A dashboard's view: back-to-back calls through the 3 s cache (the first one misses).
    for (let i = 0; i < 200; i += 1) {
      const t0 = performance.now();
      await cachedApi(request);
      cached.push(performance.now() - t0);
    }
    if (floorCount !== SESSIONS) {
      throw new Error(`floor read ${floorCount} items (expected ${SESSIONS})`);
    }

    const s = summarize(subject);
    const f = summarize(floor);
    const c = summarize(cached);
    const p = summarize(pure);
    console.log('');
    console.log(
      `Workload: ${SESSIONS} active sessions of one site over ${SHARDS} shards (${humans} human, ${SESSIONS - humans} bots), ` +
        `${ITERATIONS} measured calls each after ${WARMUP} warm-up, DynamoDB Local on this machine; ` +
        `/realtime reads ${buckets.length} rollup buckets.`,
    );
    console.log(
      `${'ms'.padEnd(34)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'mean'.padStart(8)}${'max'.padStart(8)}`,
    );
    console.log(row('GET /realtime, uncached', s));
    console.log(row('floor: one Query of the same items', f));
    console.log(row('GET /realtime, 3 s cache (200 calls)', c));
    console.log(row('answer from buckets (no I/O)', p));
    console.log(
      `p95 / floor p95 = ${(s.p95 / f.p95).toFixed(3)}; target p95 < 100 ms: ${s.p95 < 100 ? 'met' : 'NOT met'} (emulator timing)`,
    );
    console.log(
      JSON.stringify({
        bench: 'realtime',
        p95Ms: s.p95,
        floorP95Ms: f.p95,
        activeSessions: SESSIONS,
        ratio: Math.round((s.p95 / f.p95) * 1000) / 1000,
        p50Ms: s.p50,
        floorP50Ms: f.p50,
        cachedP95Ms: c.p95,
        answerP95Ms: p.p95,
        buckets: buckets.length,
        rollupTransactions: transactions,
        rollupCatchUpMs: catchUpMs,
        shards: SHARDS,
        iterations: ITERATIONS,
      }),
    );
  } finally {
    await rollup?.stop();
    clients?.destroy();
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
