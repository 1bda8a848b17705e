/**
 * Copy back a "restored" table of 20,000 raw events into the stack's emptied Events table on
 * DynamoDB Local, with throttling and UnprocessedItems injected into the CLI's own client (SDK
 * middleware: the emulator never throttles) and a crash half-way; the second run resumes from
 * the checkpoint, and counts and checksums of both tables agree. accepted = stored + bad holds
 * after the copy. Wrong shapes and unknown tables are refused before any write.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteTableCommand,
  ScanCommand,
  waitUntilTableExists,
} from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { toItem } from '../handlers/adapters/item-codec';
import type { Item } from '../handlers/adapters/item-size';
import { type AwsClients, createAwsClients } from '../handlers/aws-clients';
import { readConsumerConfig } from '../handlers/config';
import { dailySalt } from '../handlers/adapters/daily-salt';
import {
  kinesisRecords,
  scenarioEvent,
  type Delivered,
} from '../handlers/consumer/test-support/scenario';
import { installFaultInjector } from '../handlers/faults/fault-injector';
import {
  InjectedCrash,
  crash,
  provisionedThroughputExceeded,
  unprocessedItems,
} from '../handlers/faults/faults';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { toBadRowItem } from '../pipeline/items';
import { processBatch } from '../pipeline/process-batch';
import { runAdmin } from './admin';
import { copyBackCommand } from './commands/copy-back-command';
import { type Checkpoint, checksumTable, copyBack } from './copy-back';
import { CliTargetError } from './errors';
import { stackTarget } from './test-support/stack-target';

const EVENTS = 20_000;
const BAD = 10;

let stack: TestStack;
/**
 * Clients straight to DynamoDB Local (bypassing the one-endpoint router when the emulators run):
 * the router is not what this file tests, and 20,000 items cross it several times.
 */
let direct: AwsClients;
let restored: string;
let folder: string;
/** Tables this file created beside the stack's, deleted after. */
const created: string[] = [];

async function putAll(clients: AwsClients, table: string, items: readonly Item[]): Promise<void> {
  const limit = pLimit(16);
  const chunks = [];
  for (let i = 0; i < items.length; i += 25) chunks.push(items.slice(i, i + 25));
  await Promise.all(
    chunks.map((chunk) =>
      limit(async () => {
        let pending = chunk.map((item) => ({ PutRequest: { Item: item } }));
        while (pending.length > 0) {
          const answer = await clients.dynamodb.send(
            new BatchWriteItemCommand({ RequestItems: { [table]: pending } }),
          );
          pending = (answer.UnprocessedItems?.[table] ?? []) as typeof pending;
        }
      }),
    ),
  );
}

/** What a PITR restore creates: a new table with the Events table's key schema. */
async function createRestoreTable(name: string): Promise<void> {
  await stack.clients.dynamodb.send(
    new CreateTableCommand({
      TableName: name,
      BillingMode: 'PAY_PER_REQUEST',
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
    }),
  );
  await waitUntilTableExists(
    { client: stack.clients.dynamodb, maxWaitTime: 60 },
    { TableName: name },
  );
}

/**
 * Items of a table, counted by DynamoDB itself (Select COUNT, independent of the CLI's checksum
 * scan), four segments at once.
 */
