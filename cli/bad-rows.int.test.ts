/**
 * Bad rows on the emulators: list and show by day and reason, and a schema bug simulated — a bad
 * row whose payload is valid under the current validator — replayed into an event exactly once,
 * removed from BadRows so accepted = stored + bad stays true; a truly bad row stays bad.
 */
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { toItem } from '../handlers/adapters/item-codec';
import { useConsumerTestStack } from '../handlers/consumer/test-support/consumer-test-stack';
import { expectExactlyOnce } from '../handlers/consumer/test-support/exactly-once';
import {
  POISON_TEXT,
  kinesisRecords,
  scenarioEvent,
} from '../handlers/consumer/test-support/scenario';
import { makeBadRow, payloadOf } from '../pipeline/bad-rows';
import { toBadRowItem } from '../pipeline/items';
import { kinesisOrigin } from '../pipeline/kinesis-record';
import { utcDay } from '../pipeline/utc-day';
import type { BadRowReason } from '../schemas';
import { runAdmin } from './admin';
import type { ReplayReport } from './bad-rows';
import { lines, printedReport, testTarget } from './test-support/test-target';

const env = useConsumerTestStack({ name: 'cli-bad-rows', per: 'file' });

const { stored } = env;

async function admin(...argv: string[]): Promise<string[]> {
  const { print, printed } = lines();
  await runAdmin(argv, { target: testTarget(env.stack), print });
  return printed;
}

// Two records as Lambda delivered them: a valid event that an old release's bug made a `schema`
// bad row, and a record that is not JSON at all.
const valid = scenarioEvent(0, 0);
const [validRecord, poisonRecord] = kinesisRecords([valid, { poison: POISON_TEXT }]);
const day = utcDay(kinesisOrigin(validRecord!).arrivedAt);

async function writeBadRow(
  record: NonNullable<typeof validRecord>,
  reason: BadRowReason,
): Promise<string> {
  const item = toBadRowItem(
    makeBadRow(
      reason,
      `${reason} (by an old release)`,
      kinesisOrigin(record),
      payloadOf(record.kinesis.data),
    ),
  );
  await env.stack.clients.dynamodb.send(
    new PutItemCommand({ TableName: env.stack.names.tables.badRows, Item: toItem(item) }),
  );
  return item.sk;
}

test('list and show by day and reason; replay turns the row a later rule accepts into one event, once', async () => {
  const validSk = await writeBadRow(validRecord!, 'schema');
  const poisonSk = await writeBadRow(poisonRecord!, 'not_json');

  const all = await admin('bad-rows', 'list', '--day', day);
  expect(all.filter((l) => l.includes('#')).sort()).toEqual(
    [expect.stringContaining(validSk), expect.stringContaining(poisonSk)].sort(),
  );
  const onePage = await admin('bad-rows', 'list', '--day', day, '--limit', '1');
  expect(onePage.at(-1)).toMatch(/^more: .* --after \d+:/);
  const schemaOnly = await admin('bad-rows', 'list', '--day', day, '--reason', 'schema');
  expect(schemaOnly).toEqual([
    expect.stringContaining(validSk),
    '1 bad rows of ' + day + ' with reason schema',
  ]);
  const shown = await admin('bad-rows', 'show', '--day', day, '--id', validSk);
  expect(shown.at(-1)).toBe(JSON.stringify(valid));

  const dry = printedReport<ReplayReport>(
    await admin('bad-rows', 'replay', '--reason', 'schema', '--day', day, '--dry-run'),
  );
  expect(dry).toMatchObject({ rows: 1, nowValid: 1, stillBad: 0 });
  expect((await stored()).events).toHaveLength(0);

  const replayed = printedReport<ReplayReport>(
    await admin('bad-rows', 'replay', '--reason', 'schema', '--day', day),
  );
  expect(replayed).toMatchObject({ rows: 1, nowValid: 1, stored: 1, stillBad: 0 });
  const after = await stored();
  // accepted (2 records) = stored (1 event) + bad (the poison row): the replayed row left BadRows.
  expectExactlyOnce(after, { events: [valid], badRecords: 1 }, env.consumer.config);

  // Twice changes nothing; the truly bad row stays bad with its reason.
  const again = printedReport<ReplayReport>(
    await admin('bad-rows', 'replay', '--reason', 'schema', '--day', day),
  );
  expect(again).toMatchObject({ rows: 0, nowValid: 0 });
  const stillBad = printedReport<ReplayReport>(
    await admin('bad-rows', 'replay', '--reason', 'not_json', '--day', day),
  );
  expect(stillBad).toMatchObject({ rows: 1, nowValid: 0, stillBad: 1 });
  const final = await stored();
  expect({ ...final, badRows: [] }).toEqual({ ...after, badRows: [] });
  // The same row (same key), its reason kept; the consumer rewrote it with today's message.
  expect(final.badRows.map((row) => [row.sk, row.reason])).toEqual([[poisonSk, 'not_json']]);
});

test('a replayed row whose event also arrived normally is removed and counted once', async () => {
  const event = scenarioEvent(1, 0);
  const [record] = kinesisRecords([event], 10);
  // The event arrived normally…
  await env.consumer.handler()({ Records: [record!] }, { getRemainingTimeInMillis: () => 15_000 });
  // …and an old release also made a bad row of a re-put of it (another position).
  const [rePut] = kinesisRecords([event], 11);
  await writeBadRow(rePut!, 'schema');

  const replayed = printedReport<ReplayReport>(
    await admin('bad-rows', 'replay', '--reason', 'schema', '--day', day),
  );
  expect(replayed).toMatchObject({ rows: 1, nowValid: 1, stored: 0 });
  const state = await stored();
  expect(state.events.filter((e) => e.eventId === event.event.eventId)).toHaveLength(1);
  expect(state.sessions.get(`demo-shop#${event.event.sessionId}`)?.events).toBe(1);
});

test('clear errors: an unknown reason, a bad day, a row that does not exist', async () => {
  await expect(admin('bad-rows', 'replay', '--reason', 'nope', '--day', day)).rejects.toThrow(
    /--reason "nope" is unknown \(expected one of not_base64/,
  );
  await expect(admin('bad-rows', 'list', '--day', '7 Dec')).rejects.toThrow(/YYYY-MM-DD/);
  await expect(
    admin('bad-rows', 'show', '--day', day, '--id', 'kinesis#shardId-9#1'),
  ).rejects.toThrow(/no bad row kinesis#shardId-9#1/);
  await expect(admin('bad-rows', 'list', '--dya', day)).rejects.toThrow(/Unknown option '--dya'/);
});
