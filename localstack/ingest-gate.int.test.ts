/**
 * The ingest gate on the real edge and kinesalite: while refused, POST /events answers 503 in the
 * error contract (retryable, Retry-After) and nothing reaches the stream; admitted again, events
 * are accepted; idle() waits for PutRecords calls that got past the gate.
 */
import { delay } from '../handlers/test-support/faults';
import { installFaultInjector } from '../handlers/test-support/fault-injector';
import { type Harness, events, startHarness } from './edge/test-support/edge-harness';
import { IngestGate } from './ingest-gate';
import { type TestStack, useTestStack } from './testing/use-test-stack';

let stack: TestStack;
let edge: Harness;
let gate: IngestGate;
beforeAll(async () => {
  stack = await useTestStack({ name: 'ingest-gate' });
  edge = await startHarness(stack);
});
beforeEach(() => {
  gate = new IngestGate(edge.kinesis);
});
afterEach(() => gate.detach());
afterAll(async () => {
  await edge?.stop();
  await stack?.dispose();
});

it('refuses with 503 while a cause is open, puts nothing on the stream, and admits again', async () => {
  gate.refuse('dynamodb-local', 'dynamodb-local is down');

  const refused = await edge.post({ siteId: 'shop', events: events(3) });
  gate.admit('dynamodb-local');
  const accepted = await edge.post({ siteId: 'shop', events: events(2) });

  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(refused.json).toMatchObject({
    error: {
      code: 'stream_unavailable',
      details: { retryable: true, cause: 'ServiceUnavailable' },
    },
  });
  expect(await edge.recordsOf(refused.requestId)).toEqual([]);
  expect(gate.refusedRecords).toBe(3);
  expect(gate.refusal()).toBeUndefined();
  expect(accepted.status).toBe(200);
  expect(await edge.recordsOf(accepted.requestId)).toHaveLength(2);
});

it('stays refused until every cause is admitted', () => {
  gate.refuse('dynamodb-local', 'dynamodb-local is down');
  gate.refuse('stopping', 'the product is stopping');
  gate.admit('dynamodb-local');

  expect(gate.refusal()).toBe('the product is stopping');
});

it('idle() resolves once the PutRecords calls in flight have answered', async () => {
  const faults = installFaultInjector([edge.kinesis]);
  faults.add({ operation: 'PutRecords', fault: delay(300), times: 1 });
  try {
    const slow = edge.post({ siteId: 'shop', events: events(1) });
    const until = Date.now() + 10_000;
    while (gate.callsInFlight === 0 && Date.now() < until) {
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const inFlight = gate.callsInFlight;
    gate.refuse('stopping', 'the product is stopping');

    const idle = await gate.idle(10_000);

    expect(inFlight).toBe(1);
    expect(idle).toBe(true);
    expect(gate.callsInFlight).toBe(0);
    // It got past the gate before the refusal: acknowledged and on the stream.
    const answer = await slow;
    expect(answer.status).toBe(200);
    expect(await edge.recordsOf(answer.requestId)).toHaveLength(1);
  } finally {
    faults.uninstall();
  }
});
