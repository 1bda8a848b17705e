/**
 * Rebuild Sessions and ActiveSessions of a site from the raw Events table, with the consumer's
 * own fold (pipeline/apply-events, session-aggregate) and projections (pipeline/items), so a
 * rebuilt item equals what the consumer would have built from the same distinct events.
 *
 * - Which sessions: the Sessions index `bySiteDay` (keys only: `siteDay` = site#day#split of
 *   startedAt, sort key `startedAt`; pipeline/site-day-index.ts) is queried for each UTC day of
 *   the range and each of its keys (every split and the unsplit key of older items), with
 *   `startedAt` between from and to, and the keys' pages merged in start order — Queries, never
 *   a Scan. Events has no index by site, so a
 *   session whose Sessions item is gone altogether is rebuilt by naming it (`sessionIds`).
 * - One session at a time: its Events partition (`${siteId}#${sessionId}`) is queried page by
 *   page and each page folded into the state with `applyEvents` (which drops a seq already
 *   applied), so memory holds one page and one state, whatever the table's size.
 * - Sessions: written only when the stored item (keys, TTL and state; its version aside) differs,
 *   with version = stored + 1 under the consumer's own guard (`version = :stored`, or
 *   `attribute_not_exists(pk)`). A consumer write in between makes the guard fail; the session is
 *   then folded again from Events (the consumer stores raw rows before sessions, so the new
 *   events are there) — a bounded number of times.
 * - ActiveSessions: the projection is written when the session is still active at `now` and the
 *   stored item differs. The condition accepts a newer projection's absence (`events <=` ours,
 *   as the consumer's) and also the very item read (same `events`), so an inflated count can be
 *   lowered, but a projection the consumer wrote meanwhile with more events is never rolled back.
 *   Expired sessions get no ActiveSessions item (the TTL would delete it; readers ignore it).
 * - Realtime rollup: every ActiveSessions write above is a MODIFY (or INSERT) on the table's
 *   stream, and the rollup function applies its delta (contribution after − before) once, as
 *   for any consumer write: active sessions, current visitors, bots and breakdowns move from the
 *   stored image to the rebuilt one. Page views do not shrink that way (a delta only adds their
 *   growth), so before each write the views the stored image has beyond the rebuilt one are
 *   taken out of the rollup's bucket that counted them (pipeline/realtime/rebuild-correction.ts)
 *   with the rollup's own writer, once: its marker is named by the stored image, so a rebuild
 *   killed between the correction and the write finds it done when it meets the same image
 *   again. The two changes add up in either order, so the stream's timing does not matter.
 * - A session the fold finds over whose stored ActiveSessions item still claims it active (a
 *   corrupted expiry) gets its true, expired projection, as the consumer left it (views corrected
 *   the same way); the stream's change takes its state out of the rollup, and TTL deletes it.
 */