async function countItems(table: string): Promise<number> {
  const counts = await Promise.all(
    [0, 1, 2, 3].map(async (segment) => {
      let count = 0;
      let start: Item | undefined;
      do {
        const page = await direct.dynamodb.send(
          new ScanCommand({
            TableName: table,
            Select: 'COUNT',
            Segment: segment,
            TotalSegments: 4,
            ExclusiveStartKey: start,
          }),
        );
        count += page.Count ?? 0;
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return count;
    }),
  );
  return counts.reduce((sum, n) => sum + n, 0);
}

beforeAll(async () => {
  stack = await useTestStack({ name: 'copy-back' });
  direct = createAwsClients({
    endpoint: stack.dynamodbLocalEndpoint ?? stack.endpoint,
    region: stack.region,
  });
  folder = await mkdtemp(join(tmpdir(), 'liveinsight-copy-back-'));
  restored = `${stack.names.tables.events}-restored`;
  await createRestoreTable(restored);
  created.push(restored);
  // What the consumer stored before the loss: 20,000 raw rows (now only in the restore) and
  // the bad rows of 10 poison records (in the live table), from the pure pipeline.
  const delivered: Delivered[] = [];
  for (let session = 0; session < EVENTS / 20; session += 1) {
    for (let seq = 0; seq < 20; seq += 1) delivered.push(scenarioEvent(session, seq));
  }
  for (let i = 0; i < BAD; i += 1) delivered.push({ poison: `not json ${i} {` });
  const config = readConsumerConfig(stack.env);
  if (config.visitorSalt.kind !== 'value') throw new Error('expected a local salt value');
  const batch = processBatch(kinesisRecords(delivered), {
    clock: { now: () => Date.now() },
    salt: dailySalt(config.visitorSalt.secret),
  });
  expect(batch.eventItems).toHaveLength(EVENTS);
  expect(batch.badRows).toHaveLength(BAD);
  await putAll(
    direct,
    restored,
    batch.eventItems.map((item) => toItem(item)),
  );
  await putAll(
    direct,
    stack.names.tables.badRows,
    batch.badRows.map((row) => toItem(toBadRowItem(row))),
  );
}, 120_000);

afterAll(async () => {
  for (const table of created) {
    await stack.clients.dynamodb.send(new DeleteTableCommand({ TableName: table }));
  }
  await rm(folder, { recursive: true, force: true });
  direct.destroy();
  await stack.dispose();
});

const target = () => stackTarget(stack, readConsumerConfig(stack.env));
const admin = (argv: string[]) =>
  runAdmin(argv, { target: target(), commands: [copyBackCommand], print: () => undefined });

test('an unknown table and a table of another shape are refused before any write', async () => {
  await expect(
    admin(['copy-back', '--from', 'no-such-table', '--to', stack.names.tables.events]),
  ).rejects.toThrow(/the source table "no-such-table" does not exist/);
  await expect(
    admin(['copy-back', '--from', restored, '--to', stack.names.tables.sessions]),
  ).rejects.toThrow(
    new RegExp(
      `wrong table shape — ${restored} has key \\[pk HASH S, sk RANGE S\\] but ${stack.names.tables.sessions} has key \\[pk HASH S\\]`,
    ),
  );
  await expect(
    admin(['copy-back', '--from', restored, '--to', stack.names.tables.events, '--rate', 'fast']),
  ).rejects.toThrow(/--rate "fast"/);
  expect((await checksumTable(stack.clients.dynamodb, stack.names.tables.events)).count).toBe(0);
});

test('20,000 items, throttled and crashed half-way, resumed: counted once, verified', async () => {
  const clients = createAwsClients(
    { endpoint: stack.dynamodbLocalEndpoint ?? stack.endpoint, region: stack.region },
    { maxAttempts: 1 },
  );
  const faults = installFaultInjector([clients.dynamodb]);
  const checkpointFile = join(folder, 'events.checkpoint.json');
  const options = {
    from: restored,
    to: stack.names.tables.events,
    rateWcu: 1_000_000,
    checkpointFile,
    backoff: { baseMs: 1, capMs: 8 },
  };
  try {
    faults.add({
      operation: 'BatchWriteItem',
      fault: provisionedThroughputExceeded(),
      after: 3,
      times: 8,
    });
    faults.add({ operation: 'BatchWriteItem', fault: unprocessedItems(7), after: 60, times: 8 });
    faults.add({ operation: 'BatchWriteItem', fault: crash(), after: 420, times: 1 });

    await expect(copyBack(clients.dynamodb, options)).rejects.toThrow(InjectedCrash);
    const saved = JSON.parse(await readFile(checkpointFile, 'utf8')) as Checkpoint;
    expect(saved.done).toBe(false);
    expect(saved.copied).toBeGreaterThan(0);
    expect(saved.copied).toBeLessThan(EVENTS);
    const kinds = faults.injections.map((i) => i.fault);
    expect(kinds.filter((k) => k === 'error-answer')).toHaveLength(8);
    expect(kinds.filter((k) => k === 'unprocessed-items')).toHaveLength(8);

    faults.clear();
    faults.add({ operation: 'BatchWriteItem', fault: provisionedThroughputExceeded(), times: 10 });
    const report = await copyBack(clients.dynamodb, options);
    expect(report.resumedAt).toBe(saved.copied);
    expect(report.copiedThisRun).toBe(EVENTS - saved.copied);
    expect(report.copied).toBe(EVENTS);
    expect(report.retries).toBeGreaterThanOrEqual(10);
    expect(report.verified).toBe(true);
    expect(report.target?.sum).toBe(report.source.sum);

    // One in, one out: accepted = stored + bad.
    const stored = await countItems(stack.names.tables.events);
    const bad = await countItems(stack.names.tables.badRows);
    expect(stored + bad).toBe(EVENTS + BAD);
    expect(stored).toBe(EVENTS);
  } finally {
    faults.uninstall();
    clients.destroy();
  }
}, 120_000);

test('a finished copy only verifies; a target that differs from the restore is reported, not verified', async () => {
  // Small tables: what is checked here does not depend on size (the 20,000 are verified above).
  const from = `${stack.names.tables.events}-small-restored`;
  const to = `${stack.names.tables.events}-small-live`;
  for (const table of [from, to]) {
    await createRestoreTable(table);
    created.push(table);
  }
  const items = Array.from({ length: 3 }, (_, i) => ({
    pk: { S: `site#s${i}` },
    sk: { S: `e${i}` },
    n: { N: String(i) },
  }));
  await putAll(direct, from, items);
  const checkpoint = join(folder, 'small.checkpoint.json');
  const printed: string[] = [];
  const copy = () =>
    runAdmin(
      ['copy-back', '--from', from, '--to', to, '--checkpoint', checkpoint, '--rate', '100000'],
      { target: target(), commands: [copyBackCommand], print: (line) => printed.push(line) },
    );
  await copy();
  expect(await countItems(to)).toBe(3);
  expect(printed).toContain('verified: same items in both tables');
  // Finished: a further run only verifies (and still passes).
  printed.length = 0;
  await copy();
  expect(printed).toContain(`checkpoint ${checkpoint}: the copy is done; verifying`);
  expect(printed).toContain('verified: same items in both tables');
  // One more item in the target since: counts differ.
  const extra = { pk: { S: 'x#y' }, sk: { S: 'written-since-the-restore' } };
  await putAll(direct, to, [extra]);
  await expect(copy()).rejects.toThrow(CliTargetError);
  expect(JSON.parse(await readFile(checkpoint, 'utf8'))).toMatchObject({ done: true, copied: 3 });
});
