/**
 * Write units of the rollup's transactions computed from item sizes, because DynamoDB Local's
 * ConsumedCapacity for TransactWriteItems cannot be used: it reports twice the sum of the
 * *distinct* per-item unit values (a marker Put and ten 10-byte updates: 2 instead of 22; five
 * updates of 2.5 KB items: 6 instead of 30). AWS bills each action of a transaction twice, an
 * update at the larger of the item's before and after sizes.
 *
 * SDK middleware on the rollup's client: after each successful transaction it reads the items
 * the transaction wrote (with a separate, unmetered client) and remembers their sizes, so the
 * next update of the same item knows its "before". Only the rollup writes its table, and it
 * applies one transaction at a time (one shard, ParallelizationFactor 1); an overlap would make
 * the "before" sizes unreliable, so it throws.
 */
import {
  BatchGetItemCommand,
  type DynamoDBClient,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
} from '@smithy/types';
import { type Item, itemSize, writeUnits } from '../../handlers/adapters/item-size';
import { stackOf } from '../../handlers/test-support/fault-injector';

/** One action of a transaction: the item's size before (0 when new) and after, in bytes. */
export interface ActionSizes {
  readonly before: number;
  readonly after: number;
}

/** What AWS bills a transaction: 2 × the write units of each action at its larger image. */
export function transactionWriteUnits(actions: readonly ActionSizes[]): number {
  return actions.reduce(
    (units, action) => units + 2 * writeUnits(Math.max(action.before, action.after)),
    0,
  );
}

export interface TransactionSizer {
  /** Computed write units of the successful transactions since the last reset. */
  writeUnits(): number;
  reset(): void;
  uninstall(): void;
}

const TAG = 'LIVEINSIGHT_BENCH_TRANSACTION_SIZER';

/** Table and key of one action; only the actions the rollup sends (Put, Update). */
function target(action: TransactWriteItem, keyNames: readonly string[]): [string, Item] {
  if (action.Update !== undefined) return [action.Update.TableName ?? '', action.Update.Key ?? {}];
  if (action.Put !== undefined) {
    const item = action.Put.Item ?? {};
    const key: Item = {};
    for (const name of keyNames) {
      const value = item[name];
      if (value !== undefined) key[name] = value;
    }
    return [action.Put.TableName ?? '', key];
  }
  throw new RangeError(
    `transaction action ${JSON.stringify(Object.keys(action))} is not sized here (expected Put or Update, as the rollup sends)`,
  );
}

export function installTransactionSizer(options: {
  readonly client: DynamoDBClient;
  /** Reads the written items; not the metered client. */
  readonly reader: DynamoDBClient;
  /** Key attribute names of the tables the transactions write. */
  readonly keyNames: readonly string[];
}): TransactionSizer {
  const sizes = new Map<string, number>();
  let units = 0;
  let inFlight = 0;

  const readSizes = async (keys: readonly [string, Item][]): Promise<Map<string, number>> => {
    const found = new Map<string, number>();
    let request: Record<string, { Keys: Item[] }> = {};
    for (const [table, key] of keys) (request[table] ??= { Keys: [] }).Keys.push(key);
    while (Object.keys(request).length > 0) {
      const answer = await options.reader.send(new BatchGetItemCommand({ RequestItems: request }));
      for (const [table, items] of Object.entries(answer.Responses ?? {})) {
        for (const item of items) found.set(keyId(table, item, options.keyNames), itemSize(item));
      }
      request = Object.fromEntries(
        Object.entries(answer.UnprocessedKeys ?? {}).map(([table, left]) => [
          table,
          { Keys: left.Keys ?? [] },
        ]),
      );
    }
    return found;
  };

  const sizer =
    (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
      if (context.commandName !== 'TransactWriteItemsCommand') return next(args);
      const actions = (args.input as { TransactItems?: TransactWriteItem[] }).TransactItems ?? [];
      const keys = actions.map((action) => target(action, options.keyNames));
      inFlight += 1;
      try {
        if (inFlight > 1) {
          throw new Error(
            `${inFlight} rollup transactions in flight at once (expected one at a time): the sizes before an update would be unreliable`,
          );
        }
        const result = await next(args);
        const after = await readSizes(keys);
        const actionSizes = keys.map(([table, key]) => {
          const id = keyId(table, key, options.keyNames);
          const sized = { before: sizes.get(id) ?? 0, after: after.get(id) ?? 0 };
          sizes.set(id, sized.after);
          return sized;
        });
        units += transactionWriteUnits(actionSizes);
        return result;
      } finally {
        inFlight -= 1;
      }
    };

  stackOf(options.client).add(sizer, {
    step: 'initialize',
    priority: 'low',
    name: 'liveinsightBenchTransactionSizer',
    tags: [TAG],
    override: true,
  });

  return {
    writeUnits: () => units,
    reset() {
      units = 0;
    },
    uninstall() {
      stackOf(options.client).removeByTag(TAG);
    },
  };
}

function keyId(table: string, item: Item, keyNames: readonly string[]): string {
  return JSON.stringify([table, ...keyNames.map((name) => item[name] ?? null)]);
}
