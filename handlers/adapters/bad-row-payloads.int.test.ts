import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';
import pLimit from 'p-limit';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { toBadRowItem } from '../../pipeline/items';
import { BadRowItemSchema, parseWith, type BadRowItem } from '../../schemas';
import {
  BAD_ROW_INLINE_LIMIT_BYTES,
  BadRowPayloadStore,
  badRowPayloadKey,
} from './bad-row-payloads';
import { batchWriteAll } from './batch-write';
import { deadlineFrom } from './deadline';
import { toItem } from './item-codec';

let stack: TestStack;
let payloads: BadRowPayloadStore;

beforeAll(async () => {
  stack = await useTestStack({ name: 'bad-row-payloads' });
  payloads = new BadRowPayloadStore(
    stack.clients.s3,
    stack.names.buckets.failures,
    deadlineFrom(60_000),
  );
});
afterAll(() => stack.dispose());

function badRow(sequenceNumber: string, payloadBase64: string): BadRowItem {
  return toBadRowItem({
    reason: 'too_large',
    message: 'record of 1048576 bytes (expected at most 12288)',
    origin: {
      kind: 'kinesis',
      streamArn: 'arn:aws:kinesis:us-east-1:000000000000:stream/events',
      shardId: 'shardId-000000000000',
      sequenceNumber,
      arrivedAt: 1_767_225_600_000,
      partitionKey: 'session-1',
    },
    payloadBase64,
    payloadBytes: Buffer.from(payloadBase64, 'base64').length,
  });
}

async function storeAndRead(item: BadRowItem): Promise<BadRowItem> {
  const prepared = await payloads.prepare(item);
  const result = await batchWriteAll(
    stack.clients.dynamodb,
    [{ table: stack.names.tables.badRows, item: toItem(prepared), tags: [item.sk] }],
    { deadline: deadlineFrom(60_000), limit: pLimit(1) },
  );
  expect(result.failed).toEqual([]);
  const out = await stack.clients.dynamodb.send(
    new GetItemCommand({
      TableName: stack.names.tables.badRows,
      Key: { pk: { S: item.pk }, sk: { S: item.sk } },
    }),
  );
  const parsed = parseWith(BadRowItemSchema, unmarshall(out.Item ?? {}));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.issues));
  return parsed.value;
}

test('a small payload stays inline in the item', async () => {
  const item = badRow('1001', Buffer.from('{"not":"an edge record"}').toString('base64'));

  const stored = await storeAndRead(item);

  expect(stored).toEqual(item);
  expect(stored.payloadObject).toBeUndefined();
});

test('a 1 MB payload goes to the failures bucket byte for byte; the item references it', async () => {
  const payloadBase64 = Buffer.alloc(1024 * 1024, 7).toString('base64');
  const item = badRow('1002', payloadBase64);

  const stored = await storeAndRead(item);

  const key = badRowPayloadKey(item);
  expect(stored).toEqual({
    ...item,
    payloadBase64: '',
    payloadObject: { bucket: stack.names.buckets.failures, key },
  });
  const object = await stack.clients.s3.send(
    new GetObjectCommand({ Bucket: stack.names.buckets.failures, Key: key }),
  );
  expect(await object.Body?.transformToString()).toBe(payloadBase64);
});

test('the limit is the item size: just under stays inline, just over moves', async () => {
  const under = badRow('1003', 'A'.repeat(BAD_ROW_INLINE_LIMIT_BYTES - 1024));
  const over = badRow('1004', 'A'.repeat(BAD_ROW_INLINE_LIMIT_BYTES));

  expect((await payloads.prepare(under)).payloadObject).toBeUndefined();
  expect((await payloads.prepare(over)).payloadObject).toBeDefined();
  await expect(
    stack.clients.s3.send(
      new HeadObjectCommand({ Bucket: stack.names.buckets.failures, Key: badRowPayloadKey(over) }),
    ),
  ).resolves.toBeDefined();
});
