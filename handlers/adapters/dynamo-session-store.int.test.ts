import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { sessionKey, toActiveSessionItem, toSessionItem } from '../../pipeline/items';
import { SessionItemSchema } from '../../schemas';
import { foldEvents } from '../../pipeline/session-aggregate';
import { enrichedEvent } from '../consumer/__fixtures__/enriched-event';
import { DynamoActiveSessionStore } from './dynamo-active-session-store';
import { DynamoSessionStore } from './dynamo-session-store';
import { deadlineFrom } from './deadline';
import { fromItem } from './item-codec';

let stack: TestStack;
let sessions: DynamoSessionStore;
let active: DynamoActiveSessionStore;

beforeAll(async () => {
  stack = await useTestStack({ name: 'session-store' });
  sessions = new DynamoSessionStore(
    stack.clients.dynamodb,
    stack.names.tables.sessions,
    deadlineFrom(60_000),
  );
  active = new DynamoActiveSessionStore(
    stack.clients.dynamodb,
    stack.names.tables.activeSessions,
    deadlineFrom(60_000),
  );
});
afterAll(() => stack.dispose());

/** The stored session, read as the test's own check (the consumer never reads Sessions). */
async function storedSession(sessionId: string) {
  const out = await stack.clients.dynamodb.send(
    new GetItemCommand({
      TableName: stack.names.tables.sessions,
      Key: { pk: { S: sessionKey('demo-site', sessionId) } },
      ConsistentRead: true,
    }),
  );
  return out.Item === undefined
    ? undefined
    : fromItem(SessionItemSchema, stack.names.tables.sessions, out.Item);
}

function sessionOf(sessionId: string, seqs: number[]) {
  return foldEvents(seqs.map((seq) => enrichedEvent({ sessionId, seq })));
}

test('a new session is written once; a second "new" write is refused and returns the stored item', async () => {
  const first = toSessionItem(sessionOf('store-new-1', [0, 1]), 1);
  const rival = toSessionItem(sessionOf('store-new-1', [0, 1, 2]), 1);

  const written = await sessions.putGuarded(first, undefined);
  const refused = await sessions.putGuarded(rival, undefined);

  expect(written).toEqual({ kind: 'written' });
  // DynamoDB Local supports ReturnValuesOnConditionCheckFailure: no GetItem needed.
  expect(refused).toEqual({ kind: 'conflict', current: { item: first, version: 1 } });
});

test('a write expecting an outdated version is refused with the current item; the right one passes', async () => {
  const v1 = toSessionItem(sessionOf('store-version-1', [0]), 1);
  const v2 = toSessionItem(sessionOf('store-version-1', [0, 1]), 2);
  const stale = toSessionItem(sessionOf('store-version-1', [0, 5]), 2);
  await sessions.putGuarded(v1, undefined);
  await sessions.putGuarded(v2, 1);

  const refused = await sessions.putGuarded(stale, 1);
  const v3 = toSessionItem(sessionOf('store-version-1', [0, 1, 5]), 3);
  const written = await sessions.putGuarded(v3, 2);

  expect(refused).toEqual({ kind: 'conflict', current: { item: v2, version: 2 } });
  expect(written).toEqual({ kind: 'written' });
  expect(await storedSession('store-version-1')).toEqual(v3);
  expect(v3.version).toBe(3);
});

test('expecting a version of a session that is not stored is a conflict with nothing current', async () => {
  const item = toSessionItem(sessionOf('store-gone-1', [0]), 4);

  await expect(sessions.putGuarded(item, 3)).resolves.toEqual({
    kind: 'conflict',
    current: undefined,
  });
  // Refused, so still nothing stored.
  expect(await storedSession('store-gone-1')).toBeUndefined();
});

describe('ActiveSessions projection', () => {
  const read = async (pk: string, sk: string) => {
    const out = await stack.clients.dynamodb.send(
      new GetItemCommand({
        TableName: stack.names.tables.activeSessions,
        Key: { pk: { S: pk }, sk: { S: sk } },
      }),
    );
    return Number(out.Item?.['events']?.N);
  };

  test('is idempotent and never rolled back by an older projection landing late', async () => {
    const newer = toActiveSessionItem(sessionOf('active-order-1', [0, 1, 2]), 4);
    const older = toActiveSessionItem(sessionOf('active-order-1', [0, 1]), 4);

    expect(await active.put(newer)).toBe('written');
    expect(await active.put(older)).toBe('newer-stored');
    expect(await active.put(newer)).toBe('written');
    expect(await read(newer.pk, newer.sk)).toBe(3);
  });
});
