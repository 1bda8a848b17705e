/**
 * The consumer's report says what it really wrote (npm start's live line shows it): events new
 * to their session, events written again that were already applied (a redelivery), bad rows —
 * and nothing while the writes fail, however many records it processed.
 */
import { serverError } from '../test-support/faults';
import { lambdaContext } from './test-support/consumer-under-test';
import { useConsumerTestStack } from './test-support/consumer-test-stack';
import {
  POISON_TEXT,
  type Delivered,
  interleavedSessions,
  kinesisEvent,
  kinesisRecords,
} from './test-support/scenario';

const env = useConsumerTestStack({ name: 'written-counts', per: 'test' });

const invoke = (items: readonly Delivered[], remainingMs = 15_000) =>
  env.consumer.handler()(kinesisEvent(kinesisRecords(items, 0)), lambdaContext(remainingMs));

test('a first delivery counts new events and bad rows; a redelivery counts only repeats', async () => {
  const events = interleavedSessions(3, [0, 1, 2, 3]);
  const delivered: Delivered[] = [...events, { poison: POISON_TEXT }];

  await invoke(delivered);
  await invoke(delivered);

  const [first, second] = env.consumer.reports;
  expect(first?.written).toEqual({ newEvents: 12, repeatedEvents: 0, badRows: 1 });
  // The redelivery overwrites the same rows: nothing new, every event a repeat.
  expect(second?.written).toEqual({ newEvents: 0, repeatedEvents: 12, badRows: 1 });
});

test('a producer double-put within one batch counts once as new, once as repeated', async () => {
  const events = interleavedSessions(1, [0, 1]);
  const twice = events[1];
  if (twice === undefined) throw new Error('scenario has fewer than 2 events');

  await invoke([...events, twice]);

  expect(env.consumer.reports[0]?.written).toEqual({ newEvents: 2, repeatedEvents: 1, badRows: 0 });
});

test('while DynamoDB fails, the report counts nothing written', async () => {
  const events = interleavedSessions(2, [0, 1, 2]);
  env.consumer.faults.add({
    operation: 'BatchWriteItem',
    fault: serverError(503),
    times: Infinity,
  });

  const response = await invoke(events, 2_000);

  expect(response.batchItemFailures.length).toBeGreaterThan(0);
  expect(env.consumer.reports[0]?.stats.stored).toBe(6); // what the pipeline made of the records
  expect(env.consumer.reports[0]?.written).toEqual({ newEvents: 0, repeatedEvents: 0, badRows: 0 });
});
