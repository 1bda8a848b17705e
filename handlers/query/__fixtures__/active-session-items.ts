/**
 * ActiveSessions items as the consumer writes them (schemas/items.ts), for seeding a table in
 * integration tests and benchmarks. The shard is explicit so a test decides how items spread.
 */
import { BatchWriteItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { ActiveSessionItem } from '../../../schemas/items';

const MINUTE_MS = 60_000;

export interface ActiveSessionSeed extends Partial<ActiveSessionItem> {
  readonly siteId: string;
  readonly sessionId: string;
  readonly shard: number;
  /** Last activity this long before `nowMs` (default 1 min); sets lastSeen and expiresAt. */
  readonly agoMs?: number;
  readonly nowMs: number;
}

export function activeSessionItem(seed: ActiveSessionSeed): ActiveSessionItem {
  const { shard, agoMs = MINUTE_MS, nowMs, ...overrides } = seed;
  const lastSeen = overrides.lastSeen ?? nowMs - agoMs;
  return {
    pk: `${seed.siteId}#${shard}`,
    sk: seed.sessionId,
    visitorId: `visitor-${seed.sessionId}`,
    startedAt: lastSeen - 2 * MINUTE_MS,
    lastSeen,
    lastInteractionAt: lastSeen,
    pageviews: 1,
    events: 2,
    customEvents: 0,
    engagedMs: 4_000,
    entryPage: '/',
    currentPage: '/',
    source: 'direct',
    medium: 'direct',
    deviceType: 'desktop',
    browser: 'Firefox',
    os: 'Linux',
    country: 'DE',
    isBot: false,
    pageviewMinutes: { [String(Math.floor(lastSeen / MINUTE_MS))]: 1 },
    expiresAt: Math.floor(lastSeen / 1000) + 30 * 60,
    ...overrides,
  };
}

/**
 * Writes items 25 at a time (DynamoDB Local never answers UnprocessedItems; AWS may — not for
 * tests). Any object is accepted so that a test can store a deliberately broken item.
 */
export async function seedActiveSessions(
  dynamodb: DynamoDBClient,
  tableName: string,
  items: readonly object[],
): Promise<void> {
  const batches: object[][] = [];
  for (let i = 0; i < items.length; i += 25) batches.push(items.slice(i, i + 25));
  for (const batch of batches) {
    const answer = await dynamodb.send(
      new BatchWriteItemCommand({
        RequestItems: {
          [tableName]: batch.map((item) => ({ PutRequest: { Item: marshall(item) } })),
        },
      }),
    );
    const left = Object.values(answer.UnprocessedItems ?? {}).flat().length;
    if (left > 0)
      throw new Error(
        `seeding ${tableName}: ${left} items unprocessed (expected 0 from DynamoDB Local)`,
      );
  }
}
