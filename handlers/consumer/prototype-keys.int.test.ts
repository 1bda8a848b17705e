/**
 * Issue 20, item 1: props keys that are JavaScript prototype names went through the edge (200),
 * then failed every write of the consumer (marshalling a `{constructor: 1}` throws; `__proto__`
 * vanished into the prototype), were retried as if transient, held back their shard and ended
 * in the S3 on-failure bucket — neither a raw row nor a bad row. Now they are ordinary keys:
 * stored byte for byte, at once, with no retry.
 */
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { events } from '../../localstack/edge/test-support/edge-harness';
import type { TrackerEvent } from '../../schemas';
import { type EdgeToTables, startEdgeToTables } from './test-support/edge-to-tables';

let stack: TestStack;
let path: EdgeToTables;

beforeAll(async () => {
  stack = await useTestStack({ name: 'prototype-keys' });
  path = await startEdgeToTables(stack);
});
afterAll(async () => {
  await path?.stop();
  await stack?.dispose();
});

/** Props as the tracker's JSON carries them (JSON.parse makes `__proto__` an own key). */
const PROPS_TEXT = [
  '{"constructor": 1}',
  '{"__proto__": "x", "plan": "pro"}',
  '{"toString": "s", "hasOwnProperty": true, "valueOf": 2, "isPrototypeOf": false}',
  '{"__defineGetter__": "g", "propertyIsEnumerable": 0, "toLocaleString": "l", "constructor": "c"}',
];

test('props keys named like Object.prototype members are stored as sent, at once', async () => {
  // Arrange: one custom event per props object, in one request (one session, one shard).
  const batch: TrackerEvent[] = events(PROPS_TEXT.length).map((event, index) => ({
    ...event,
    // The edge's clock: events older than a week are bad rows (ts_out_of_range).
    ts: Date.now() + index,
    type: 'custom',
    name: 'signup',
    props: JSON.parse(PROPS_TEXT[index] as string) as Record<string, string | number | boolean>,
  }));
  const body = `{"siteId":"shop","events":[${batch
    .map((event, index) =>
      JSON.stringify(event).replace(
        /"props":\{\}|"props":\{[^}]*\}/,
        `"props":${PROPS_TEXT[index]}`,
      ),
    )
    .join(',')}]}`;

  // Act
  const { answer, records } = await path.send(body);

  // Assert: accepted, then one raw row per event with exactly the props sent, nothing retried.
  expect(answer.status).toBe(200);
  expect(records).toHaveLength(batch.length);
  const stored = await path.stored();
  for (const [index, event] of batch.entries()) {
    const row = stored.events.find((item) => item.eventId === event.eventId);
    expect(row).toBeDefined();
    const props = row?.props ?? {};
    expect(Object.getPrototypeOf(props)).toBe(Object.prototype);
    // DynamoDB keeps a map's keys, not their order.
    expect(Object.entries(props).sort()).toEqual(
      Object.entries(JSON.parse(PROPS_TEXT[index] as string) as object).sort(),
    );
  }
  expect(stored.badRows).toHaveLength(0);
  expect(path.mapping.stats()).toMatchObject({
    functionErrors: 0,
    partialFailures: 0,
    retries: 0,
    recordsToDestination: 0,
  });
});