import { createHash } from 'node:crypto';
import {
  type DynamoDBClient,
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  type QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import { deadlineFrom } from '../handlers/adapters/deadline';
import { DynamoRealtimeRollups } from '../handlers/adapters/dynamo-realtime-rollups';
import { sessionVersionGuard } from '../handlers/adapters/dynamo-session-store';
import { fromItem, toItem } from '../handlers/adapters/item-codec';
import type { Item } from '../handlers/adapters/item-size';
import { SESSIONS_BY_SITE_DAY_INDEX } from '../infra/resources';
import { applyEvents } from '../pipeline/apply-events';
import { sessionKey, toActiveSessionItem, toSessionItem } from '../pipeline/items';
import { rebuildCorrection } from '../pipeline/realtime/rebuild-correction';
import { visibleFrom } from '../pipeline/realtime/rollup';
import { rollupKeyOf } from '../pipeline/realtime/rollup-keys';
import { mergeSiteDayPages, siteDayKeys } from '../pipeline/site-day-index';
import { utcDay } from '../pipeline/utc-day';
import {
  type ActiveSessionItem,
  ActiveSessionItemSchema,
  type EnrichedEvent,
  EventItemSchema,
  type SessionItem,
  SessionItemSchema,
  type SessionState,
} from '../schemas';
import { type ShardPlan, activeSessionShardsOf, rollupKeysOf } from '../schemas/shard-plan';
import { canonicalJson } from './canonical-json';
import { CliTargetError, CliUsageError, explainAwsError } from './errors';

const DAY_MS = 86_400_000;
/** Longer ranges are refused: Events keep 90 days (RETENTION), so more is a typo. */
export const MAX_REBUILD_DAYS = 92;
/** Guarded Sessions writes per session before it is reported as still changing. */
const MAX_SESSION_ATTEMPTS = 4;
/** Events read per Query page (bounded memory per session). */
const EVENTS_PAGE = 500;
/** Time one rollup correction may take (its writer retries conflicts and throttles within it). */
const ROLLUP_CORRECTION_BUDGET_MS = 30_000;

export interface RebuildTables {
  readonly events: string;
  readonly sessions: string;
  readonly activeSessions: string;
  readonly realtimeRollups: string;
}

export interface RebuildOptions {
  readonly siteId: string;
  /** Sessions that started in [fromMs, toMs] (epoch ms, inclusive). */
  readonly fromMs: number;
  readonly toMs: number;
  /** Sessions named explicitly (e.g. whose Sessions item was deleted); replaces the range. */
  readonly sessionIds?: readonly string[];
  /**
   * The stage's shard plan (or one shard count for every site): the site's ActiveSessions shards
   * place its projections, its rollup keys the rollup correction — as the consumer and the
   * rollup function place them.
   */
  readonly shards: ShardPlan | number;
  readonly dryRun: boolean;
  /** Wall clock (epoch ms): which sessions are still active. */
  readonly now: number;
  readonly print?: (line: string) => void;
}

export interface RebuildReport {
  sessions: number;
  events: number;
  /** Events whose seq another event of the session already holds (not counted twice). */
  duplicateSeqs: number;
  sessionsUnchanged: number;
  sessionsRewritten: number;
  sessionsCreated: number;
  /** Sessions with no event in Events: left as they are. */
  sessionsWithoutEvents: number;
  activeWritten: number;
  activeUnchanged: number;
  /** Sessions no longer active at `now`: no ActiveSessions write. */
  activeExpired: number;
  /** A newer projection (more events) was stored meanwhile: kept. */
  activeNewerKept: number;
  /** Stored items claiming a session active that is over: rewritten with its true expiry. */
  activeEnded: number;
  /** Sessions whose excess page views were taken out of the realtime rollup. */
  rollupCorrected: number;
  /** Guarded Sessions writes refused because the consumer wrote meanwhile (then redone). */
  conflicts: number;
}

export function emptyRebuildReport(): RebuildReport {
  return {
    sessions: 0,
    events: 0,
    duplicateSeqs: 0,
    sessionsUnchanged: 0,
    sessionsRewritten: 0,
    sessionsCreated: 0,
    sessionsWithoutEvents: 0,
    activeWritten: 0,
    activeUnchanged: 0,
    activeExpired: 0,
    activeNewerKept: 0,
    activeEnded: 0,
    rollupCorrected: 0,
    conflicts: 0,
  };
}

export function checkRange(fromMs: number, toMs: number): void {
  if (!Number.isFinite(fromMs) || !Number.isFinite(toMs) || fromMs > toMs) {
    throw new CliUsageError(
      `rebuild: received the range ${fromMs}..${toMs} (expected two instants, from <= to)`,
    );
  }
  const days = Math.floor(toMs / DAY_MS) - Math.floor(fromMs / DAY_MS) + 1;
  if (days > MAX_REBUILD_DAYS) {
    throw new CliUsageError(
      `rebuild: the range spans ${days} days (expected at most ${MAX_REBUILD_DAYS}: Events keep 90 days)`,
    );
  }
}

/** Session ids of the site that started in the range, page by page, day by day. */
export async function* sessionsInRange(
  dynamodb: DynamoDBClient,
  sessionsTable: string,
  siteId: string,
  fromMs: number,
  toMs: number,
): AsyncGenerator<string> {
  const prefix = `${siteId}#`;
  for (let day = Math.floor(fromMs / DAY_MS); day <= Math.floor(toMs / DAY_MS); day += 1) {
    const sources = siteDayKeys(siteId, utcDay(day * DAY_MS)).map((key) =>
      entriesOf(
        queryPages(
          dynamodb,
          {
            TableName: sessionsTable,
            IndexName: SESSIONS_BY_SITE_DAY_INDEX,
            KeyConditionExpression: 'siteDay = :day AND startedAt BETWEEN :from AND :to',
            ExpressionAttributeValues: {
              ':day': { S: key },
              ':from': { N: String(fromMs) },
              ':to': { N: String(toMs) },
            },
          },
          `query ${sessionsTable} index ${SESSIONS_BY_SITE_DAY_INDEX} key ${key}`,
        ),
      ),
    );
    for await (const entry of mergeSiteDayPages(sources)) {
      if (entry.pk.startsWith(prefix)) yield entry.pk.slice(prefix.length);
    }
  }
}

/** An index page's entries: the Sessions pk and the start time (the index's sort key). */
async function* entriesOf(
  pages: AsyncIterable<Item[]>,
): AsyncGenerator<{ startedAt: number; pk: string }[]> {
  for await (const items of pages) {
    yield items.map((item) => ({
      pk: item['pk']?.S ?? '',
      startedAt: Number(item['startedAt']?.N),
    }));
  }
}

/** The session folded from its raw events, one Query page at a time; undefined: no events. */
export async function foldSessionFromEvents(
  dynamodb: DynamoDBClient,
  eventsTable: string,
  siteId: string,
  sessionId: string,
): Promise<{ state: SessionState | undefined; events: number; duplicateSeqs: number }> {
  let state: SessionState | undefined;
  let events = 0;
  let applied = 0;
  const pages = queryPages(
    dynamodb,
    {
      TableName: eventsTable,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: sessionKey(siteId, sessionId) } },
      ConsistentRead: true,
      Limit: EVENTS_PAGE,
    },
    `query ${eventsTable}`,
  );
  for await (const items of pages) {
    const batch: EnrichedEvent[] = items.map((raw) => {
      const {
        pk: _pk,
        sk: _sk,
        expiresAt: _expiresAt,
        ...event
      } = fromItem(EventItemSchema, eventsTable, raw);
      return event;
    });
    events += batch.length;
    if (batch.length > 0) {
      // The consumer's own step: events whose seq is already applied are dropped.
      const { next, newlyApplied } = applyEvents(state, batch);
      state = next;
      applied += newlyApplied.length;
    }
  }
  return { state, events, duplicateSeqs: events - applied };
}

