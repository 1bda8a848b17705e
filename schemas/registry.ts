/**
 * Item shapes of the site and key registry (the `registry` table of infra/resources.ts, issue 13):
 * one partition per site holding the site item and its ingest-key items, so the ingest authorizer
 * reads a key and its site with one Query on pk = the site named in the key — a key can never
 * resolve to another site's partition. Ingest keys are stored only as their SHA-256 (the raw key
 * is shown once, when it is made). Read tokens keep their own table (readTokens).
 *
 * Writers: handlers/adapters/dynamo-registry-writer.ts (admin CLI, npm start's demo seed);
 * reader: handlers/adapters/dynamo-registry-reader.ts (the ingest authorizer, the local edge).
 */
import { Type, type Static } from '@sinclair/typebox';
import { SiteIdSchema } from './ingest';

// ---------------------------------------------------------------------------------------------
// Tiers: each is one API Gateway usage plan (limits in infra/api/ingest-api-spec.ts).

export const TIER_NAMES = ['starter', 'standard', 'scale'] as const;
export type TierName = (typeof TIER_NAMES)[number];
export const DEFAULT_TIER: TierName = 'standard';

export function isTierName(value: string): value is TierName {
  return (TIER_NAMES as readonly string[]).includes(value);
}

// ---------------------------------------------------------------------------------------------
// Statuses

export const SITE_STATUSES = ['active', 'disabled'] as const;

export const INGEST_KEY_STATUSES = ['active', 'revoked'] as const;

// ---------------------------------------------------------------------------------------------
// Allowed origins: exact `scheme://host[:port]` (what a browser sends in `Origin`), or the single
// entry `*` = any origin.

export const ANY_ORIGIN = '*';
/** Per site: every origin is checked on every request, so the list stays short. */
export const MAX_ORIGINS = 20;
/** An origin as browsers serialise it: lower-case scheme and host, no path, no trailing slash. */
export const ORIGIN_PATTERN = '^https?://[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?$';

export const OriginSchema = Type.String({
  pattern: ORIGIN_PATTERN,
  maxLength: 300,
  description: 'exact origin scheme://host[:port], lower case, no path',
});

export const OriginsSchema = Type.Union(
  [
    Type.Tuple([Type.Literal(ANY_ORIGIN)]),
    Type.Array(OriginSchema, { maxItems: MAX_ORIGINS, uniqueItems: true }),
  ],
  { description: `exact origins, or ["${ANY_ORIGIN}"] for any origin; [] = browsers refused` },
);

// ---------------------------------------------------------------------------------------------
// Keys of the items

/** Sort key of the site item. */
export const SITE_ITEM_SK = 'site';
/** Sort key prefix of an ingest-key item: `ingestKey#<sha256 hex of the full key value>`. */
export const INGEST_KEY_SK_PREFIX = 'ingestKey#';

export function ingestKeyItemSk(sha256Hex: string): string {
  return `${INGEST_KEY_SK_PREFIX}${sha256Hex}`;
}

const IsoTime = Type.String({
  pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,3})?Z$',
  description: 'ISO 8601 UTC, as Date.prototype.toISOString writes it',
});
export const KeyIdSchema = Type.String({
  pattern: '^k_[0-9a-f]{8}$',
  description: 'k_ + the first 8 hex digits of the SHA-256 of the key value',
});
const Sha256Hex = '[0-9a-f]{64}';

/** pk = siteId, sk = `site`. */
export const SiteItemSchema = Type.Object(
  {
    pk: SiteIdSchema,
    sk: Type.Literal(SITE_ITEM_SK),
    siteId: SiteIdSchema,
    name: Type.String({ minLength: 1, maxLength: 200 }),
    origins: OriginsSchema,
    tier: Type.Union(TIER_NAMES.map((tier) => Type.Literal(tier))),
    status: Type.Union(SITE_STATUSES.map((status) => Type.Literal(status))),
    createdAt: IsoTime,
    updatedAt: IsoTime,
  },
  { additionalProperties: false },
);

/** pk = siteId, sk = `ingestKey#<sha256 hex>`. */
export const IngestKeyItemSchema = Type.Object(
  {
    pk: SiteIdSchema,
    sk: Type.String({ pattern: `^${INGEST_KEY_SK_PREFIX}${Sha256Hex}$` }),
    siteId: SiteIdSchema,
    keyId: KeyIdSchema,
    tier: Type.Union(TIER_NAMES.map((tier) => Type.Literal(tier))),
    status: Type.Union(INGEST_KEY_STATUSES.map((status) => Type.Literal(status))),
    createdAt: IsoTime,
    revokedAt: Type.Optional(IsoTime),
    /** On AWS: the id of the API Gateway API key holding the same value (usage plans). */
    apiGatewayKeyId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  },
  { additionalProperties: false },
);

export type SiteItem = Static<typeof SiteItemSchema>;
export type IngestKeyItem = Static<typeof IngestKeyItemSchema>;
