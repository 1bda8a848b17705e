/**
 * What the local edge refuses, by request, against the same table of cases the CDK template is
 * asserted on (infra/api/__fixtures__/ingest-cases.ts), plus every field error of the contract
 * corpus. Nothing refused reaches the stream.
 */
import { INGEST_CASES, type IngestCase } from '../../infra/api/__fixtures__/ingest-cases';
import { INGEST_CORPUS } from '../../schemas/__fixtures__/ingest-corpus';
import { ErrorBodySchema } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { caseBody, caseHeaders, caseLimits, casePath } from './test-support/case-requests';
import { type Harness, startHarness } from './test-support/edge-harness';
import { rawRequest } from './test-support/raw-request';

let stack: TestStack;
beforeAll(async () => {
  stack = await useTestStack({ name: 'edge-refuses' });
});
afterAll(() => stack?.dispose());

function send(edge: Harness, c: IngestCase) {
  return rawRequest(`${edge.edge.url}${casePath(c, edge.keys)}`, {
    method: 'POST',
    headers: caseHeaders(c, edge.keys),
    body: caseBody(c.body),
  });
}

describe('local edge refuses what API Gateway refuses (shared case table)', () => {
  it.each(INGEST_CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    // Arrange
    const edge = await startHarness(
      stack,
      c.limits === undefined ? {} : { limits: caseLimits(c.limits) },
    );
    try {
      for (let i = 0; i < (c.warmUp ?? 0); i++) {
        expect((await send(edge, { ...c, limits: undefined })).status).toBe(200);
      }

      // Act
      const answer = await send(edge, c);

      // Assert
      const body = parseWith(ErrorBodySchema, JSON.parse(answer.text));
      expect({
        status: answer.status,
        code: body.ok ? body.value.error.code : answer.text,
      }).toEqual({
        status: c.expect.status,
        code: c.expect.code,
      });
      expect(answer.headers['retry-after']).toBe(c.expect.retryAfter);
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(await edge.recordsOf(String(answer.headers['x-amzn-requestid']))).toEqual([]);
    } finally {
      await edge.stop();
    }
  });
});

describe('local edge names the field of every contract violation', () => {
  let edge: Harness;
  beforeAll(async () => {
    edge = await startHarness(stack);
  });
  afterAll(() => edge?.stop());

  it.each(INGEST_CORPUS.filter((c) => c.badField !== undefined).map((c) => [c.name, c] as const))(
    '%s → 400 naming the field',
    async (_name, corpusCase) => {
      const answer = await edge.post(corpusCase.body);

      expect(answer.status).toBe(400);
      const error = parseWith(ErrorBodySchema, answer.json);
      expect(error.ok && error.value.error.code).toBe('invalid_request');
      expect(error.ok && String(error.value.error.details)).toContain(
        `${corpusCase.badField}: expected `,
      );
    },
  );

  it('echoes the Origin on a refusal so the page can read it', async () => {
    const answer = await edge.post(
      { siteId: 'shop', events: [] },
      { origin: 'https://shop.example.com' },
    );

    expect(answer.status).toBe(400);
    expect(answer.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
  });
});
