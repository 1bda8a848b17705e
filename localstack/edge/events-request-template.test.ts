import fc from 'fast-check';
import { Type } from '@sinclair/typebox';
import { EdgeRecordSchema } from '../../schemas/edge-record';
import { parseWith } from '../../schemas/validator';
import {
  AUTHORIZER,
  STAGE,
  contextFields,
  event,
  ingestBody,
  params,
  render,
} from './test-support/template-fixtures';

const PutRecordsSchema = Type.Object({
  StreamName: Type.String(),
  Records: Type.Array(Type.Object({ PartitionKey: Type.String(), Data: Type.String() })),
});

function renderRequest(
  body: unknown,
  options: Parameters<typeof render>[2] & { header?: Record<string, string> } = {},
) {
  const text = typeof body === 'string' ? body : JSON.stringify(body);
  const rendered = render(
    'events-request',
    { body: text, params: params(options.header) },
    options,
  );
  const parsed = parseWith(PutRecordsSchema, JSON.parse(rendered.body));
  if (!parsed.ok) throw new Error(`rendered PutRecords does not parse: ${rendered.body}`);
  return parsed.value;
}

function records(putRecords: { Records: { Data: string }[] }) {
  return putRecords.Records.map((r) => {
    const parsed = parseWith(
      EdgeRecordSchema,
      JSON.parse(Buffer.from(r.Data, 'base64').toString('utf8')),
    );
    if (!parsed.ok)
      throw new Error(`record breaks EdgeRecordSchema: ${JSON.stringify(parsed.issues)}`);
    return parsed.value;
  });
}

