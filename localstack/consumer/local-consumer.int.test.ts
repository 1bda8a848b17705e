/**
 * `npm start`'s consumer part: records put on the local events stream end up in the tables,
 * read by the local event-source mapping with the consumer's own settings (1 s batching window,
 * Lambda's polling pace), and the part stops cleanly.
 */
import { PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { waitFor } from '../testing/wait-for';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { interleavedSessions } from '../../handlers/consumer/test-support/scenario';
import { snapshot } from '../../handlers/consumer/test-support/table-snapshot';
import { type LocalConsumer, startLocalConsumer } from './local-consumer';

let stack: TestStack;
let consumer: LocalConsumer | undefined;

beforeAll(async () => {
  stack = await useTestStack({ name: 'local-consumer' });
});
afterAll(async () => {
  await consumer?.stop();
  await stack.dispose();
});

test('consumes the local events stream into Events, Sessions and ActiveSessions', async () => {
  consumer = await startLocalConsumer({ env: stack.env, clients: stack.clients });
  const events = interleavedSessions(3, [0, 1, 2]);

  await stack.clients.kinesis.send(
    new PutRecordsCommand({
      StreamName: stack.names.eventsStream,
      Records: events.map((record) => ({
        PartitionKey: record.event.sessionId,
        Data: Buffer.from(JSON.stringify(record)),
      })),
    }),
  );

  const tables = {
    events: stack.names.tables.events,
    sessions: stack.names.tables.sessions,
    activeSessions: stack.names.tables.activeSessions,
    badRows: stack.names.tables.badRows,
  };
  const state = await waitFor(
    async () => {
      const current = await snapshot(stack.clients.dynamodb, tables);
      return current.events.length === 9 && current.activeSessions.size === 3 ? current : false;
    },
    'nine events and three active sessions',
    15_000,
  );
  expect(state.sessions.size).toBe(3);
  expect([...state.sessionStates.values()].map((s) => s.events)).toEqual([3, 3, 3]);
  expect(consumer.summary).toContain(stack.names.eventsStream);
});
