import Ajv4 from 'ajv-draft-04';
import { IngestRequestSchema } from './ingest';
import { ingestRequestModel } from './draft04';
import { MAX_REPORTED_ISSUES, formatIssues, parseWith } from './validator';
import { INGEST_CORPUS } from './__fixtures__/ingest-corpus';

describe('ingest contract', () => {
  // API Gateway validates with the draft-04 export; the edge and consumer with the runtime schema.
  const draft04 = new Ajv4({ allErrors: true }).compile(ingestRequestModel());

  it.each(INGEST_CORPUS)('gives the same verdict in both dialects: $name', ({ body, badField }) => {
    // Act
    const runtime = parseWith(IngestRequestSchema, body);
    const apiGateway = draft04(body);

    // Assess
    expect(runtime.ok).toBe(badField === undefined);
    expect(apiGateway).toBe(runtime.ok);
  });

  it.each(INGEST_CORPUS.filter((c) => c.badField !== undefined))(
    'names the offending field: $name',
    ({ body, badField }) => {
      const result = parseWith(IngestRequestSchema, body);

      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.issues.map((i) => i.field)).toContain(badField);
      expect(formatIssues(result.issues)).toMatch(/expected .+, received .+/);
    },
  );

  it('exports a draft-04 model without keywords draft-04 lacks', () => {
    const text = JSON.stringify(ingestRequestModel());

    expect(text).toContain('"$schema":"http://json-schema.org/draft-04/schema#"');
    expect(text).not.toContain('"const"');
    expect(text).not.toContain('"discriminator"');
  });

  it('caps the issues reported for a hostile payload', () => {
    const props = Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`bad key ${i}`, i]));
    const body = {
      siteId: 'demo-shop',
      events: [
        {
          eventId: 'e'.repeat(16),
          sessionId: 's'.repeat(8),
          seq: 0,
          type: 'custom',
          name: 'x',
          ts: 0,
          url: 'https://a.b',
          props,
        },
      ],
    };

    const result = parseWith(IngestRequestSchema, body);

    expect(result.ok).toBe(false);
    // 10,000 bad keys: the first MAX_REPORTED_ISSUES described, the rest only counted.
    if (!result.ok) {
      expect(result.issues).toHaveLength(MAX_REPORTED_ISSUES);
      expect(result.more).toBeGreaterThan(0);
    }
  });
});
