/**
 * Runtime validation with Ajv, compiled once per schema. Parsing returns a result rather than
 * throwing so callers (edge, consumer) can turn every issue into a precise answer or bad row.
 */
import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import type { Static, TSchema } from '@sinclair/typebox';

/** One problem found in the data: where, what was expected, what was received. */
export interface ValidationIssue {
  /** Dotted path of the offending field, e.g. `events[3].seq`; `(root)` for the whole value. */
  readonly field: string;
  /** What the contract expects there, in words. */
  readonly expected: string;
  /** A short description of what was received (type and, if small, the value). */
  readonly received: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly issues: readonly ValidationIssue[];
      /** Problems found beyond the first MAX_REPORTED_ISSUES (counted, not described). */
      readonly more: number;
    };

/**
 * Enough to fix a request in one go (a 400 names every bad field of an ordinary batch), few
 * enough that a hostile payload can't make a huge answer; the rest is counted.
 */
export const MAX_REPORTED_ISSUES = 20;

const ajv = new Ajv({
  // Report every problem (capped below) so a client can fix a request in one round trip.
  allErrors: true,
  discriminator: true,
  strict: true,
  strictTypes: false,
});

const compiled = new WeakMap<TSchema, ValidateFunction>();

function validatorFor(schema: TSchema): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/** Validates `data` against `schema`; on failure reports the first problem(s) precisely. */
export function parseWith<S extends TSchema>(schema: S, data: unknown): ParseResult<Static<S>> {
  const validate = validatorFor(schema);
  if (validate(data)) return { ok: true, value: data as Static<S> };
  const all = validate.errors ?? [];
  const errors = all.slice(0, MAX_REPORTED_ISSUES);
  return {
    ok: false,
    issues: errors.map((e) => describeError(e, data)),
    more: all.length - errors.length,
  };
}

/** A type guard over the same compiled validator, for hot paths that need no error detail. */
export function isValid<S extends TSchema>(schema: S, data: unknown): data is Static<S> {
  return validatorFor(schema)(data);
}

/**
 * Renders issues as one line, `; `-separated: `events[0].seq: expected integer, received string
 * "7"; events[1].ts: …`, ending with `; and N more problems` when some were only counted.
 */
export function formatIssues(issues: readonly ValidationIssue[], more = 0): string {
  const described = issues.map((i) => `${i.field}: expected ${i.expected}, received ${i.received}`);
  if (more > 0) described.push(`and ${more} more problem${more === 1 ? '' : 's'}`);
  return described.join('; ');
}

function describeError(error: ErrorObject, root: unknown): ValidationIssue {
  const path = pointerToPath(error.instancePath);
  const value = valueAt(root, error.instancePath);
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'required':
      return {
        field: joinPath(path, String(params['missingProperty'])),
        expected: 'a value (the field is required)',
        received: 'nothing',
      };
    case 'additionalProperties':
      return {
        field: joinPath(path, String(params['additionalProperty'])),
        expected: 'no such field (it is not part of the contract)',
        received: describeValue(
          valueAt(root, `${error.instancePath}/${String(params['additionalProperty'])}`),
        ),
      };
    case 'discriminator':
      return {
        field: joinPath(path, 'type'),
        expected: 'one of "pageview", "engagement", "custom"',
        received: describeValue(valueAt(root, `${error.instancePath}/type`)),
      };
    default:
      return { field: path, expected: expectedFrom(error), received: describeValue(value) };
  }
}

function expectedFrom(error: ErrorObject): string {
  const p = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case 'type':
      return String(p['type']);
    case 'const':
      return JSON.stringify(p['allowedValue']);
    case 'enum':
      return `one of ${JSON.stringify(p['allowedValues'])}`;
    case 'pattern':
      return `a string matching ${String(p['pattern'])}`;
    case 'minLength':
      return `a string of at least ${String(p['limit'])} characters`;
    case 'maxLength':
      return `a string of at most ${String(p['limit'])} characters`;
    case 'minimum':
      return `a number >= ${String(p['limit'])}`;
    case 'maximum':
      return `a number <= ${String(p['limit'])}`;
    case 'minItems':
      return `at least ${String(p['limit'])} items`;
    case 'maxItems':
      return `at most ${String(p['limit'])} items`;
    case 'maxProperties':
      return `at most ${String(p['limit'])} properties`;
    default:
      return error.message ?? error.keyword;
  }
}

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return `an array of ${value.length} items`;
  if (typeof value === 'object') return `an object with ${Object.keys(value).length} properties`;
  if (typeof value === 'string') {
    return value.length > 40
      ? `a string of ${value.length} characters`
      : `string ${JSON.stringify(value)}`;
  }
  return `${typeof value} ${String(value)}`;
}

function pointerToPath(pointer: string): string {
  if (pointer === '') return '(root)';
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce(
      (acc, segment) =>
        /^\d+$/.test(segment) ? `${acc}[${segment}]` : acc === '' ? segment : `${acc}.${segment}`,
      '',
    );
}

function joinPath(path: string, field: string): string {
  return path === '(root)' ? field : `${path}.${field}`;
}

function valueAt(root: unknown, pointer: string): unknown {
  if (pointer === '') return root;
  let current: unknown = root;
  for (const raw of pointer.split('/').slice(1)) {
    const key = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    // Own properties only: a missing `constructor` key must not read Object.prototype's.
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key)) {
      return undefined;
    }
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}
