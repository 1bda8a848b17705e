/**
 * Counts what a client asks of DynamoDB, as SDK middleware on the real client: HTTP requests
 * (SDK retries included, since each is billed), items written, and write units two ways —
 * as reported in ConsumedCapacity (the meter asks for it, split by table and index) and as
 * computed from the item sizes of the base table's writes (DynamoDB Local reports capacity for
 * successful writes but not for failed conditional ones, which AWS bills all the same; the
 * computed figure leaves out index writes). Used by tests ("one request per session") and by the bench.
 */
import type { AttributeValue, ConsumedCapacity } from '@aws-sdk/client-dynamodb';
import type {
  HandlerExecutionContext,
  InitializeHandler,
  InitializeHandlerArguments,
  InitializeHandlerOutput,
} from '@smithy/types';
import { type Item, itemSize, writeUnits } from '../adapters/item-size';
import { type InstrumentableClient, stackOf } from './fault-injector';

export interface OperationCount {
  /** HTTP requests, retries included. */
  requests: number;
  /** Calls that ended in an error (after the SDK's retries). */
  errors: number;
  itemsWritten: number;
  /** Sum of ConsumedCapacity.CapacityUnits reported by the service (table + indexes). */
  reportedWriteUnits: number;
  /** The part of `reportedWriteUnits` spent on global secondary indexes. */
  reportedIndexWriteUnits: number;
  /** Write units computed from the sizes of the items written (failed conditional puts too). */
  computedWriteUnits: number;
}

export interface RequestMeter {
  /** Per `${operation} ${table}` (tables of a batch joined with `+`). */
  readonly byOperation: ReadonlyMap<string, OperationCount>;
  total(): OperationCount;
  reset(): void;
  uninstall(): void;
}

const TAG = 'LIVEINSIGHT_REQUEST_METER';

function emptyCount(): OperationCount {
  return {
    requests: 0,
    errors: 0,
    itemsWritten: 0,
    reportedWriteUnits: 0,
    reportedIndexWriteUnits: 0,
    computedWriteUnits: 0,
  };
}

interface WrittenItems {
  readonly items: readonly Item[];
  readonly tables: readonly string[];
}

/** The items a write call carries, for the computed write units. */
function writtenItems(operation: string, input: Record<string, unknown>): WrittenItems {
  const table = typeof input['TableName'] === 'string' ? input['TableName'] : undefined;
  if (operation === 'PutItem' && table !== undefined) {
    return { items: [input['Item'] as Item], tables: [table] };
  }
  if (operation === 'BatchWriteItem') {
    const requestItems = (input['RequestItems'] ?? {}) as Record<
      string,
      { PutRequest?: { Item?: Item } }[]
    >;
    return {
      items: Object.values(requestItems).flatMap((writes) =>
        writes.flatMap((w) => (w.PutRequest?.Item === undefined ? [] : [w.PutRequest.Item])),
      ),
      tables: Object.keys(requestItems),
    };
  }
  if (operation === 'TransactWriteItems') {
    // Reported capacity only (it bills each action twice); the computed figure leaves it out.
    const actions = (input['TransactItems'] ?? []) as Record<string, { TableName?: string }>[];
    const tables = actions.flatMap((action) =>
      Object.values(action).flatMap((body) =>
        body.TableName === undefined ? [] : [body.TableName],
      ),
    );
    return { items: [], tables: [...new Set(tables)] };
  }
  return { items: [], tables: table === undefined ? [] : [table] };
}

/**
 * UpdateItem's written size depends on the stored item; the meter approximates it with the
 * size of the values the update sets (names + values), which is exact for a first write and a
 * lower bound afterwards (AWS bills the larger of the before and after images).
 */
function updateSize(input: Record<string, unknown>): number {
  const values = (input['ExpressionAttributeValues'] ?? {}) as Record<string, AttributeValue>;
  const key = (input['Key'] ?? {}) as Item;
  return itemSize({ ...key, ...values });
}

