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
import { MAX_NAME_BYTES, OTHER_NAME } from '../../pipeline/capped-names';
import { NAMES_PER_BREAKDOWN } from '../../pipeline/realtime/bucket-names';
import { BREAKDOWN_KINDS, bucketRange } from '../../pipeline/realtime/rollup';
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

/**
 * A second site whose sessions fill every breakdown of one bucket — browsers, operating systems,
 * custom events, outbound links, engaged and scrolled pages included — with distinct names past
 * MAX_NAME_BYTES: the largest bucket the layout allows.
 */
const FULL_SITE = 'site-every-breakdown';
const FULL_SESSIONS = 100;

function sessionsFillingEveryBreakdown(nowMs: number): ActiveSessionItem[] {
  // The index first, so that names stay distinct once cut to MAX_NAME_BYTES.
  const long = (i: number, what: string) => `${i} ${what} ${'ü'.repeat(200)}`;
  return Array.from({ length: FULL_SESSIONS }, (_, i) =>
    activeSessionItem({
      siteId: FULL_SITE,
      sessionId: `f-${String(i).padStart(5, '0')}`,
      shard: 0,
      nowMs,
      currentPage: `/${i}${LONG_PATH}`,
      source: long(i, 'source'),
      country: `C${i}`,
      browser: long(i, 'browser'),
      os: long(i, 'os'),
      eventNames: { [long(i, 'event')]: 2 },
      outboundLinks: { [`https://${i}.example/${'ü'.repeat(200)}`]: 1 },
      pageEngagedMs: { [`/${i}${LONG_PATH}`]: 12_345 },
      pageScrollDepth: { [`/${i}${LONG_PATH}`]: 100 },
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

async function answers(nowMs: number, site = SITE) {
  const items = (await rawItems(stack.names.tables.activeSessions, `${site}#0`)).map(
    (raw) => unmarshall(raw) as ActiveSessionItem,
  );
  const store = new DynamoRealtimeRollups(
    stack.clients.dynamodb,
    stack.names.tables.realtimeRollups,
  );
  const range = bucketRange(nowMs);
  return {
    direct: aggregateRealtime(items, { siteId: site, nowMs }),
    rollup: answerFromRollup(await store.readBuckets(site, range.from, range.to), {
      siteId: site,
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
    await seedActiveSessions(stack.clients.dynamodb, stack.names.tables.activeSessions, [
      ...sessionsFillingEveryBreakdown(nowMs),
      ...hostileSessions(nowMs),
    ]);

    // Polls until the rollup has caught up with every record (its headline equals the count
    // over the items) or the deadline passes; then the assertion shows both.
    const deadline = Date.now() + 90_000;
    const caughtUp = async (site: string) => {
      let seen = await answers(nowMs, site);
      while (
        JSON.stringify(headline(seen.rollup)) !== JSON.stringify(headline(seen.direct)) &&
        Date.now() < deadline
      ) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        seen = await answers(nowMs, site);
      }
      return seen;
    };
    const seen = await caughtUp(SITE);
    const full = await caughtUp(FULL_SITE);

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
        name: OTHER_NAME,
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

    // Every breakdown of the full site's bucket at its cap: the largest bucket there can be.
    expect(headline(full.rollup)).toEqual(headline(full.direct));
    const [fullBucket, ...others] = await rawItems(stack.names.tables.realtimeRollups, FULL_SITE);
    expect(others).toEqual([]);
    const given = Object.fromEntries(
      BREAKDOWN_KINDS.map((kind) => [kind, fullBucket?.[`N:${kind}`]?.N]),
    );
    // Device types are four (the item schema's enum): that breakdown never fills.
    expect(given).toEqual(
      Object.fromEntries(
        BREAKDOWN_KINDS.map((kind) => [kind, kind === 'D' ? '1' : String(NAMES_PER_BREAKDOWN)]),
      ),
    );
    const fullSize = itemSize(fullBucket ?? {});
    console.log(`largest bucket: ${fullSize} bytes (every breakdown but the 4 device types full)`);
    expect(fullSize).toBeLessThan(MAX_ITEM_BYTES / 2);
    const others64 = FULL_SESSIONS - NAMES_PER_BREAKDOWN;
    expect(full.rollup.customEvents[0]).toEqual({
      name: OTHER_NAME,
      sessions: others64,
      events: 2 * others64,
    });
    expect(full.rollup.outboundLinks[0]).toEqual({
      name: OTHER_NAME,
      sessions: others64,
      events: others64,
    });
    expect(full.rollup.pageEngagement[0]).toEqual({
      name: OTHER_NAME,
      sessions: others64,
      engagedMs: 12_345,
      scrollDepth: 100,
      scrolledSessions: others64,
    });
    for (const rows of [full.rollup.browsers, full.rollup.operatingSystems]) {
      expect(rows[0]).toEqual({ name: OTHER_NAME, sessions: others64 });
    }
  }, 150_000);
});
