/** What the consumer stored, read back through the item schemas (a trust boundary). */
import { ScanCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { sessionStateOf } from '../../../pipeline/items';
import {
  ActiveSessionItemSchema,
  BadRowItemSchema,
  EventItemSchema,
  SessionItemSchema,
  type ActiveSessionItem,
  type BadRowItem,
  type EventItem,
  type SessionItem,
  type SessionState,
} from '../../../schemas';
import type { ConsumerTables } from '../consume-batch';
import { fromItem } from '../../adapters/item-codec';
import type { Item } from '../../adapters/item-size';

async function scanAll(client: DynamoDBClient, table: string): Promise<Item[]> {
  const items: Item[] = [];
  let start: Item | undefined;
  do {
    const page = await client.send(
      new ScanCommand({ TableName: table, ConsistentRead: true, ExclusiveStartKey: start }),
    );
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

export interface TableSnapshot {
  readonly events: readonly EventItem[];
  readonly sessions: ReadonlyMap<string, SessionItem>;
  /** Sessions without their keys, version and TTL: comparable with the reference fold. */
  readonly sessionStates: ReadonlyMap<string, SessionState>;
  readonly activeSessions: ReadonlyMap<string, ActiveSessionItem>;
  readonly badRows: readonly BadRowItem[];
}

export async function snapshot(
  client: DynamoDBClient,
  tables: Pick<ConsumerTables, 'events' | 'sessions' | 'activeSessions' | 'badRows'>,
): Promise<TableSnapshot> {
  const [events, sessions, activeSessions, badRows] = await Promise.all([
    scanAll(client, tables.events),
    scanAll(client, tables.sessions),
    scanAll(client, tables.activeSessions),
    scanAll(client, tables.badRows),
  ]);
  const sessionItems = sessions.map((item) => fromItem(SessionItemSchema, tables.sessions, item));
  return {
    events: events.map((item) => fromItem(EventItemSchema, tables.events, item)),
    sessions: new Map(sessionItems.map((item) => [item.pk, item])),
    sessionStates: new Map(sessionItems.map((item) => [item.pk, sessionStateOf(item)])),
    activeSessions: new Map(
      activeSessions
        .map((item) => fromItem(ActiveSessionItemSchema, tables.activeSessions, item))
        .map((item) => [`${item.pk}/${item.sk}`, item]),
    ),
    badRows: badRows.map((item) => fromItem(BadRowItemSchema, tables.badRows, item)),
  };
}

/** The part of a snapshot that belongs to `sessionIds` and to records at `sequenceNumbers`. */
export function restrictTo(
  all: TableSnapshot,
  sessionIds: ReadonlySet<string>,
  sequenceNumbers: ReadonlySet<string>,
): TableSnapshot {
  const keep = <V extends { sessionId: string }>(map: ReadonlyMap<string, V>) =>
    new Map([...map].filter(([, value]) => sessionIds.has(value.sessionId)));
  return {
    events: all.events.filter((item) => sessionIds.has(item.sessionId)),
    sessions: keep(all.sessions),
    sessionStates: keep(all.sessionStates),
    activeSessions: keep(all.activeSessions),
    badRows: all.badRows.filter((row) => sequenceNumbers.has(row.origin.sequenceNumber)),
  };
}