/** Each page's items of one Query, in order, fetching the next page only when asked for it. */
async function* queryPages(
  dynamodb: DynamoDBClient,
  input: Omit<QueryCommandInput, 'ExclusiveStartKey'>,
  what: string,
): AsyncGenerator<Item[]> {
  let start: Item | undefined;
  do {
    const page = await send(
      () => dynamodb.send(new QueryCommand({ ...input, ExclusiveStartKey: start })),
      what,
    );
    yield page.Items ?? [];
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
}

/** Rebuilds one session; adds what it did to `report`. */
export async function rebuildSession(
  dynamodb: DynamoDBClient,
  tables: RebuildTables,
  options: RebuildOptions,
  sessionId: string,
  report: RebuildReport,
): Promise<void> {
  const { siteId } = options;
  report.sessions += 1;
  for (let attempt = 1; ; attempt += 1) {
    const folded = await foldSessionFromEvents(dynamodb, tables.events, siteId, sessionId);
    const stored = await getSession(dynamodb, tables.sessions, siteId, sessionId);
    if (folded.state === undefined) {
      report.sessionsWithoutEvents += 1;
      options.print?.(`session ${sessionId}: no raw events in ${tables.events}; left as it is`);
      return;
    }
    const rebuilt = toSessionItem(folded.state, (stored?.version ?? 0) + 1);
    const same = stored !== undefined && sameIgnoringVersion(stored, rebuilt);
    if (!same && !options.dryRun) {
      const written = await putSessionGuarded(dynamodb, tables.sessions, rebuilt, stored?.version);
      if (!written) {
        report.conflicts += 1;
        if (attempt >= MAX_SESSION_ATTEMPTS) {
          throw new CliTargetError(
            `session ${sessionId} of ${siteId}: ${tables.sessions} changed under ${attempt} ` +
              'guarded writes (expected it to settle; the site is busy — run the rebuild again)',
          );
        }
        continue;
      }
    }
    report.events += folded.events;
    report.duplicateSeqs += folded.duplicateSeqs;
    if (same) report.sessionsUnchanged += 1;
    else if (stored === undefined) report.sessionsCreated += 1;
    else report.sessionsRewritten += 1;
    if (!same) {
      options.print?.(
        `session ${sessionId}: ${stored === undefined ? 'missing, created' : `differs in ${differingFields(stored, rebuilt).join(', ')}`}${options.dryRun ? ' (dry run: not written)' : ''}`,
      );
    }
    await rebuildActive(dynamodb, tables, options, folded.state, report);
    return;
  }
}

async function rebuildActive(
  dynamodb: DynamoDBClient,
  tables: RebuildTables,
  options: RebuildOptions,
  state: SessionState,
  report: RebuildReport,
): Promise<void> {
  const table = tables.activeSessions;
  const projection = toActiveSessionItem(
    state,
    activeSessionShardsOf(options.shards, options.siteId),
  );
  const key = { pk: { S: projection.pk }, sk: { S: projection.sk } };
  const current = await send(
    () => dynamodb.send(new GetItemCommand({ TableName: table, Key: key, ConsistentRead: true })),
    `get ${table}`,
  );
  const stored =
    current.Item === undefined ? undefined : fromItem(ActiveSessionItemSchema, table, current.Item);
  const over = projection.expiresAt * 1000 <= options.now;
  if (over && (stored === undefined || stored.expiresAt * 1000 <= options.now)) {
    // Over, and no stored item says otherwise: nothing to write (TTL deletes it; readers ignore it).
    report.activeExpired += 1;
    return;
  }
  // A session that is over but stored as active (a wrong expiry, which every reader would count)
  // gets its true projection, expired, as the consumer left it: the stream's change takes it out
  // of the rollup, and TTL deletes it.
  if (stored !== undefined && canonicalJson(stored) === canonicalJson(projection)) {
    report.activeUnchanged += 1;
    return;
  }
  if (over) {
    options.print?.(
      `session ${projection.sessionId}: over since ${new Date(projection.expiresAt * 1000).toISOString()} but stored active until ${new Date((stored?.expiresAt ?? 0) * 1000).toISOString()}${options.dryRun ? ' (dry run: not written)' : ''}`,
    );
  }
  if (options.dryRun) {
    if (over) report.activeEnded += 1;
    else report.activeWritten += 1;
    if (rebuildCorrection(stored, projection).size > 0) report.rollupCorrected += 1;
    return;
  }
  // Before the write: a run killed in between meets the same stored image again and finds the
  // correction's marker (the other order would lose the correction with the stored image).
  await correctRollup(dynamodb, tables, options, stored, projection, report);
  try {
    await send(
      () =>
        dynamodb.send(
          new PutItemCommand({
            TableName: table,
            Item: toItem(projection),
            ConditionExpression:
              stored === undefined
                ? 'attribute_not_exists(pk) OR #events <= :events'
                : 'attribute_not_exists(pk) OR #events <= :events OR #events = :seen',
            ExpressionAttributeNames: { '#events': 'events' },
            ExpressionAttributeValues: {
              ':events': { N: String(projection.events) },
              ...(stored === undefined ? {} : { ':seen': { N: String(stored.events) } }),
            },
          }),
        ),
      `put ${table}`,
    );
    if (over) report.activeEnded += 1;
    else report.activeWritten += 1;
  } catch (error) {
    if (!(error instanceof ConditionalCheckFailedException)) throw error;
    report.activeNewerKept += 1;
  }
}

/**
 * Takes the page views `stored` has beyond `rebuilt` out of the realtime rollup, once: one chunk
 * of the rollup's own writer (a transaction with its marker), the marker named after the stored
 * image, so meeting the same image again finds it applied.
 */
async function correctRollup(
  dynamodb: DynamoDBClient,
  tables: RebuildTables,
  options: RebuildOptions,
  stored: ActiveSessionItem | undefined,
  rebuilt: ActiveSessionItem,
  report: RebuildReport,
): Promise<void> {
  const delta = visibleFrom(rebuildCorrection(stored, rebuilt), options.now);
  if (stored === undefined || delta.size === 0) return;
  const image = createHash('sha256').update(canonicalJson(stored)).digest('base64url');
  try {
    await new DynamoRealtimeRollups(dynamodb, tables.realtimeRollups).applyChunk(
      {
        firstEventId: `rebuild#${image}`,
        lastSequence: '0',
        // The key the rollup function counted the stored image under (its item's shard).
        deltas: new Map([
          [
            rollupKeyOf(options.siteId, stored.pk, rollupKeysOf(options.shards, options.siteId)),
            delta,
          ],
        ]),
      },
      deadlineFrom(ROLLUP_CORRECTION_BUDGET_MS),
      options.now,
    );
  } catch (error) {
    throw explainAwsError(
      error,
      `correct the realtime rollup in ${tables.realtimeRollups} for session ${rebuilt.sessionId}`,
    );
  }
  report.rollupCorrected += 1;
}

async function getSession(
  dynamodb: DynamoDBClient,
  table: string,
  siteId: string,
  sessionId: string,
): Promise<SessionItem | undefined> {
  const output = await send(
    () =>
      dynamodb.send(
        new GetItemCommand({
          TableName: table,
          Key: { pk: { S: sessionKey(siteId, sessionId) } },
          ConsistentRead: true,
        }),
      ),
    `get ${table}`,
  );
  return output.Item === undefined ? undefined : fromItem(SessionItemSchema, table, output.Item);
}

/** The consumer's guard (handlers/adapters/dynamo-session-store.ts): false = someone wrote. */
async function putSessionGuarded(
  dynamodb: DynamoDBClient,
  table: string,
  item: SessionItem,
  expectedVersion: number | undefined,
): Promise<boolean> {
  const guard = sessionVersionGuard(expectedVersion);
  try {
    await send(
      () => dynamodb.send(new PutItemCommand({ TableName: table, Item: toItem(item), ...guard })),
      `put ${table}`,
    );
    return true;
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) return false;
    throw error;
  }
}

