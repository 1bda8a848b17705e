/**
 * DynamoDB Local honours UpdateTimeToLive but never deletes anything. This sweeper does what
 * AWS's TTL process does: for each table with TTL enabled, delete items whose TTL attribute (a
 * Number, epoch seconds) has passed — later than expiry by a configurable lag, as AWS's deletes
 * lag (up to about two days) — and log each deletion (see ttl-deletion-log.ts).
 *
 * Like AWS, it skips non-numeric TTL values and values more than five years in the past, and it
 * deletes with a condition that the item is still expired, so an item whose TTL was extended
 * between the scan and the delete survives.
 */
import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  ListTablesCommand,
  ResourceNotFoundException,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import type { TtlDeletionLog, WireItem } from './ttl-deletion-log';
import { clientTtlAttribute } from './ttl-shadow';

export interface SweptItem {
  readonly tableName: string;
  readonly keys: WireItem;
}

export interface TtlSweeper {
  /** Sweeps now (all tables with TTL enabled, or only `tableNames`); returns what it deleted. */
  sweepNow(tableNames?: readonly string[]): Promise<readonly SweptItem[]>;
  readonly lagSeconds: number;
  stop(): Promise<void>;
}

export interface TtlSweeperOptions {
  readonly dynamodb: DynamoDBClient;
  readonly log: TtlDeletionLog;
  /** Time between automatic sweeps; `'manual'` sweeps only on `sweepNow()`. */
  readonly intervalMs: number | 'manual';
  /** Seconds an item stays after its expiry before the sweeper may delete it. */
  readonly lagSeconds: number;
  /** Clock in epoch ms (tests move it). */
  readonly now?: () => number;
  readonly onError?: (error: Error) => void;
  readonly onStop?: () => void;
}

const FIVE_YEARS_SECONDS = 5 * 365 * 86_400;

async function listTables(dynamodb: DynamoDBClient): Promise<string[]> {
  const names: string[] = [];
  let start: string | undefined;
  do {
    const page = await dynamodb.send(new ListTablesCommand({ ExclusiveStartTableName: start }));
    names.push(...(page.TableNames ?? []));
    start = page.LastEvaluatedTableName;
  } while (start !== undefined);
  return names;
}

async function ttlAttributeOf(dynamodb: DynamoDBClient, tableName: string) {
  const { TimeToLiveDescription } = await dynamodb.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const stored = TimeToLiveDescription?.AttributeName;
  // Talking to DynamoDB Local directly, the sweeper sees the shadow name (ttl-shadow.ts).
  return TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED' && stored !== undefined
    ? clientTtlAttribute(stored)
    : undefined;
}

async function sweepTable(
  options: TtlSweeperOptions,
  tableName: string,
  nowSeconds: number,
): Promise<SweptItem[]> {
  const { dynamodb, log } = options;
  let attribute: string | undefined;
  let keyNames: string[];
  try {
    attribute = await ttlAttributeOf(dynamodb, tableName);
    if (attribute === undefined) return [];
    const { Table } = await dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
    keyNames = (Table?.KeySchema ?? []).flatMap((key) =>
      key.AttributeName === undefined ? [] : [key.AttributeName],
    );
  } catch (error) {
    // Deleted between ListTables and here (parallel tests clean up): nothing to sweep.
    if (error instanceof ResourceNotFoundException) return [];
    throw error;
  }
  const cutoff = nowSeconds - options.lagSeconds;
  const names = { '#ttl': attribute, ...Object.fromEntries(keyNames.map((k, i) => [`#k${i}`, k])) };
  const swept: SweptItem[] = [];
  let startKey: Record<string, never> | undefined;
  do {
    let page;
    try {
      page = await dynamodb.send(
        new ScanCommand({
          TableName: tableName,
          FilterExpression: '#ttl < :cutoff AND #ttl >= :floor',
          ProjectionExpression: keyNames.map((_, i) => `#k${i}`).join(', '),
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: {
            ':cutoff': { N: String(cutoff) },
            ':floor': { N: String(nowSeconds - FIVE_YEARS_SECONDS) },
          },
          ExclusiveStartKey: startKey,
        }),
      );
    } catch (error) {
      if (error instanceof ResourceNotFoundException) return swept;
      throw error;
    }
    for (const keys of page.Items ?? []) {
      const pending = log.begin(tableName, keys);
      try {
        const { Attributes } = await dynamodb.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: keys,
            ConditionExpression: '#ttl < :cutoff',
            ExpressionAttributeNames: { '#ttl': attribute },
            ExpressionAttributeValues: { ':cutoff': { N: String(cutoff) } },
            ReturnValues: 'ALL_OLD',
          }),
        );
        pending.complete(Attributes);
        swept.push({ tableName, keys });
      } catch (error) {
        pending.abandon();
        if (error instanceof ConditionalCheckFailedException) continue;
        if (error instanceof ResourceNotFoundException) return swept;
        throw error;
      }
    }
    startKey = page.LastEvaluatedKey as Record<string, never> | undefined;
  } while (startKey !== undefined);
  return swept;
}

export function startTtlSweeper(options: TtlSweeperOptions): TtlSweeper {
  const now = options.now ?? Date.now;
  let running: Promise<readonly SweptItem[]> | undefined;
  let stopped = false;

  const sweep = async (tableNames?: readonly string[]): Promise<readonly SweptItem[]> => {
    const tables = tableNames ?? (await listTables(options.dynamodb));
    const nowSeconds = Math.floor(now() / 1_000);
    const perTable = await Promise.all(
      tables.map((table) => sweepTable(options, table, nowSeconds)),
    );
    return perTable.flat();
  };

  const sweepNow = (tableNames?: readonly string[]): Promise<readonly SweptItem[]> => {
    // One sweep at a time: a manual sweep waits for an automatic one, then runs its own.
    const previous = running ?? Promise.resolve([]);
    const next = previous.catch(() => []).then(() => sweep(tableNames));
    running = next;
    return next;
  };

  let timer: NodeJS.Timeout | undefined;
  const schedule = (): void => {
    if (stopped || options.intervalMs === 'manual') return;
    timer = setTimeout(() => {
      sweepNow()
        .catch((error: unknown) =>
          options.onError?.(error instanceof Error ? error : new Error(String(error))),
        )
        .finally(schedule);
    }, options.intervalMs);
    timer.unref();
  };
  schedule();

  return {
    sweepNow,
    lagSeconds: options.lagSeconds,
    async stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
      await running?.catch(() => undefined);
      options.onStop?.();
    },
  };
}
