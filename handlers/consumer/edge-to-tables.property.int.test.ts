/**
 * Property: whatever contract-valid batch a client sends — props keys of every allowed shape,
 * JavaScript prototype names among them, numbers at DynamoDB's limits, any Unicode, strings,
 * counts and sizes at the contract's limits — the edge accepts it (the model and the consumer
 * agree), and every accepted event ends as exactly one raw row (with exactly the props sent) or
 * one bad row, at once: no invocation fails, no record is retried or sent to the on-failure
 * destination (DESIGN.md invariants 1 and 4; issue 20 item 1).
 */
import fc from 'fast-check';
import { type TestStack, useTestStack } from '../../localstack/testing/use-test-stack';
import { LIMITS, PROP_KEY_PATTERN, type TrackerEvent } from '../../schemas';
import { type EdgeToTables, startEdgeToTables } from './test-support/edge-to-tables';

let stack: TestStack;
let path: EdgeToTables;

beforeAll(async () => {
  stack = await useTestStack({ name: 'edge-to-tables-property' });
  path = await startEdgeToTables(stack);
});
afterAll(async () => {
  await path?.stop();
  await stack?.dispose();
});

type PropValue = string | number | boolean;

/** Every own name of Object.prototype (`__proto__`, `constructor`, `toString`…) fits the key rule. */
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

const propKey = fc.oneof(
  fc.constantFrom(...PROTOTYPE_NAMES),
  fc.stringMatching(new RegExp(PROP_KEY_PATTERN)),
  fc.constant('k'.repeat(LIMITS.maxPropKeyLength)),
);

const propNumber = fc.oneof(
  fc.constantFrom(
    0,
    -0,
    LIMITS.maxPropNumberMagnitude,
    -LIMITS.maxPropNumberMagnitude,
    LIMITS.minPropNumberMagnitude,
    -LIMITS.minPropNumberMagnitude,
    Number.MAX_SAFE_INTEGER + 2,
    0.1,
  ),
  fc.integer(),
  fc
    .double({
      min: -LIMITS.maxPropNumberMagnitude,
      max: LIMITS.maxPropNumberMagnitude,
      noNaN: true,
    })
    .filter((n) => n === 0 || Math.abs(n) >= LIMITS.minPropNumberMagnitude),
);

/** Any code point (no lone surrogates), up to the limit; ASCII and the limit itself too. */
const text = (maxLength: number, minLength = 0) =>
  fc.oneof(
    fc.string({ unit: 'binary', minLength, maxLength }),
    fc.string({ unit: 'grapheme', minLength, maxLength: Math.min(maxLength, 20) }),
    fc.constant('é'.repeat(maxLength)),
  );

const propValue: fc.Arbitrary<PropValue> = fc.oneof(
  text(LIMITS.maxPropStringLength),
  propNumber,
  fc.boolean(),
);

/** Own keys only, `__proto__` included: Object.fromEntries defines properties, never sets them. */
const props = fc
  .uniqueArray(fc.tuple(propKey, propValue), {
    maxLength: LIMITS.maxProps,
    selector: ([key]) => key,
  })
  .map((entries) => Object.fromEntries(entries) as Record<string, PropValue>);

const eventShape = fc.record({
  type: fc.constantFrom('pageview', 'engagement', 'custom', 'custom'),
  path: text(100),
  title: fc.option(text(LIMITS.maxTitleLength), { nil: undefined }),
  name: text(LIMITS.maxNameLength, 1),
  props,
  engagedMs: fc.integer({ min: 0, max: LIMITS.maxEngagedMs }),
  // Now, or too old / too far ahead: those are accepted, then bad rows (ts_out_of_range).
  ageMs: fc.oneof(
    fc.integer({ min: -60_000, max: 60_000 }),
    fc.constantFrom(8 * 24 * 3_600_000, -2 * 24 * 3_600_000),
  ),
});

let run = 0;

type EventShape = typeof eventShape extends fc.Arbitrary<infer T> ? T : never;

