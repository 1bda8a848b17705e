import { params, render } from './test-support/template-fixtures';

const ORIGIN = { Origin: 'https://shop.example.com' };

function answer(
  template: 'events-response-ok' | 'events-response-error',
  backend: unknown,
  header: Record<string, string> = ORIGIN,
) {
  const { body, context } = render(template, {
    body: JSON.stringify(backend),
    params: params(header),
  });
  return { body: JSON.parse(body) as unknown, ...context.responseOverride() };
}

const ok = (i: number) => ({ SequenceNumber: `4960${i}`, ShardId: 'shardId-000000000000' });
const failed = (code: string) => ({ ErrorCode: code, ErrorMessage: 'Rate exceeded for shard …' });

describe('events-response-ok.vtl (Kinesis 2xx)', () => {
  it('answers 200 with the count when every record was accepted', () => {
    const out = answer('events-response-ok', {
      FailedRecordCount: 0,
      Records: [ok(0), ok(1), ok(2)],
    });

    expect(out).toEqual({
      body: { accepted: 3 },
      status: undefined,
      headers: { 'Access-Control-Allow-Origin': 'https://shop.example.com' },
    });
  });

  it('answers 207 naming each refused record by its index in the request', () => {
    const out = answer('events-response-ok', {
      FailedRecordCount: 2,
      Records: [
        ok(0),
        failed('ProvisionedThroughputExceededException'),
        ok(2),
        failed('InternalFailure'),
      ],
    });

    expect(out.status).toBe(207);
    expect(out.body).toEqual({
      accepted: 2,
      failed: [
        { index: 1, errorCode: 'ProvisionedThroughputExceededException' },
        { index: 3, errorCode: 'InternalFailure' },
      ],
    });
  });

  it('reads "ErrorCode": null on an accepted record as no error (kinesis-mock writes the nulls)', () => {
    const withNulls = (i: number) => ({ ...ok(i), ErrorCode: null, ErrorMessage: null });
    const out = answer('events-response-ok', {
      FailedRecordCount: 1,
      Records: [withNulls(0), failed('InternalFailure'), withNulls(2)],
    });

    expect(out.status).toBe(207);
    expect(out.body).toEqual({ accepted: 2, failed: [{ index: 1, errorCode: 'InternalFailure' }] });
  });

  it('does not echo a code that is not an identifier', () => {
    const out = answer('events-response-ok', { FailedRecordCount: 1, Records: [failed('x"}')] });

    expect(out.body).toEqual({ accepted: 0, failed: [{ index: 0, errorCode: 'Unknown' }] });
  });

  it('sets no Access-Control-Allow-Origin without an Origin', () => {
    const out = answer('events-response-ok', { FailedRecordCount: 0, Records: [ok(0)] }, {});

    expect(out.headers).toEqual({});
  });
});

describe('events-response-error.vtl (Kinesis 4xx/5xx)', () => {
  const refusal = (verdict: string) => ({
    __type: 'ValidationException',
    message: `2 validation errors detected: Value '[]' at 'records' failed to satisfy constraint: Member must have length greater than or equal to 1; Value 'liveinsight:reject:${verdict}' at 'streamName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+`,
  });

  it.each([
    ['payload-too-large', 413, 'payload_too_large', true],
    ['site-mismatch', 403, 'site_mismatch', true],
    ['origin-not-allowed', 403, 'origin_not_allowed', false],
  ])('reads the verdict %s back from Kinesis: %d %s', (verdict, status, code, readable) => {
    const out = answer('events-response-error', refusal(verdict));

    expect(out.status).toBe(status);
    expect(out.body).toMatchObject({ error: { code } });
    expect('Access-Control-Allow-Origin' in out.headers).toBe(readable);
  });

  it.each([
    ['ResourceNotFoundException', 'Stream x under account 1 not found.'],
    ['ProvisionedThroughputExceededException', 'Rate exceeded'],
    ['InternalFailure', 'Internal service failure.'],
    [
      'AccessDeniedException',
      'User is not authorized to perform: kinesis:PutRecords on resource: arn:aws:kinesis:us-east-1:1:stream/s',
    ],
  ])('answers 503, retryable, for a stream failure: %s', (type, message) => {
    const out = answer('events-response-error', { __type: type, message });

    expect(out).toEqual({
      status: 503,
      headers: { 'Retry-After': '1', 'Access-Control-Allow-Origin': 'https://shop.example.com' },
      body: {
        error: {
          code: 'stream_unavailable',
          message: expect.stringContaining('retry') as unknown,
          details: { retryable: true, cause: type },
        },
      },
    });
  });
});

describe('preflight templates (MOCK integration)', () => {
  it('asks for a 204 and echoes the Origin', () => {
    const request = render('preflight-request', { body: '' });
    const response = render('preflight-response', { body: '{}', params: params(ORIGIN) });

    expect(JSON.parse(request.body)).toEqual({ statusCode: 204 });
    expect(response.body.trim()).toBe('');
    expect(response.context.responseOverride().headers).toEqual({
      'Access-Control-Allow-Origin': 'https://shop.example.com',
    });
  });
});
