import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import pLimit from 'p-limit';
import { type FaultInjector, installFaultInjector } from '../test-support/fault-injector';
import {
  InjectedCrash,
  crash,
  delay,
  throttlingException,
  unprocessedItems,
} from '../test-support/faults';
import { type RequestMeter, installRequestMeter } from '../test-support/request-meter';
import { type PutRequest, batchWriteAll } from './batch-write';
import { DeadlineExceededError, deadlineFrom } from './deadline';
import { WriteFailedError } from './write-errors';

let dynamo: TestStack;
let faults: FaultInjector;
let meter: RequestMeter;
let run = 0;

beforeAll(async () => {
  dynamo = await useTestStack({ name: 'batch-write' });
});
afterAll(() => dynamo.dispose());
beforeEach(() => {
  run += 1;
  faults = installFaultInjector([dynamo.clients.dynamodb]);
  meter = installRequestMeter([dynamo.clients.dynamodb]);
});
afterEach(() => {
  faults.uninstall();
  meter.uninstall();
});

/** Items keyed under this test's own partition prefix, tagged with their index. */
function requests(table: string, count: number): PutRequest<number>[] {
  return Array.from({ length: count }, (_, i) => ({
    table,
    item: { pk: { S: `run${run}#${i}` }, sk: { S: 'e' }, n: { N: String(i) } },
    tags: [i],
  }));
}

async function storedKeys(table: string): Promise<string[]> {
  const scan = await dynamo.clients.dynamodb.send(new ScanCommand({ TableName: table }));
  return (scan.Items ?? [])
    .map((item) => item['pk']?.S ?? '')
    .filter((pk) => pk.startsWith(`run${run}#`))
    .sort();
}

const options = (remainingMs = 10_000) => ({
  deadline: deadlineFrom(remainingMs),
  limit: pLimit(4),
  backoff: { baseMs: 5, capMs: 40 },
});

test('writes in requests of at most 25 items, several tables per request, duplicates once', async () => {
  const { events, badRows } = dynamo.names.tables;
  const input = [...requests(events, 40), ...requests(badRows, 10)];
  const duplicated = [...input, ...input.slice(0, 5).map((r) => ({ ...r, tags: [100] }))];

  const result = await batchWriteAll(dynamo.clients.dynamodb, duplicated, options());

  expect(result).toEqual({ failed: [], distinctItems: 50 });
  expect(meter.total().requests).toBe(2);
  expect(await storedKeys(events)).toHaveLength(40);
  expect(await storedKeys(badRows)).toHaveLength(10);
});

test('unprocessed items are retried until written', async () => {
  const { events } = dynamo.names.tables;
  faults.add({ operation: 'BatchWriteItem', fault: unprocessedItems(10) });
  faults.add({ operation: 'BatchWriteItem', fault: unprocessedItems(4) });

  const result = await batchWriteAll(dynamo.clients.dynamodb, requests(events, 25), options());

  expect(result.failed).toEqual([]);
  expect(faults.injections).toHaveLength(2);
  expect(meter.total().requests).toBe(3);
  expect(await storedKeys(events)).toHaveLength(25);
});

test('items still unprocessed at the deadline are reported with their tags', async () => {
  const { events } = dynamo.names.tables;
  faults.add({ operation: 'BatchWriteItem', fault: unprocessedItems(3), times: Infinity });
  const started = Date.now();

  const result = await batchWriteAll(dynamo.clients.dynamodb, requests(events, 8), {
    ...options(1_000),
    backoff: { baseMs: 50, capMs: 200 },
  });

  expect(Date.now() - started).toBeLessThan(1_000);
  expect(result.failed.map((f) => f.tags).flat()).toEqual([5, 6, 7]);
  expect(result.failed[0]?.error).toBeInstanceOf(WriteFailedError);
  expect(await storedKeys(events)).toHaveLength(5);
});

test('a throttled request fails its items with the SDK error, other requests succeed', async () => {
  const { events } = dynamo.names.tables;
  faults.add({ operation: 'BatchWriteItem', fault: throttlingException(), times: 3 });

  const result = await batchWriteAll(dynamo.clients.dynamodb, requests(events, 30), {
    ...options(),
    limit: pLimit(1),
  });

  expect(result.failed.map((f) => f.tags).flat()).toEqual(Array.from({ length: 25 }, (_, i) => i));
  expect(result.failed[0]?.error.name).toBe('ThrottlingException');
  expect(await storedKeys(events)).toHaveLength(5);
});

test('a call slower than the deadline fails its items in time', async () => {
  const { events } = dynamo.names.tables;
  faults.add({ operation: 'BatchWriteItem', fault: delay(3_000) });
  const started = Date.now();

  const result = await batchWriteAll(dynamo.clients.dynamodb, requests(events, 3), options(1_000));

  expect(Date.now() - started).toBeLessThan(1_500);
  expect(result.failed).toHaveLength(3);
  expect(result.failed[0]?.error).toBeInstanceOf(DeadlineExceededError);
});

test('a crash is not a failed write: it escapes', async () => {
  const { events } = dynamo.names.tables;
  faults.add({ operation: 'BatchWriteItem', fault: crash() });

  await expect(
    batchWriteAll(dynamo.clients.dynamodb, requests(events, 3), options()),
  ).rejects.toBeInstanceOf(InjectedCrash);
});

test('an item DynamoDB refuses as invalid is isolated: the rest of its request is stored', async () => {
  // Arrange: 25 items in one request; item 17 holds a number DynamoDB cannot (over 9.9…E+125).
  const { events } = dynamo.names.tables;
  const input = requests(events, 25);
  const refused = input[17] as PutRequest<number>;
  const invalid = { ...refused, item: { ...refused.item, n: { N: '1e200' } } };
  input[17] = invalid;

  // Act
  const result = await batchWriteAll(dynamo.clients.dynamodb, input, options());

  // Assert: only item 17 failed, for good (no retry can store it), named by DynamoDB's error.
  expect(result.failed).toHaveLength(1);
  expect(result.failed[0]).toMatchObject({ tags: [17], permanent: true });
  expect(result.failed[0]?.error.name).toBe('ValidationException');
  expect(await storedKeys(events)).toEqual(
    input
      .filter((r) => r !== invalid)
      .map((r) => r.item['pk']?.S)
      .sort(),
  );
  // Halving costs about 2 requests per level (≈ 11 here), fewer than one request per item.
  expect(meter.total().requests).toBeLessThan(input.length);
});

test('a throttled request is a transient failure, never permanent', async () => {
  const { events } = dynamo.names.tables;
  faults.add({ operation: 'BatchWriteItem', fault: throttlingException(), times: Infinity });

  const result = await batchWriteAll(dynamo.clients.dynamodb, requests(events, 3), options());

  expect(result.failed.map((f) => f.permanent)).toEqual([false, false, false]);
});
