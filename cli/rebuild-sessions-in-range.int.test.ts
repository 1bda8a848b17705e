/**
 * The rebuild's session list from the Sessions `bySiteDay` index on DynamoDB Local: a day's
 * sessions sit on SITE_DAY_SPLITS keys (and items written before the split on the unsplit key);
 * the reader queries every key and merges them in start order — every session of the range
 * once, none of another site or outside the range.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { useTestStack, type TestStack } from '../localstack/testing/use-test-stack';
import { toSessionItem } from '../pipeline/items';
import { SITE_DAY_SPLITS, siteDaySplit } from '../pipeline/site-day-index';
import { foldEvents } from '../pipeline/session-aggregate';
import { enrichedEvent } from '../pipeline/__fixtures__/enriched-events';
import { sessionsInRange } from './rebuild';

const DAY0 = Date.UTC(2026, 11, 7);
const HOUR = 3_600_000;

let stack: TestStack;

async function put(item: Record<string, unknown>): Promise<void> {
  await stack.clients.dynamodb.send(
    new PutItemCommand({
      TableName: stack.names.tables.sessions,
      Item: marshall(item, { removeUndefinedValues: true }),
    }),
  );
}

/** A Sessions item as the consumer writes it: split index key from toSessionItem. */
function session(siteId: string, sessionId: string, startedAt: number) {
  const state = foldEvents([enrichedEvent({ siteId, sessionId, seq: 0, ts: startedAt })]);
  return toSessionItem({ ...state, startedAt }, 1);
}

const expected: string[] = [];

beforeAll(async () => {
  stack = await useTestStack({ name: 'rebuild-site-day' });
  // 24 sessions over two days, every split used; one legacy item (unsplit key) in the middle.
  for (let i = 0; i < 24; i += 1) {
    const startedAt = DAY0 + i * 2 * HOUR + 1;
    const sessionId = `s_${String(i).padStart(2, '0')}_range`;
    const item = session('shop', sessionId, startedAt);
    await put(i === 11 ? { ...item, siteDay: 'shop#2026-12-07' } : item);
    expected.push(sessionId);
  }
  await put(session('other-site', 's_other_range', DAY0 + HOUR));
  await put(session('shop', 's_too_early', DAY0 - 1));
});

afterAll(() => stack.dispose());

describe('sessionsInRange on a split bySiteDay index', () => {
  it('lists every session of the site in the range once, in start order, from every key', async () => {
    const splits = new Set(expected.map(siteDaySplit));
    expect(splits.size).toBe(SITE_DAY_SPLITS);

    const seen: string[] = [];
    for await (const id of sessionsInRange(
      stack.clients.dynamodb,
      stack.names.tables.sessions,
      'shop',
      DAY0,
      DAY0 + 2 * 24 * HOUR - 1,
    )) {
      seen.push(id);
    }

    expect(seen).toEqual(expected);
  });
});