function trackerEvents(shapes: readonly EventShape[]): TrackerEvent[] {
  run += 1;
  const now = Date.now();
  return shapes.map((shape, i) => {
    const common = {
      eventId: `evt_prop_${run}_${String(i).padStart(6, '0')}`,
      sessionId: `sess_prop_${run}_${i % 3}`,
      seq: i,
      ts: now - shape.ageMs,
      url: `https://shop.example.com/${encodeURIComponent(shape.path)}`.slice(
        0,
        LIMITS.maxUrlLength,
      ),
      ...(shape.title === undefined ? {} : { title: shape.title }),
    };
    if (shape.type === 'pageview') return { ...common, type: 'pageview' };
    if (shape.type === 'engagement') {
      return { ...common, type: 'engagement', engagedMs: shape.engagedMs };
    }
    return { ...common, type: 'custom', name: shape.name, props: shape.props };
  });
}

/**
 * Up to 40 events: with props, titles and names at their limits that already reaches the 1 MB
 * body. (500 small events, the count limit, is the edge's own test; here it only made every
 * later run scan a larger table under load.)
 */
const batchShapes = fc.array(eventShape, { minLength: 1, maxLength: 40 });

/** Drops events from the end until the body fits the edge's 1 MB (a 413 is not the question). */
function withinBodyLimit(events: TrackerEvent[]): TrackerEvent[] {
  const bytes = (list: TrackerEvent[]) =>
    Buffer.byteLength(JSON.stringify({ siteId: 'shop', events: list }));
  const kept = [...events];
  while (kept.length > 1 && bytes(kept) > LIMITS.maxBodyBytes) kept.pop();
  return kept;
}

const sortedEntries = (value: object) => Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));

test('every accepted event is one raw row with its props as sent, or one bad row; nothing retried', async () => {
  await fc.assert(
    fc.asyncProperty(batchShapes, async (shapes) => {
      // Arrange
      const events = withinBodyLimit(trackerEvents(shapes));
      const statsBefore = path.mapping.stats();

      // Act
      const { answer, records } = await path.send({ siteId: 'shop', events });

      // Assert: the edge accepts every contract-valid batch, one record per event.
      expect(answer.status).toBe(200);
      expect(records).toHaveLength(events.length);
      const state = await path.stored();
      // What went over the wire (JSON has no -0: the client sent 0).
      const wire = JSON.parse(JSON.stringify(events)) as TrackerEvent[];
      const sent = new Map(wire.map((e) => [e.eventId, e]));
      const rows = state.events.filter((row) => sent.has(row.eventId));
      const bad = state.badRows.filter((row) => sent.has(row.eventId ?? ''));
      // One in, one out: accepted = stored + bad, no event both or twice.
      const outcomes = [...rows.map((r) => r.eventId), ...bad.map((r) => r.eventId)].sort();
      expect(outcomes).toEqual([...sent.keys()].sort());
      for (const row of rows) {
        const event = sent.get(row.eventId) as TrackerEvent;
        expect(sortedEntries(row.props ?? {})).toEqual(
          sortedEntries('props' in event ? (event.props ?? {}) : {}),
        );
        expect(row.title).toBe(event.title);
      }
      // Bad rows only for what the contract leaves to the consumer (bytes, clocks), never
      // because the store refused data the edge accepted.
      for (const row of bad) expect(['too_large', 'ts_out_of_range']).toContain(row.reason);
      // Nothing failed, retried, bisected or given up on.
      const stats = path.mapping.stats();
      for (const counter of [
        'functionErrors',
        'partialFailures',
        'retries',
        'bisects',
        'recordsToDestination',
      ] as const) {
        expect({ [counter]: stats[counter] }).toEqual({ [counter]: statsBefore[counter] });
      }
    }),
    { numRuns: 16 },
  );
  expect(path.consumer.reports.every((r) => r.failedSequenceNumbers.length === 0)).toBe(true);
  expect(await path.onFailureRecords()).toBe(0);
  // ≈ 15 s alone; the whole integration suite runs beside it on two cores.
}, 150_000);