export function installRequestMeter(clients: readonly InstrumentableClient[]): RequestMeter {
  const counts = new Map<string, OperationCount>();

  const meter =
    (next: InitializeHandler<object, object>, context: HandlerExecutionContext) =>
    async (args: InitializeHandlerArguments<object>): Promise<InitializeHandlerOutput<object>> => {
      const operation = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      const input = { ...(args.input as Record<string, unknown>) };
      const isWrite = [
        'PutItem',
        'BatchWriteItem',
        'UpdateItem',
        'DeleteItem',
        'TransactWriteItems',
      ].includes(operation);
      if (isWrite && input['ReturnConsumedCapacity'] === undefined) {
        // INDEXES: the total plus its split between the table and each index.
        input['ReturnConsumedCapacity'] = 'INDEXES';
      }
      const written = writtenItems(operation, input);
      const key = `${operation} ${written.tables.join('+')}`.trim();
      const count = counts.get(key) ?? emptyCount();
      counts.set(key, count);
      const record = (attempts: number, unprocessed: number, oldItem: Item | undefined) => {
        count.requests += attempts;
        const sizes = written.items.map(itemSize);
        if (operation === 'UpdateItem') sizes.push(updateSize(input));
        const stored = sizes.length - unprocessed;
        count.itemsWritten += Math.max(0, stored);
        const oldSize = oldItem === undefined ? 0 : itemSize(oldItem);
        // Billing: each item rounds up on its own; a replaced item bills the larger image.
        count.computedWriteUnits += sizes
          .slice(0, Math.max(0, stored))
          .reduce((sum, size) => sum + writeUnits(Math.max(size, oldSize)), 0);
      };
      try {
        const result = await next({ ...args, input });
        const output = result.output as {
          $metadata?: { attempts?: number };
          ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[];
          UnprocessedItems?: Record<string, unknown[]>;
          Attributes?: Item;
        };
        const unprocessed = Object.values(output.UnprocessedItems ?? {}).reduce(
          (sum, writes) => sum + writes.length,
          0,
        );
        record(output.$metadata?.attempts ?? 1, unprocessed, output.Attributes);
        const capacities = [output.ConsumedCapacity ?? []].flat();
        for (const capacity of capacities) {
          count.reportedWriteUnits += capacity.CapacityUnits ?? 0;
          for (const index of Object.values(capacity.GlobalSecondaryIndexes ?? {})) {
            count.reportedIndexWriteUnits += index.CapacityUnits ?? 0;
          }
        }
        return result;
      } catch (error) {
        const metadata = (error as { $metadata?: { attempts?: number } }).$metadata;
        count.errors += 1;
        if (
          error instanceof Error &&
          error.name === 'ConditionalCheckFailedException' &&
          operation === 'PutItem'
        ) {
          // A failed conditional write is billed like a write of the item (larger image).
          const old = (error as { Item?: Item }).Item;
          count.requests += metadata?.attempts ?? 1;
          const size = Math.max(itemSize(written.items[0] ?? {}), old ? itemSize(old) : 0);
          count.computedWriteUnits += writeUnits(size);
        } else {
          count.requests += metadata?.attempts ?? (metadata === undefined ? 0 : 1);
        }
        throw error;
      }
    };

  for (const client of clients) {
    stackOf(client).add(meter, {
      step: 'initialize',
      priority: 'low',
      name: 'liveinsightRequestMeter',
      tags: [TAG],
      override: true,
    });
  }

  return {
    byOperation: counts,
    total() {
      const sum = emptyCount();
      for (const c of counts.values()) {
        sum.requests += c.requests;
        sum.errors += c.errors;
        sum.itemsWritten += c.itemsWritten;
        sum.reportedWriteUnits += c.reportedWriteUnits;
        sum.reportedIndexWriteUnits += c.reportedIndexWriteUnits;
        sum.computedWriteUnits += c.computedWriteUnits;
      }
      return sum;
    },
    reset() {
      counts.clear();
    },
    uninstall() {
      for (const client of clients) stackOf(client).removeByTag(TAG);
    },
  };
}
