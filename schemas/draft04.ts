/**
 * Exports our schemas as JSON Schema draft-04, the dialect of API Gateway request models.
 * Draft-04 lacks `const` (→ single-value `enum`) and Ajv's `discriminator`; TypeBox's
 * `patternProperties` / `oneOf` / `type` arrays are draft-04 already.
 */
import type { TSchema } from '@sinclair/typebox';
import { IngestRequestSchema } from './ingest';

const DRAFT_04 = 'http://json-schema.org/draft-04/schema#';

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Keywords with no draft-04 meaning that API Gateway would reject or ignore. */
const DROPPED_KEYWORDS = new Set(['discriminator', '$id']);

function convert(node: unknown): Json {
  if (Array.isArray(node)) return node.map(convert);
  if (node === null || typeof node !== 'object') return node as Json;
  const out: { [key: string]: Json } = {};
  // Object.entries skips TypeBox's symbol-keyed metadata ([Kind], [OptionalKind]).
  for (const [key, value] of Object.entries(node)) {
    if (DROPPED_KEYWORDS.has(key)) continue;
    if (key === 'const') {
      out['enum'] = [value as Json];
      continue;
    }
    out[key] = convert(value);
  }
  return out;
}

/** A draft-04 copy of `schema`, with `$schema` and a `title` for the API Gateway model. */
export function toDraft04(schema: TSchema, title: string): { [key: string]: Json } {
  const converted = convert(schema);
  if (converted === null || typeof converted !== 'object' || Array.isArray(converted)) {
    throw new TypeError(
      `Expected an object schema to export as draft-04, received ${typeof converted}`,
    );
  }
  return { $schema: DRAFT_04, title, ...converted };
}

/** The request model of `POST /events`, as deployed to API Gateway and used by the local edge. */
export function ingestRequestModel(): { [key: string]: Json } {
  return toDraft04(IngestRequestSchema, 'IngestRequest');
}
