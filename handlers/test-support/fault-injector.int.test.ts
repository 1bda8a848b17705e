import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import {
  BatchWriteItemCommand,
  GetItemCommand,
  PutItemCommand,
  ScanCommand,
} from '@aws-sdk/client-dynamodb';
import { type FaultInjector, installFaultInjector } from './fault-injector';
import {
  InjectedCrash,
  crash,
  delay,
  provisionedThroughputExceeded,
  serverError,
  throttlingException,
  unprocessedItems,
} from './faults';

let dynamo: TestStack;
let faults: FaultInjector;
let events: string;
let badRows: string;

beforeAll(async () => {
  dynamo = await useTestStack({ name: 'faults' });
  events = dynamo.names.tables.events;
  badRows = dynamo.names.tables.badRows;
});
afterAll(() => dynamo.dispose());
beforeEach(() => {
  faults = installFaultInjector([dynamo.clients.dynamodb]);
});
afterEach(() => faults.uninstall());

const put = (table: string, pk: string) =>
  new PutItemCommand({ TableName: table, Item: { pk: { S: pk }, sk: { S: 'x' } } });

async function stored(table: string, pk: string): Promise<boolean> {
  const out = await dynamo.clients.dynamodb.send(
    new GetItemCommand({ TableName: table, Key: { pk: { S: pk }, sk: { S: 'x' } } }),
  );
  return out.Item !== undefined;
}

test('throttling answers are retried by the SDK itself and the call then succeeds', async () => {
  faults.add({ operation: 'PutItem', target: events, fault: throttlingException(), times: 2 });

  const output = await dynamo.clients.dynamodb.send(put(events, 'throttled-twice'));

  expect(output.$metadata.attempts).toBe(3);
  expect(faults.injections).toHaveLength(2);
  expect(await stored(events, 'throttled-twice')).toBe(true);
});

test('persistent throttling surfaces as the SDK exception after its retries; nothing is written', async () => {
  faults.add({
    operation: 'PutItem',
    target: events,
    fault: provisionedThroughputExceeded(),
    times: Infinity,
  });

  const error = await dynamo.clients.dynamodb.send(put(events, 'throttled')).catch((e) => e);

  expect(error).toMatchObject({
    name: 'ProvisionedThroughputExceededException',
    $fault: 'client',
    $metadata: { httpStatusCode: 400, attempts: 3 },
  });
  expect(await stored(events, 'throttled')).toBe(false);
});

test('5xx answers parse as server faults', async () => {
  faults.add({ operation: 'PutItem', target: events, fault: serverError(500), times: Infinity });

  const error = await dynamo.clients.dynamodb.send(put(events, 'five-hundred')).catch((e) => e);

  expect(error).toMatchObject({ name: 'InternalServerError', $fault: 'server' });
  expect(error.$metadata.attempts).toBe(3);
});

test('a rule for one table leaves other tables alone', async () => {
  faults.add({ operation: 'PutItem', target: badRows, fault: serverError(503), times: Infinity });

  await dynamo.clients.dynamodb.send(put(events, 'other-table'));

  expect(faults.injections).toHaveLength(0);
  expect(await stored(events, 'other-table')).toBe(true);
});

test('`after` lets the first matching calls through', async () => {
  faults.add({ operation: 'PutItem', target: events, fault: crash(), after: 1 });

  await dynamo.clients.dynamodb.send(put(events, 'first-passes'));
  const error = await dynamo.clients.dynamodb.send(put(events, 'second-crashes')).catch((e) => e);

  expect(error).toBeInstanceOf(InjectedCrash);
  expect(await stored(events, 'first-passes')).toBe(true);
  expect(await stored(events, 'second-crashes')).toBe(false);
});

test('unprocessed items are really withheld from the table and reported back', async () => {
  faults.add({ operation: 'BatchWriteItem', fault: unprocessedItems(2) });
  const keys = ['u1', 'u2', 'u3', 'u4', 'u5'];

  const output = await dynamo.clients.dynamodb.send(
    new BatchWriteItemCommand({
      RequestItems: {
        [badRows]: keys.map((pk) => ({
          PutRequest: { Item: { pk: { S: pk }, sk: { S: 'x' } } },
        })),
      },
    }),
  );

  const unprocessed = (output.UnprocessedItems?.[badRows] ?? []).map(
    (w) => w.PutRequest?.Item?.['pk']?.S,
  );
  expect(unprocessed).toEqual(['u4', 'u5']);
  const scan = await dynamo.clients.dynamodb.send(new ScanCommand({ TableName: badRows }));
  expect((scan.Items ?? []).map((i) => i['pk']?.S).sort()).toEqual(['u1', 'u2', 'u3']);
});

test('a crash throws before anything is sent', async () => {
  faults.add({ operation: 'PutItem', target: events, fault: crash() });

  await expect(dynamo.clients.dynamodb.send(put(events, 'crashed'))).rejects.toThrow(InjectedCrash);
  expect(await stored(events, 'crashed')).toBe(false);
});

test('a delay holds the call, then lets it through', async () => {
  faults.add({ operation: 'PutItem', target: events, fault: delay(300) });
  const started = Date.now();

  await dynamo.clients.dynamodb.send(put(events, 'slow'));

  expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  expect(await stored(events, 'slow')).toBe(true);
});

test('uninstall removes the middleware', async () => {
  faults.add({ operation: 'PutItem', target: events, fault: crash(), times: Infinity });
  faults.uninstall();

  await dynamo.clients.dynamodb.send(put(events, 'after-uninstall'));

  expect(await stored(events, 'after-uninstall')).toBe(true);
});
