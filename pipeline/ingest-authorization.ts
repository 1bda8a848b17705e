/**
 * The ingest key check of `POST /events?key=`: what the REQUEST authorizer decides (on AWS the
 * Lambda in handlers/ingest-authorizer/, locally the edge), as pure code over a registry port.
 *
 * The site is read from the key value itself (`li_<siteId>_<secret>`) and only that site's
 * registry partition is read, so a key can never resolve to another site: the answer's siteId is
 * the partition the key item was found in. A key is usable iff its item exists with status
 * `active` and its site item exists with status `active` (CONTRACT.md, registry table).
 *
 * The answer is cached by API Gateway under the key (identity source) for the authorizer's TTL,
 * so what is decided here must depend on the key alone — never on the body, the Origin or the
 * method. The Origin and the body's siteId are checked by the request template against this
 * answer's context.
 */
import type { IngestKeyItem, SiteItem, TierName } from '../schemas/registry';
import { DEFAULT_TIER, SITE_ITEM_SK, ingestKeyItemSk } from '../schemas/registry';
import { hashIngestKey, isWellFormedIngestKey, keyIdOfHash, siteOfIngestKey } from './ingest-key';

/** What the authorizer reads: a site item and one of its key items, from one partition. */
export interface RegistryReader {
  /**
   * The site item and the key item with this SHA-256, both from partition `siteId`; either is
   * undefined when it does not exist. Throws when the registry cannot be read.
   */
  readSiteKey(
    siteId: string,
    keySha256: string,
  ): Promise<{ readonly site: SiteItem | undefined; readonly key: IngestKeyItem | undefined }>;
}

export type IngestDenial =
  'malformed-key' | 'unknown-key' | 'revoked-key' | 'unknown-site' | 'disabled-site';

export type IngestAuthorization =
  | {
      readonly kind: 'allow';
      readonly siteId: string;
      readonly keyId: string;
      readonly tier: TierName;
      /** Exact origins, or [`*`] for any; [] = no browser origin is allowed. */
      readonly origins: readonly string[];
    }
  | { readonly kind: 'deny'; readonly reason: IngestDenial; readonly keyId?: string };

export async function authorizeIngestKey(
  key: string,
  registry: RegistryReader,
): Promise<IngestAuthorization> {
  const siteId = siteOfIngestKey(key);
  if (siteId === undefined || !isWellFormedIngestKey(key)) {
    return { kind: 'deny', reason: 'malformed-key' };
  }
  const sha256 = hashIngestKey(key);
  const keyId = keyIdOfHash(sha256);
  const { site, key: item } = await registry.readSiteKey(siteId, sha256);
  if (item === undefined || item.siteId !== siteId) {
    return { kind: 'deny', reason: 'unknown-key', keyId };
  }
  if (item.status !== 'active') return { kind: 'deny', reason: 'revoked-key', keyId };
  if (site === undefined || site.siteId !== siteId) {
    return { kind: 'deny', reason: 'unknown-site', keyId };
  }
  if (site.status !== 'active') return { kind: 'deny', reason: 'disabled-site', keyId };
  // The key's own tier names its usage plan (keys move between plans one at a time on AWS).
  return { kind: 'allow', siteId, keyId, tier: item.tier, origins: [...site.origins] };
}

/**
 * `$context.authorizer` of an allowed request. API Gateway passes only strings, numbers and
 * booleans from an authorizer's context (no arrays), so the origins travel comma-joined; an
 * origin never contains a comma (schemas/registry.ts ORIGIN_PATTERN).
 */
export interface IngestAuthorizerContext {
  readonly siteId: string;
  readonly keyId: string;
  readonly tier: TierName;
  readonly origins: string;
}

export function authorizerContext(
  allowed: Extract<IngestAuthorization, { kind: 'allow' }>,
): IngestAuthorizerContext {
  return {
    siteId: allowed.siteId,
    keyId: allowed.keyId,
    tier: allowed.tier,
    origins: allowed.origins.join(','),
  };
}

/** A registry in memory, for tests and benches: items as the DynamoDB table holds them. */
export interface MemoryRegistry extends RegistryReader {
  /** Stores (or replaces) a site item and its key items. */
  putSite(spec: MemorySiteSpec): void;
  /** Stores (or replaces) one item: revoke a key or disable a site by putting it changed. */
  putItem(item: SiteItem | IngestKeyItem): void;
  /** How many reads were made (tests: the authorizer cache spares the registry). */
  reads(): number;
}

export function memoryRegistryReader(): MemoryRegistry {
  const items = new Map<string, SiteItem | IngestKeyItem>();
  const put = (item: SiteItem | IngestKeyItem) => items.set(`${item.pk}\n${item.sk}`, item);
  let reads = 0;
  return {
    readSiteKey(siteId, keySha256) {
      reads += 1;
      return Promise.resolve({
        site: items.get(`${siteId}\n${SITE_ITEM_SK}`) as SiteItem | undefined,
        key: items.get(`${siteId}\n${ingestKeyItemSk(keySha256)}`) as IngestKeyItem | undefined,
      });
    },
    putSite(spec) {
      const { site, keys } = registryItemsOf(spec);
      put(site);
      for (const key of keys) put(key);
    },
    putItem: put,
    reads: () => reads,
  };
}

export interface MemorySiteSpec {
  readonly siteId: string;
  readonly origins?: readonly string[];
  readonly tier?: TierName;
  readonly status?: SiteItem['status'];
  /** Raw key values of the site (stored hashed, as the table stores them). */
  readonly keys?: readonly string[];
  /** Raw key values stored as revoked. */
  readonly revokedKeys?: readonly string[];
  /** ISO time for createdAt/updatedAt (default: the epoch, items are for tests and benches). */
  readonly at?: string;
}

/** The site item and key items of a site, shaped as the registry table holds them. */
export function registryItemsOf(spec: MemorySiteSpec): {
  readonly site: SiteItem;
  readonly keys: readonly IngestKeyItem[];
} {
  const at = spec.at ?? new Date(0).toISOString();
  const tier = spec.tier ?? DEFAULT_TIER;
  const keyItem = (key: string, status: IngestKeyItem['status']): IngestKeyItem => {
    const sha256 = hashIngestKey(key);
    return {
      pk: spec.siteId,
      sk: ingestKeyItemSk(sha256),
      siteId: spec.siteId,
      keyId: keyIdOfHash(sha256),
      tier,
      status,
      createdAt: at,
      ...(status === 'revoked' ? { revokedAt: at } : {}),
    };
  };
  return {
    site: {
      pk: spec.siteId,
      sk: SITE_ITEM_SK,
      siteId: spec.siteId,
      name: spec.siteId,
      origins: [...(spec.origins ?? [])] as SiteItem['origins'],
      tier,
      status: spec.status ?? 'active',
      createdAt: at,
      updatedAt: at,
    },
    keys: [
      ...(spec.keys ?? []).map((key) => keyItem(key, 'active')),
      ...(spec.revokedKeys ?? []).map((key) => keyItem(key, 'revoked')),
    ],
  };
}