describe('events-request.vtl (rendered as API Gateway would)', () => {
  it('renders one record per event, keyed by sessionId, with the server fields', () => {
    const events = [
      event({}, 0),
      event({ type: 'custom', name: 'signup', props: { plan: 'pro' } } as never, 1),
      event({}, 2),
    ];

    const out = renderRequest(ingestBody(events), {
      header: { 'CloudFront-Viewer-Country': 'DE', Origin: 'https://shop.example.com' },
    });

    expect(out.StreamName).toBe(STAGE.eventsStream);
    expect(out.Records.map((r) => r.PartitionKey)).toEqual(events.map((e) => e.sessionId));
    const fields = contextFields();
    expect(records(out)).toEqual(
      events.map((e) => ({
        v: 1,
        siteId: 'demo-shop',
        receivedAt: fields.requestTimeEpoch,
        requestId: fields.requestId,
        sourceIp: fields.identity.sourceIp,
        userAgent: fields.identity.userAgent,
        country: 'DE',
        event: e,
      })),
    );
  });

  it('carries any user agent through the record exactly (quotes, apostrophes, non-ASCII)', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 300, unit: 'grapheme' }), (userAgent) => {
        const out = renderRequest(ingestBody([event()]), { identity: { userAgent } });

        expect(records(out)[0]?.userAgent).toBe(userAgent);
      }),
      { numRuns: 200 },
    );
  });

  it.each([[''], [' '], ['   '], ['\t']])(
    "carries the blank user agent %j as itself, not as escapeJavaScript's {} for blanks",
    (userAgent) => {
      const out = renderRequest(ingestBody([event()]), { identity: { userAgent } });

      expect(records(out)[0]?.userAgent).toBe(userAgent);
    },
  );

  it('cuts a user agent longer than the record allows to 1024 characters', () => {
    const out = renderRequest(ingestBody([event()]), { identity: { userAgent: 'u'.repeat(5000) } });

    expect(records(out)[0]?.userAgent).toBe('u'.repeat(1024));
  });

  it.each([
    ['', ''],
    ['de', ''],
    ['DEU', ''],
    ['"X', ''],
    ['FR', 'FR'],
  ])('country header %j becomes %j', (header, country) => {
    const out = renderRequest(ingestBody([event()]), {
      header: { 'CloudFront-Viewer-Country': header },
    });

    expect(records(out)[0]?.country).toBe(country);
  });

  it.each([
    ['2001:db8::1', '2001:db8::1'],
    ['198.51.100.1', '198.51.100.1'],
    ['not an ip"', ''],
    ['', ''],
  ])('source IP %j becomes %j', (sourceIp, expected) => {
    const out = renderRequest(ingestBody([event()]), { identity: { sourceIp } });

    expect(records(out)[0]?.sourceIp).toBe(expected);
  });

  it.each([
    ['a key of another site', { ...AUTHORIZER, siteId: 'other-shop' }],
    ['no authorizer context', {}],
    ['an empty site', { ...AUTHORIZER, siteId: '' }],
  ])('turns %s into a PutRecords Kinesis must refuse', (_name, authorizer) => {
    const out = renderRequest(ingestBody([event()]), { authorizer });

    expect(out).toEqual({ StreamName: 'liveinsight:reject:site-mismatch', Records: [] });
  });

  it.each([
    ['an allowed origin', 'https://shop.example.com', AUTHORIZER.origins, STAGE.eventsStream],
    ['no Origin (not a browser)', undefined, AUTHORIZER.origins, STAGE.eventsStream],
    [
      'an origin off the list',
      'https://evil.example',
      AUTHORIZER.origins,
      'liveinsight:reject:origin-not-allowed',
    ],
    [
      'a prefix of an allowed origin',
      'https://shop.example.co',
      AUTHORIZER.origins,
      'liveinsight:reject:origin-not-allowed',
    ],
    ['any origin when the list says *', 'https://evil.example', '*', STAGE.eventsStream],
    [
      'no origin when the site lists none',
      'https://shop.example.com',
      '',
      'liveinsight:reject:origin-not-allowed',
    ],
  ])('checks the Origin against the site allow-list: %s', (_name, origin, origins, stream) => {
    const out = renderRequest(ingestBody([event()]), {
      header: origin === undefined ? {} : { Origin: origin },
      authorizer: { ...AUTHORIZER, origins },
    });

    expect(out.StreamName).toBe(stream);
  });

  describe('the 1 MB limit counts UTF-8 bytes, not characters', () => {
    const base = JSON.stringify(ingestBody([event({ title: '' })]));
    /** The body with its title padded so that it is exactly `bytes` bytes of UTF-8. */
    const bodyOfBytes = (bytes: number, unit: string) => {
      const deficit = bytes - Buffer.byteLength(base);
      const unitBytes = Buffer.byteLength(unit);
      const title = unit.repeat(Math.floor(deficit / unitBytes)) + 't'.repeat(deficit % unitBytes);
      const text = base.replace('"title":""', `"title":"${title}"`);
      expect(Buffer.byteLength(text)).toBe(bytes);
      return text;
    };
    const verdictOf = (text: string) => renderRequest(text).StreamName;
    const refused = 'liveinsight:reject:payload-too-large';

    it.each([
      ['ASCII', 't'],
      ['2-byte characters', 'é'],
      ['3-byte characters', '€'],
      ['4-byte characters (UTF-16 surrogate pairs)', '😀'],
    ])('takes exactly 1,048,576 bytes and refuses one more: %s', (_name, unit) => {
      expect(verdictOf(bodyOfBytes(1_048_576, unit))).toBe(STAGE.eventsStream);
      expect(verdictOf(bodyOfBytes(1_048_577, unit))).toBe(refused);
    });

    it('refuses 1.28 MB of multi-byte text, far fewer than 1,048,576 characters', () => {
      const text = bodyOfBytes(1_280_000, '€');

      expect(text.length).toBeLessThan(450_000);
      expect(renderRequest(text)).toEqual({ StreamName: refused, Records: [] });
    });

    it('decides as a byte count would, for any mix of 1- to 4-byte characters', () => {
      const units = fc.constantFrom('t', 'é', '€', '😀');
      fc.assert(
        fc.property(
          fc.array(fc.tuple(units, fc.integer({ min: 1, max: 100 })), {
            minLength: 1,
            maxLength: 6,
          }),
          fc.integer({ min: -8, max: 8 }),
          (runs, offset) => {
            const room = 1_048_576 + offset - Buffer.byteLength(base);
            // Each run gets its weight's share of the bytes; ASCII pads to the exact size.
            const total = runs.reduce((sum, [, weight]) => sum + weight, 0);
            let title = runs
              .map(([unit, weight]) =>
                unit.repeat(Math.floor((room * weight) / total / Buffer.byteLength(unit))),
              )
              .join('');
            title += 't'.repeat(room - Buffer.byteLength(title));
            const text = base.replace('"title":""', `"title":"${title}"`);

            expect(verdictOf(text)).toBe(offset > 0 ? refused : STAGE.eventsStream);
          },
        ),
        { numRuns: 25 },
      );
    });
  });
});
