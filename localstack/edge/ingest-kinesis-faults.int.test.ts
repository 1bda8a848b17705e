/**
 * Ack means durable (DESIGN.md invariant 5), with faults injected as middleware on the edge's
 * own Kinesis integration (the SDK's middleware steps, so handlers/faults works on it): a partial PutRecords failure answers 207 naming exactly the refused
 * events (by index), and resending those lands them; when Kinesis fails or cannot be reached,
 * the answer is a retryable 5xx and nothing is reported accepted.
 */
import { Type } from '@sinclair/typebox';
import { installFaultInjector, type FaultInjector } from '../../handlers/faults/fault-injector';
import { crash } from '../../handlers/faults/faults';
import { ErrorBodySchema } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { type TestStack, testKinesisEngines, useTestStack } from '../testing/use-test-stack';
import { KinesisBackend } from './kinesis-backend';
import { type Harness, events, startHarness } from './test-support/edge-harness';
import { failRecords } from './test-support/fail-records';

const PartialSchema = Type.Object({
  accepted: Type.Integer(),
  failed: Type.Array(Type.Object({ index: Type.Integer(), errorCode: Type.String() })),
});

function errorOf(json: unknown) {
  const parsed = parseWith(ErrorBodySchema, json);
  if (!parsed.ok) throw new Error(`not the error shape: ${JSON.stringify(json)}`);
  return parsed.value.error;
}

describe.each(testKinesisEngines())('local edge under Kinesis faults (%s)', (engine) => {
  let stack: TestStack;
  let edge: Harness;
  beforeAll(async () => {
    stack = await useTestStack({ name: `edge-faults-${engine}`, kinesisEngine: engine });
    edge = await startHarness(stack);
  });
  afterAll(async () => {
    await edge?.stop();
    await stack?.dispose();
  });

  it('answers 207 naming exactly the refused events; resending them lands every event once', async () => {
    // Arrange: Kinesis refuses records 1, 4 and 7 of the batch.
    const batch = events(10);
    const refusedIds = [1, 4, 7].map((i) => batch[i]?.eventId);
    const fault = failRecords(edge.kinesis, (_record, index) => [1, 4, 7].includes(index));

    // Act
    const first = await edge.post({ siteId: 'shop', events: batch });
    fault.uninstall();

    // Assert: the answer names them, the stream has exactly the others.
    expect(first.status).toBe(207);
    const partial = parseWith(PartialSchema, first.json);
    if (!partial.ok) throw new Error(`207 body: ${JSON.stringify(first.json)}`);
    expect(partial.value.accepted).toBe(7);
    const named = partial.value.failed.map((f) => batch[f.index]?.eventId);
    expect(named).toEqual(refusedIds);
    expect(new Set(partial.value.failed.map((f) => f.errorCode))).toEqual(
      new Set(['ProvisionedThroughputExceededException']),
    );
    const landed = (await edge.recordsOf(first.requestId)).map((r) => r.record.event.eventId);
    expect(landed.sort()).toEqual(
      batch
        .map((e) => e.eventId)
        .filter((id) => !refusedIds.includes(id))
        .sort(),
    );

    // Act: the tracker resends exactly the named events, same eventIds.
    const retry = await edge.post({
      siteId: 'shop',
      events: partial.value.failed.map((f) => batch[f.index]),
    });

    // Assert
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({ accepted: 3 });
    const afterRetry = [
      ...(await edge.recordsOf(first.requestId)),
      ...(await edge.recordsOf(retry.requestId)),
    ];
    expect(afterRetry.map((r) => r.record.event.eventId).sort()).toEqual(
      batch.map((e) => e.eventId).sort(),
    );
  });

  it('answers 207 with accepted 0 when every record is refused', async () => {
    const batch = events(3);
    const fault = failRecords(edge.kinesis, () => true, 'InternalFailure');

    const answer = await edge.post({ siteId: 'shop', events: batch });
    fault.uninstall();

    expect(answer.status).toBe(207);
    expect(answer.json).toEqual({
      accepted: 0,
      failed: [0, 1, 2].map((index) => ({ index, errorCode: 'InternalFailure' })),
    });
    expect(await edge.recordsOf(answer.requestId)).toEqual([]);
  });

  describe('Kinesis down', () => {
    let faults: FaultInjector;
    beforeEach(() => {
      faults = installFaultInjector([edge.kinesis]);
    });
    afterEach(() => faults.uninstall());

    it('answers 503, retryable, and accepts nothing when the call fails (no answer from Kinesis)', async () => {
      faults.add({ operation: 'PutRecords', fault: crash(), times: 1 });

      const answer = await edge.post({ siteId: 'shop', events: events(5) });

      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(errorOf(answer.json)).toMatchObject({
        code: 'stream_unavailable',
        details: { retryable: true },
      });
      expect(answer.json).not.toHaveProperty('accepted');
      expect(await edge.recordsOf(answer.requestId)).toEqual([]);
    });

    it.each([
      [500, 'InternalFailure'],
      [503, 'ServiceUnavailable'],
      [400, 'ProvisionedThroughputExceededException'],
    ])('answers 503, retryable, when Kinesis answers %d %s', async (status, code) => {
      faults.add({
        operation: 'PutRecords',
        fault: { kind: 'error-answer', status, code, message: 'injected' },
        times: 1,
      });

      const answer = await edge.post({ siteId: 'shop', events: events(5) });

      expect(answer.status).toBe(503);
      expect(errorOf(answer.json)).toEqual({
        code: 'stream_unavailable',
        message: expect.stringContaining('retry') as unknown,
        details: { retryable: true, cause: code },
      });
      expect(await edge.recordsOf(answer.requestId)).toEqual([]);
    });
  });

  it('answers 503 when the stream does not exist (Kinesis 400 ResourceNotFoundException)', async () => {
    const lost = await startHarness(stack, { streamName: `${stack.prefix}-missing` });
    try {
      const answer = await lost.post({ siteId: 'shop', events: events(2) });

      expect(answer.status).toBe(503);
      expect(errorOf(answer.json).details).toEqual({
        retryable: true,
        cause: 'ResourceNotFoundException',
      });
    } finally {
      await lost.stop();
    }
  });
});

describe('local edge with Kinesis unreachable', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await useTestStack({ name: 'edge-unreachable', bootstrap: false });
  });
  afterAll(() => stack?.dispose());

  it('answers 503 from the INTEGRATION_FAILURE gateway response when nothing listens', async () => {
    // Port 9 (discard) on localhost: nothing listens, the connection is refused.
    const kinesis = KinesisBackend.connect({
      endpoint: 'http://127.0.0.1:9',
      region: stack.region,
    });
    const edge = await startHarness(stack, { kinesis });
    try {
      const answer = await edge.post({ siteId: 'shop', events: events(2) });

      expect(answer.status).toBe(503);
      expect(answer.headers.get('retry-after')).toBe('1');
      expect(errorOf(answer.json)).toMatchObject({
        code: 'stream_unavailable',
        details: { retryable: true },
      });
      expect(edge.accessLog.at(-1)).toContain('"errorType":"INTEGRATION_FAILURE"');
    } finally {
      await edge.stop();
      kinesis.destroy();
    }
  });
});
