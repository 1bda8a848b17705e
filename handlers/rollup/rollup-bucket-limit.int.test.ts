/**
 * The rollup at DynamoDB's item limit, on DynamoDB Local through the local event-source mapping:
 * a site whose sessions all sit in one bucket minute, each on its own long page and with its own
 * long referrer — what anyone with the public ingest key can send in one minute. Under a layout
 * with a cell per distinct name, that bucket grows past 400 KB, DynamoDB refuses it, and the
 * headline counts lose every session of the refused chunks. With the names capped per bucket
 * the headline counts equal a direct count over the items, and every bucket stays small.
 */
import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { aggregateRealtime } from '../../pipeline/realtime/aggregate';
import { OTHER_ROW_NAME } from '../../pipeline/realtime/answer-parts';
import { NAMES_PER_BREAKDOWN } from '../../pipeline/realtime/bucket-names';
import { MAX_NAME_BYTES, bucketRange } from '../../pipeline/realtime/rollup';
import { answerFromRollup } from '../../pipeline/realtime/rollup-answer';
import type { ActiveSessionItem } from '../../schemas/items';
import { startLocalRollup, type LocalRollup } from '../../localstack/rollup/local-rollup';
import { useTestStack, type TestStack } from '../../localstack/testing/use-test-stack';
import { DynamoRealtimeRollups } from '../adapters/dynamo-realtime-rollups';
import { MAX_ITEM_BYTES, itemSize } from '../adapters/item-size';
import { createAwsClients, type AwsClients } from '../aws-clients';
import { readAwsConfig } from '../config';
import { activeSessionItem, seedActiveSessions } from '../query/__fixtures__/active-session-items';

const SITE = 'site-long-urls';
/** ~300 characters, some of them two bytes in UTF-8: a page cell of ~400 bytes uncut. */
const LONG_PATH = `/produits/${'catégorie-'.repeat(29)}`;
/**
 * Sessions in one bucket minute: each brings a page name and a source name of ~600 bytes
 * together, so about 700 of them fill 400 KB; 1,500 overflow it twice over.
 */
const SESSIONS = 3_000;

let stack: TestStack;
let clients: AwsClients;
let rollup: LocalRollup | undefined;
const logs: string[] = [];

beforeEach(async () => {
  stack = await useTestStack({ name: 'rollup-limit' });
  clients = createAwsClients(readAwsConfig(stack.env));
  logs.length = 0;
  rollup = await startLocalRollup({
    env: stack.env,
    clients,
    failureBucket: stack.names.buckets.failures,
    timing: { pollIntervalMs: 50, shardDiscoveryIntervalMs: 1_000, retryBackoffMs: () => 50 },
    log: (line) => logs.push(line),
  });
});
afterEach(async () => {
  await rollup?.stop();
  rollup = undefined;
  clients.destroy();
  await stack.dispose();
});

/** Sessions last seen in the same second (one bucket), each on its own page and referrer. */
function hostileSessions(nowMs: number): ActiveSessionItem[] {
  return Array.from({ length: SESSIONS }, (_, i) =>
    activeSessionItem({
      siteId: SITE,
      sessionId: `s-${String(i).padStart(5, '0')}`,
      shard: 0,
      nowMs,
      currentPage: `/${i}${LONG_PATH}`,
      source: `${i}.${'réf'.repeat(60)}.example`,
      isBot: i % 10 === 0,
    }),
  );
}

async function rawItems(tableName: string, pk: string): Promise<Record<string, AttributeValue>[]> {
  const items: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const answer = await stack.clients.dynamodb.send(
      new QueryCommand({
        TableName: tableName,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(answer.Items ?? []));
    start = answer.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

async function answers(nowMs: number) {
  const items = (await rawItems(stack.names.tables.activeSessions, `${SITE}#0`)).map(
    (raw) => unmarshall(raw) as ActiveSessionItem,
  );
  const store = new DynamoRealtimeRollups(
    stack.clients.dynamodb,
    stack.names.tables.realtimeRollups,
  );
  const range = bucketRange(nowMs);
  return {
    direct: aggregateRealtime(items, { siteId: SITE, nowMs }),
    rollup: answerFromRollup(await store.readBuckets(SITE, range.from, range.to), {
      siteId: SITE,
      nowMs,
    }),
  };
}

const headline = (answer: Awaited<ReturnType<typeof answers>>['direct']) => ({
  activeSessions: answer.activeSessions,
  currentVisitors: answer.currentVisitors,
  bots: answer.bots.sessions,
  pageviewsPerMinute: answer.pageviewsPerMinute,
});

describe('rollup buckets at the item size limit', () => {
  it('keeps the headline counts exact and every bucket under 400 KB with thousands of distinct long names in one minute', async () => {
    const nowMs = Date.now();
    await seedActiveSessions(
      stack.clients.dynamodb,
      stack.names.tables.activeSessions,
      hostileSessions(nowMs),
    );

    // Polls until the rollup has caught up with every record (its headline equals the count
    // over the items) or the deadline passes; then the assertion shows both.
    const deadline = Date.now() + 90_000;
    let seen = await answers(nowMs);
    while (
      JSON.stringify(headline(seen.rollup)) !== JSON.stringify(headline(seen.direct)) &&
      Date.now() < deadline
    ) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      seen = await answers(nowMs);
    }

    expect(seen.direct.activeSessions).toBe(SESSIONS - SESSIONS / 10);
    expect(headline(seen.rollup)).toEqual(headline(seen.direct));
    expect(logs.filter((line) => /left out bucket/.test(line))).toEqual([]);

    const buckets = await rawItems(stack.names.tables.realtimeRollups, SITE);
    expect(buckets.length).toBeGreaterThan(0);
    for (const bucket of buckets) {
      expect(itemSize(bucket)).toBeLessThan(MAX_ITEM_BYTES / 4);
    }

    // Top lists degrade as documented: named rows are capped and cut, the rest is "other".
    for (const rows of [seen.rollup.topPages, seen.rollup.topReferrers]) {
      // Every name is distinct: the first NAMES_PER_BREAKDOWN got a cell, the rest are "other".
      expect(rows[0]).toEqual({
        name: OTHER_ROW_NAME,
        sessions: seen.direct.activeSessions - NAMES_PER_BREAKDOWN,
      });
      for (const row of rows) {
        expect(Buffer.byteLength(row.name, 'utf8')).toBeLessThanOrEqual(MAX_NAME_BYTES);
      }
    }
    const pages = seen.rollup.topPages;
    expect(pages.reduce((sum, row) => sum + row.sessions, 0)).toBeLessThanOrEqual(
      seen.direct.activeSessions,
    );
  }, 150_000);
});
