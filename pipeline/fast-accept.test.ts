import fc from 'fast-check';
import { EdgeRecordSchema, isValid, type EdgeRecord } from '../schemas';
import { isEdgeRecord, withCodeUnitLengths } from './fast-accept';
import {
  customEvent,
  edgeRecord,
  engagementEvent,
  pageviewEvent,
} from './__fixtures__/edge-records';

/** Every string schema in `schema` with its path, for structural checks of the contract. */
function stringSchemas(
  schema: unknown,
  path = '$',
): { path: string; node: Record<string, unknown> }[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => stringSchemas(s, `${path}[${i}]`));
  if (schema === null || typeof schema !== 'object') return [];
  const node = schema as Record<string, unknown>;
  const own = node['type'] === 'string' ? [{ path, node }] : [];
  return own.concat(
    Object.entries(node).flatMap(([key, value]) => stringSchemas(value, `${path}.${key}`)),
  );
}

describe('fast accept pre-check of edge records', () => {
  it('counts code units only where that cannot accept more than the schema does', () => {
    // Prepare: code units ≥ code points, so a code-unit minimum above 1 could accept a string
    // of too few code points — unless a pattern keeps the string ASCII (one unit per point).
    const asciiOnly =
      /^\^\[[A-Za-z0-9_.:\\-]+\](?:\+|\{\d+(?:,\d+)?\})\$$|^\^\[a-z0-9\]\[a-z0-9-\]\{1,62\}\$$/;

    // Act
    const risky = stringSchemas(EdgeRecordSchema).filter(
      ({ node }) =>
        typeof node['minLength'] === 'number' &&
        node['minLength'] > 1 &&
        !(typeof node['pattern'] === 'string' && asciiOnly.test(node['pattern'])),
    );

    // Assess
    expect(risky.map((r) => r.path)).toEqual([]);
  });

  it('renames only the length limits of string schemas', () => {
    const copy = JSON.stringify(withCodeUnitLengths(EdgeRecordSchema));

    expect(copy).not.toMatch(/"(minLength|maxLength)"/);
    expect(copy).toContain('"maxUnits":1024');
    expect(copy).toContain('"maxProperties":30');
  });

  it('refuses a string too long in code points on both paths', () => {
    const title = '😀'.repeat(513); // 513 code points (> 512)
    const record = edgeRecord({ event: pageviewEvent({ title }) });

    expect(isValid(EdgeRecordSchema, record)).toBe(false);
    expect(isEdgeRecord(record)).toBe(false);
  });

  it('falls back to the schema for strings of astral characters (code units > code points)', () => {
    const title = '😀'.repeat(400); // 400 code points (≤ 512), 800 code units
    const record = edgeRecord({ event: pageviewEvent({ title }) });

    expect(isValid(EdgeRecordSchema, record)).toBe(true);
    expect(isEdgeRecord(record)).toBe(true);
  });

  it('gives exactly the schema verdict on records with arbitrary text (property)', () => {
    const text = (max: number) =>
      fc.string({ unit: fc.constantFrom('a', 'é', '😀', '-', '_', ' ', '\u0000'), maxLength: max });
    const arbRecord = fc
      .record({
        kind: fc.constantFrom('pageview', 'engagement', 'custom'),
        title: text(600),
        referrer: text(40),
        lang: text(40),
        userAgent: text(40),
        country: text(3),
        requestId: text(3),
        sessionId: text(70),
        eventId: text(70),
        name: text(130),
        prop: text(510),
        propKey: text(5),
      })
      .map((f): EdgeRecord => {
        const common = {
          title: f.title,
          referrer: f.referrer,
          lang: f.lang,
          sessionId: f.sessionId,
        };
        const event =
          f.kind === 'pageview'
            ? pageviewEvent(common)
            : f.kind === 'engagement'
              ? engagementEvent(common)
              : customEvent({ ...common, name: f.name, props: { [f.propKey]: f.prop } });
        return edgeRecord({
          userAgent: f.userAgent,
          country: f.country,
          requestId: f.requestId,
          event: { ...event, eventId: f.eventId === '' ? event.eventId : f.eventId },
        });
      });

    fc.assert(
      fc.property(arbRecord, (record) => {
        expect(isEdgeRecord(record)).toBe(isValid(EdgeRecordSchema, record));
      }),
      { numRuns: 500 },
    );
  });
});
