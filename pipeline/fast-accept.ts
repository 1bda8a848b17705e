/**
 * A fast accept-only pre-check of edge records, compiled from the same EdgeRecordSchema.
 *
 * Ajv checks `minLength`/`maxLength` in code points, which means walking every string in JS
 * (`ucs2length`): about 0.7 µs per record on the hot path, a quarter of the floor. Here those
 * two keywords are replaced by `minUnits`/`maxUnits`, which compare `string.length` (UTF-16 code
 * units) and compile inline. Code units ≥ code points, so `maxUnits` is at least as strict as
 * `maxLength`; `minUnits` is as strict as `minLength` where the schema uses a minimum of 0 or 1,
 * or an ASCII-only pattern (both tested). So this check accepts only records the exact
 * validator accepts; everything it rejects goes to the exact validator, which decides — the
 * verdict is always the schema's own.
 *
 * Ajv's `unicode: false` option does the same, but Ajv 8 deprecates it and logs a warning each
 * time it is used (at every Lambda start), so the two keywords are defined here instead.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import Ajv, { _, type ValidateFunction } from 'ajv';
import { match } from 'ts-pattern';
import {
  CustomEventSchema,
  EVENT_TYPES,
  EdgeRecordSchema,
  EngagementEventSchema,
  PageviewEventSchema,
  isValid,
  type EdgeRecord,
  type EventType,
} from '../schemas';

const RENAMED: Readonly<Record<string, string>> = { minLength: 'minUnits', maxLength: 'maxUnits' };

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A JSON copy of `schema` with string length limits counted in UTF-16 code units. */
export function withCodeUnitLengths(schema: unknown): Json {
  if (Array.isArray(schema)) return schema.map(withCodeUnitLengths);
  if (schema === null || typeof schema !== 'object') return schema as Json;
  const node = schema as Record<string, unknown>;
  const copy: { [key: string]: Json } = {};
  // Object.entries skips TypeBox's symbol-keyed metadata, which Ajv does not need.
  for (const [key, value] of Object.entries(node)) {
    const renamed =
      node['type'] === 'string' && typeof value === 'number' ? RENAMED[key] : undefined;
    copy[renamed ?? key] = withCodeUnitLengths(value);
  }
  return copy;
}

const ajv = new Ajv({ allErrors: false, discriminator: true, strict: true, strictTypes: false });
ajv.addKeyword({
  keyword: 'maxUnits',
  type: 'string',
  schemaType: 'number',
  code: (cxt) => cxt.fail(_`${cxt.data}.length > ${cxt.schema}`),
});
ajv.addKeyword({
  keyword: 'minUnits',
  type: 'string',
  schemaType: 'number',
  code: (cxt) => cxt.fail(_`${cxt.data}.length < ${cxt.schema}`),
});

const compileFast = (schema: TSchema): ValidateFunction =>
  ajv.compile(withCodeUnitLengths(schema) as object);

/**
 * Split in two, which V8 runs faster than Ajv's one large function for the whole record: the
 * envelope with any object as `event`, then the event by its `type` — what the discriminated
 * `oneOf` of EventSchema does, since the variants differ by their `type` literal.
 */
const envelope = compileFast(
  Type.Object(
    { ...EdgeRecordSchema.properties, event: Type.Object({}) },
    { additionalProperties: false },
  ),
);

function eventValidator(type: EventType): ValidateFunction {
  return match(type)
    .with('pageview', () => compileFast(PageviewEventSchema))
    .with('engagement', () => compileFast(EngagementEventSchema))
    .with('custom', () => compileFast(CustomEventSchema))
    .exhaustive();
}

const EVENT_VALIDATORS: ReadonlyMap<unknown, ValidateFunction> = new Map(
  EVENT_TYPES.map((type) => [type, eventValidator(type)]),
);

function fastAccept(value: unknown): boolean {
  if (!envelope(value)) return false;
  const event = (value as { event: { type?: unknown } }).event;
  const validate = EVENT_VALIDATORS.get(event.type);
  return validate !== undefined && validate(event);
}

/** Exactly EdgeRecordSchema's verdict; fast for the records that pass. */
export function isEdgeRecord(value: unknown): value is EdgeRecord {
  return fastAccept(value) || isValid(EdgeRecordSchema, value);
}