function withoutVersion(item: SessionItem): Omit<SessionItem, 'version'> {
  const { version: _version, ...rest } = item;
  return rest;
}

function sameIgnoringVersion(a: SessionItem, b: SessionItem): boolean {
  return canonicalJson(withoutVersion(a)) === canonicalJson(withoutVersion(b));
}

function differingFields(a: SessionItem, b: SessionItem): string[] {
  const names = new Set([...Object.keys(a), ...Object.keys(b)]);
  names.delete('version');
  return [...names]
    .filter(
      (name) =>
        canonicalJson((a as Record<string, unknown>)[name]) !==
        canonicalJson((b as Record<string, unknown>)[name]),
    )
    .sort();
}

async function send<T>(call: () => Promise<T>, what: string): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof ConditionalCheckFailedException) throw error;
    throw explainAwsError(error, what);
  }
}

/** Rebuilds the sessions of the range (or the named ones), one at a time. */
export async function rebuildSite(
  dynamodb: DynamoDBClient,
  tables: RebuildTables,
  options: RebuildOptions,
): Promise<RebuildReport> {
  const report = emptyRebuildReport();
  const ids =
    options.sessionIds !== undefined && options.sessionIds.length > 0
      ? options.sessionIds
      : sessionsInRange(dynamodb, tables.sessions, options.siteId, options.fromMs, options.toMs);
  for await (const sessionId of ids) {
    await rebuildSession(dynamodb, tables, options, sessionId, report);
    if (report.sessions % 500 === 0) {
      options.print?.(`… ${report.sessions} sessions, ${report.events} events`);
    }
  }
  return report;
}
