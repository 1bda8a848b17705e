/**
 * `npm run bench:realtime`: p95 of `GET /realtime` (uncached) with 10,000 active sessions on one
 * site, side by side with its floor — one paginated Query reading the same items from a single
 * partition with the same projection and expiry filter, without parsing or aggregating.
 *
 * Both run in this process against DynamoDB Local (started here, stopped at the end), alternating
 * call by call so that drift hits both alike. The subject is the query API function the Lambda
 * and the local edge call: Query of every shard in parallel, parse at the boundary, aggregate,
 * serialise. Emulator timings say how our code compares with its floor, not what AWS would take.
 */
import { randomBytes } from 'node:crypto';
import { BatchWriteItemCommand, QueryCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import pLimit from 'p-limit';
import { createAwsClients, type AwsClients } from '../../handlers/aws-clients';
import { createActiveSessionsReader } from '../../handlers/query/active-sessions-reader';
import { decodeItem } from '../../handlers/query/attribute-values';
import { createQueryApi } from '../../handlers/query/query-api';
import { resourceDefinitions } from '../../infra/resources';
import { bootstrapResources } from '../../localstack/bootstrap/bootstrap';
import { startLocalStack, type LocalStack } from '../../localstack/local-stack';
import { aggregateRealtime } from '../../pipeline/realtime/aggregate';
import {
  REALTIME_VIEW_ATTRIBUTES,
  RealtimeSessionViewSchema,
  type RealtimeAnswer,
} from '../../schemas/query';
import { isValid } from '../../schemas/validator';
import type { ActiveSessionItem } from '../../schemas/items';
import { summarize, type LatencySummary } from './percentiles';
import { realtimeWorkload } from './realtime-workload';

const SESSIONS = 10_000;
const SHARDS = 4;
const WARMUP = 8;
const ITERATIONS = Number(process.env['BENCH_ITERATIONS'] ?? 60);
const SITE = 'bench-site';
const FLOOR_PK = 'bench-floor#0';

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

async function main(): Promise<void> {
  let stack: LocalStack | undefined;
  let clients: AwsClients | undefined;
  try {
    console.log('starting DynamoDB Local (and the other emulators) …');
    stack = await startLocalStack({ port: 0 });
    clients = createAwsClients({ endpoint: stack.endpoint, region: stack.region });
    const resources = resourceDefinitions(`bench-rt-${randomBytes(3).toString('hex')}`, {
      activeSessionShards: SHARDS,
    });
    await bootstrapResources(clients, resources);
    const table = resources.names.tables.activeSessions;

    const nowMs = Date.now();
    const items = realtimeWorkload({ siteId: SITE, sessions: SESSIONS, shardCount: SHARDS, nowMs });
    const seeded = Date.now();
    await seed(clients, table, items);
    await seed(
      clients,
      table,
      items.map((item) => ({ ...item, pk: FLOOR_PK })),
    );
    console.log(
      `seeded ${SESSIONS} sessions twice (site shards + floor partition) in ${Date.now() - seeded} ms`,
    );

    const reader = createActiveSessionsReader({
      dynamodb: clients.dynamodb,
      tableName: table,
      shardCount: SHARDS,
    });
    const api = createQueryApi({ reader, shardCount: SHARDS, realtimeCacheTtlMs: 0 });
    const cachedApi = createQueryApi({ reader, shardCount: SHARDS, realtimeCacheTtlMs: 3_000 });
    const request = {
      method: 'GET',
      path: '/realtime',
      query: { siteId: SITE },
      grantedSiteId: SITE,
    };

    const subject: number[] = [];
    const floor: number[] = [];
    const cached: number[] = [];
    let last: RealtimeAnswer | undefined;
    let floorCount = 0;
    for (let i = 0; i < WARMUP + ITERATIONS; i += 1) {
      const t0 = performance.now();
      const response = await api(request);
      const t1 = performance.now();
      floorCount = await floorQuery(clients, table, Date.now());
      const t2 = performance.now();
      if (response.statusCode !== 200)
        throw new Error(`GET /realtime answered ${response.statusCode}: ${response.body}`);
      last = JSON.parse(response.body) as RealtimeAnswer;
      if (i >= WARMUP) {
        subject.push(t1 - t0);
        floor.push(t2 - t1);
      }
    }
    // Our code alone: decode and parse the projected items at the boundary, aggregate, no I/O.
    const views = items.map((item) =>
      marshall(Object.fromEntries(REALTIME_VIEW_ATTRIBUTES.map((key) => [key, item[key]]))),
    );
    const pure: number[] = [];
    for (let i = 0; i < 30; i += 1) {
      const t0 = performance.now();
      const parsed = views.map((raw) => {
        const view = decodeItem(raw);
        if (!isValid(RealtimeSessionViewSchema, view)) throw new Error('workload item is invalid');
        return view;
      });
      JSON.stringify(aggregateRealtime(parsed, { siteId: SITE, nowMs: Date.now() }));
      pure.push(performance.now() - t0);
    }
    // A dashboard's view: back-to-back calls through the 3 s cache (the first one misses).
    for (let i = 0; i < 200; i += 1) {
      const t0 = performance.now();
      await cachedApi(request);
      cached.push(performance.now() - t0);
    }
    const humans = items.filter((item) => !item.isBot).length;
    if (last?.activeSessions !== humans || floorCount !== SESSIONS) {
      throw new Error(
        `answers are wrong: activeSessions ${String(last?.activeSessions)} (expected ${humans}), floor read ${floorCount} (expected ${SESSIONS})`,
      );
    }

    const s = summarize(subject);
    const f = summarize(floor);
    const c = summarize(cached);
    const p = summarize(pure);
    console.log('');
    console.log(
      `Workload: ${SESSIONS} active sessions of one site over ${SHARDS} shards (${humans} human, ${SESSIONS - humans} bots), ` +
        `${ITERATIONS} measured calls each after ${WARMUP} warm-up, DynamoDB Local on this machine.`,
    );
    console.log(
      `${'ms'.padEnd(34)}${'p50'.padStart(8)}${'p95'.padStart(8)}${'p99'.padStart(8)}${'mean'.padStart(8)}${'max'.padStart(8)}`,
    );
    console.log(row('GET /realtime, uncached', s));
    console.log(row('floor: one Query of the same items', f));
    console.log(row('GET /realtime, 3 s cache (200 calls)', c));
    console.log(row('decode + parse + aggregate (no I/O)', p));
    console.log(
      `p95 / floor p95 = ${(s.p95 / f.p95).toFixed(2)}; target p95 < 100 ms: ${s.p95 < 100 ? 'met' : 'NOT met'} (emulator timing)`,
    );
    console.log(
      JSON.stringify({
        bench: 'realtime',
        p95Ms: s.p95,
        floorP95Ms: f.p95,
        activeSessions: SESSIONS,
        ratio: Math.round((s.p95 / f.p95) * 100) / 100,
        p50Ms: s.p50,
        floorP50Ms: f.p50,
        cachedP95Ms: c.p95,
        aggregateP95Ms: p.p95,
        shards: SHARDS,
        iterations: ITERATIONS,
      }),
    );
  } finally {
    clients?.destroy();
    await stack?.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
