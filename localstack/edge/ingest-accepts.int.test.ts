/**
 * The local edge accepts a good batch: 200 {"accepted": n}, one Kinesis record per event keyed
 * by sessionId with the server fields, and API Gateway's headers. On both Kinesis engines.
 */
import { ErrorBodySchema } from '../../schemas/query';
import { ACCESS_LOG_FIELDS, SECURITY_HEADERS } from '../../infra/api/ingest-api-spec';
import { parseWith } from '../../schemas/validator';
import { type TestStack, testKinesisEngines, useTestStack } from '../testing/use-test-stack';
import { type Harness, SHOP_ORIGIN, events, startHarness } from './test-support/edge-harness';

describe.each(testKinesisEngines())('local edge accepts a batch (%s)', (engine) => {
  let stack: TestStack;
  let edge: Harness;
  beforeAll(async () => {
    stack = await useTestStack({ name: `edge-accepts-${engine}`, kinesisEngine: engine });
    edge = await startHarness(stack);
  });
  afterAll(async () => {
    await edge?.stop();
    await stack?.dispose();
  });

  it('answers 200 with the count and puts one record per event, keyed by sessionId', async () => {
    // Arrange
    const batch = events(10);
    const before = Date.now();

    // Act
    const answer = await edge.post(
      { siteId: 'shop', events: batch },
      { origin: SHOP_ORIGIN, 'cloudfront-viewer-country': 'NL' },
    );

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ accepted: 10 });
    const records = await edge.recordsOf(answer.requestId);
    expect(records.map((r) => r.record.event.eventId).sort()).toEqual(
      batch.map((e) => e.eventId).sort(),
    );
    for (const { partitionKey, record } of records) {
      expect(partitionKey).toBe(record.event.sessionId);
      expect(record).toMatchObject({
        v: 1,
        siteId: 'shop',
        requestId: answer.requestId,
        sourceIp: '127.0.0.1',
        userAgent: 'edge-test/1.0',
        country: 'NL',
      });
      expect(record.receivedAt).toBeGreaterThanOrEqual(before);
      expect(record.receivedAt).toBeLessThanOrEqual(Date.now());
      expect(record.event).toEqual(batch.find((e) => e.eventId === record.event.eventId));
    }
  });

  it('keeps each session in order on its shard', async () => {
    const batch = events(30);

    const answer = await edge.post({ siteId: 'shop', events: batch });

    const records = await edge.recordsOf(answer.requestId);
    for (const session of new Set(batch.map((e) => e.sessionId))) {
      const ofSession = records.filter((r) => r.partitionKey === session);
      expect(new Set(ofSession.map((r) => r.shardId)).size).toBe(1);
      expect(ofSession.map((r) => r.record.event.seq)).toEqual(
        batch.filter((e) => e.sessionId === session).map((e) => e.seq),
      );
    }
  });

  it('sends the security and CORS headers, echoing an allowed Origin', async () => {
    const answer = await edge.post({ siteId: 'shop', events: events(1) }, { origin: SHOP_ORIGIN });

    for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
      expect(answer.headers.get(name)).toBe(value);
    }
    expect(answer.headers.get('access-control-allow-origin')).toBe(SHOP_ORIGIN);
    expect(answer.headers.get('vary')).toBe('Origin');
    expect(answer.headers.get('access-control-expose-headers')).toContain('Retry-After');
    expect(answer.headers.get('content-type')).toBe('application/json');
  });

  it('answers a preflight itself (MOCK integration): 204, CORS headers, nothing on the stream', async () => {
    const response = await fetch(`${edge.edge.url}/events`, {
      method: 'OPTIONS',
      headers: { origin: 'https://anywhere.example', 'access-control-request-method': 'POST' },
    });

    expect(response.status).toBe(204);
    expect(response.headers.get('access-control-allow-origin')).toBe('https://anywhere.example');
    expect(response.headers.get('access-control-allow-methods')).toBe('POST,OPTIONS');
    expect(response.headers.get('access-control-allow-headers')).toBe('Content-Type');
    // Browsers ask once per two hours at most (Chromium caps the max-age there).
    expect(response.headers.get('access-control-max-age')).toBe('7200');
    expect(await edge.recordsOf(response.headers.get('x-amzn-requestid') ?? '')).toEqual([]);
  });

  it('answers an unknown route with the error shape', async () => {
    const response = await fetch(`${edge.edge.url}/nope`);

    expect(response.status).toBe(404);
    expect(parseWith(ErrorBodySchema, await response.json()).ok).toBe(true);
  });

  it('writes one JSON access-log line per request with the deployed fields and no IP', async () => {
    const answer = await edge.post({ siteId: 'shop', events: events(2) });

    const line = edge.accessLog
      .map((l) => JSON.parse(l) as Record<string, string>)
      .find((l) => l['requestId'] === answer.requestId);
    expect(Object.keys(line ?? {})).toEqual(Object.keys(ACCESS_LOG_FIELDS));
    expect(line).toMatchObject({
      status: '200',
      httpMethod: 'POST',
      resourcePath: '/events',
      integrationStatus: '200',
    });
    expect(JSON.stringify(line)).not.toContain('127.0.0.1');
  });
});
