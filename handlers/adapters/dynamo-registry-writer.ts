/**
 * The registry table's write side (issue 13; item shapes in schemas/registry.ts), and the reads an
 * operator needs around it (a site with its keys, every site). Used by the admin CLI and by
 * `npm start`'s demo seed; the ingest authorizer's read is handlers/adapters/dynamo-registry-reader.ts.
 *
 * Every change is one conditional write, so two operators (or a CLI and a seed) never undo each
 * other: a site is created only if absent, a key only if absent and only under an existing site,
 * origins change and sites are disabled only if the site exists. A raw ingest key is never
 * stored: its SHA-256 is the sort key.
 */
import {
  ConditionalCheckFailedException,
  type DynamoDBClient,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteItemsCommand,
  TransactionCanceledException,
  UpdateItemCommand,
  type AttributeValue,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import {
  hashIngestKey,
  isWellFormedIngestKey,
  keyIdOfHash,
  siteOfIngestKey,
} from '../../pipeline/ingest-key';
import { SiteIdSchema } from '../../schemas/ingest';
import {
  ANY_ORIGIN,
  DEFAULT_TIER,
  INGEST_KEY_SK_PREFIX,
  IngestKeyItemSchema,
  MAX_ORIGINS,
  OriginSchema,
  SITE_ITEM_SK,
  SiteItemSchema,
  TIER_NAMES,
  type IngestKeyItem,
  type SiteItem,
  type TierName,
  ingestKeyItemSk,
  isTierName,
} from '../../schemas/registry';
import { formatIssues, isValid, parseWith } from '../../schemas/validator';

export type RegistryErrorCode =
  | 'invalid'
  | 'unknown_site'
  | 'duplicate_site'
  | 'unknown_key'
  | 'duplicate_key'
  | 'malformed_item';

export class RegistryError extends Error {
  override readonly name = 'RegistryError';
  constructor(
    message: string,
    readonly code: RegistryErrorCode,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** A site and its ingest keys, as an operator lists them. */
export interface SiteWithKeys {
  readonly site: SiteItem;
  readonly keys: readonly IngestKeyItem[];
}

export interface NewSite {
  readonly siteId: string;
  readonly name?: string;
  readonly tier?: string;
  readonly origins?: readonly string[];
}

function iso(nowMs: number): string {
  return new Date(nowMs).toISOString();
}

export function checkSiteId(siteId: string): string {
  if (!isValid(SiteIdSchema, siteId)) {
    throw new RegistryError(
      `site id ${JSON.stringify(siteId)} is invalid (expected ${SiteIdSchema.description ?? 'a site id'})`,
      'invalid',
    );
  }
  return siteId;
}

export function checkTier(tier: string | undefined): TierName {
  if (tier === undefined) return DEFAULT_TIER;
  if (!isTierName(tier)) {
    throw new RegistryError(
      `tier ${JSON.stringify(tier)} is unknown (expected one of ${TIER_NAMES.join(', ')})`,
      'invalid',
    );
  }
  return tier;
}

/**
 * Checks an allow-list: each entry exactly as a browser sends it in `Origin` (scheme, lower-case
 * host, port only when not the scheme's default — the WHATWG URL serialisation of an origin), or
 * the single entry `*`. The message says what the entry should have been where that is clear.
 */
export function checkOrigins(origins: readonly string[]): readonly string[] {
  if (origins.includes(ANY_ORIGIN)) {
    if (origins.length !== 1) {
      throw new RegistryError(
        `origins ${JSON.stringify(origins)} mix "${ANY_ORIGIN}" with others (expected either "${ANY_ORIGIN}" alone = any origin, or exact origins)`,
        'invalid',
      );
    }
    return origins;
  }
  if (origins.length > MAX_ORIGINS) {
    throw new RegistryError(
      `${origins.length} origins given (expected at most ${MAX_ORIGINS})`,
      'invalid',
    );
  }
  const seen = new Set<string>();
  for (const origin of origins) {
    let serialised: string | undefined;
    try {
      const url = new URL(origin);
      serialised = url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined;
    } catch {
      serialised = undefined;
    }
    if (serialised !== origin || !isValid(OriginSchema, origin)) {
      const hint =
        serialised !== undefined && serialised !== origin && isValid(OriginSchema, serialised)
          ? ` — did you mean ${JSON.stringify(serialised)}?`
          : '';
      throw new RegistryError(
        `origin ${JSON.stringify(origin)} is invalid (expected an exact origin as browsers send it: ` +
          `http(s)://host[:port], lower case, no path or trailing slash, no default port; or "${ANY_ORIGIN}")${hint}`,
        'invalid',
      );
    }
    if (seen.has(origin)) {
      throw new RegistryError(`origin ${JSON.stringify(origin)} is listed twice`, 'invalid');
    }
    seen.add(origin);
  }
  return origins;
}

function parseItem<T>(
  schema: typeof SiteItemSchema | typeof IngestKeyItemSchema,
  raw: Record<string, AttributeValue>,
  tableName: string,
): T {
  const item = unmarshall(raw);
  const parsed = parseWith(schema, item);
  if (!parsed.ok) {
    throw new RegistryError(
      `${tableName} item ${JSON.stringify({ pk: item['pk'], sk: item['sk'] })} is malformed: ${formatIssues(parsed.issues)}`,
      'malformed_item',
    );
  }
  return parsed.value as T;
}

function wrap(cause: unknown, what: string, tableName: string): Error {
  if (cause instanceof RegistryError) return cause;
  return new Error(
    `${what} on ${tableName} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
    {
      cause,
    },
  );
}

export interface RegistryWriter {
  readonly tableName: string;
  /** Creates a site (active); refuses an existing one with `duplicate_site`. */
  addSite(spec: NewSite, nowMs: number): Promise<SiteItem>;
  /**
   * Stores an ingest key of an existing site (its hash, keyId, the site's tier unless given);
   * refuses an unknown site and a key stored before (also a revoked one) as `duplicate_key`.
   */
  addKey(
    key: string,
    nowMs: number,
    options?: { readonly tier?: TierName; readonly apiGatewayKeyId?: string },
  ): Promise<IngestKeyItem>;
  /** Replaces a site's allow-list. */
  setOrigins(siteId: string, origins: readonly string[], nowMs: number): Promise<SiteItem>;
  /**
   * Moves a site and every key of it to `tier` (site item first, then each key item): what the
   * authorizer hands on; on AWS the caller moves the API Gateway keys between usage plans first.
   */
  setTier(siteId: string, tier: string, nowMs: number): Promise<SiteWithKeys>;
  /** Marks a site disabled: none of its keys is usable any more (once authorizer caches expire). */
  disableSite(siteId: string, nowMs: number): Promise<SiteItem>;
  /** Marks a key revoked (kept, so the same value can never be stored again); idempotent. */
  revokeKey(siteId: string, keyIdOrValue: string, nowMs: number): Promise<IngestKeyItem>;
  /** A site and its keys; undefined when there is no such site. */
  getSite(siteId: string): Promise<SiteWithKeys | undefined>;
  /** Every site with its keys, by site id (a Scan: the registry is small and this is an operator's list). */
  listSites(): Promise<readonly SiteWithKeys[]>;
}

export function dynamoRegistryWriter(dynamodb: DynamoDBClient, tableName: string): RegistryWriter {
  const unknownSite = (siteId: string, cause?: unknown): RegistryError =>
    new RegistryError(
      `no site ${JSON.stringify(siteId)} in ${tableName} (expected a site added with \`sites add\`; \`sites list\` shows them)`,
      'unknown_site',
      cause === undefined ? undefined : { cause },
    );

  async function updateSite(
    siteId: string,
    update: string,
    names: Record<string, string>,
    values: Record<string, unknown>,
    what: string,
  ): Promise<SiteItem> {
    try {
      const answer = await dynamodb.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: marshall({ pk: checkSiteId(siteId), sk: SITE_ITEM_SK }),
          UpdateExpression: update,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: marshall(values, { removeUndefinedValues: true }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return parseItem<SiteItem>(SiteItemSchema, answer.Attributes ?? {}, tableName);
    } catch (cause) {
      if (cause instanceof ConditionalCheckFailedException) throw unknownSite(siteId, cause);
      throw wrap(cause, what, tableName);
    }
  }

  async function queryPartition(siteId: string): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await dynamodb.send(
        new QueryCommand({
          TableName: tableName,
          KeyConditionExpression: 'pk = :site',
          ExpressionAttributeValues: { ':site': { S: siteId } },
          ConsistentRead: true,
          ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    return items;
  }

  function group(items: readonly Record<string, AttributeValue>[]): SiteWithKeys[] {
    const sites = new Map<string, { site?: SiteItem; keys: IngestKeyItem[] }>();
    for (const raw of items) {
      const pk = raw['pk']?.S ?? '';
      const entry = sites.get(pk) ?? { keys: [] };
      sites.set(pk, entry);
      if (raw['sk']?.S === SITE_ITEM_SK) {
        entry.site = parseItem<SiteItem>(SiteItemSchema, raw, tableName);
      } else if (raw['sk']?.S?.startsWith(INGEST_KEY_SK_PREFIX) === true) {
        entry.keys.push(parseItem<IngestKeyItem>(IngestKeyItemSchema, raw, tableName));
      }
    }
    return [...sites.values()]
      .flatMap((entry) =>
        entry.site === undefined
          ? []
          : [
              {
                site: entry.site,
                keys: [...entry.keys].sort((a, b) => a.createdAt.localeCompare(b.createdAt)),
              },
            ],
      )
      .sort((a, b) => a.site.siteId.localeCompare(b.site.siteId));
  }

  const writer: RegistryWriter = {
    tableName,

    async addSite(spec, nowMs) {
      const siteId = checkSiteId(spec.siteId);
      const name = spec.name ?? siteId;
      if (name.length < 1 || name.length > 200) {
        throw new RegistryError(
          `site name of ${name.length} characters (expected 1–200)`,
          'invalid',
        );
      }
      const item: SiteItem = {
        pk: siteId,
        sk: SITE_ITEM_SK,
        siteId,
        name,
        origins: [...checkOrigins(spec.origins ?? [])],
        tier: checkTier(spec.tier),
        status: 'active',
        createdAt: iso(nowMs),
        updatedAt: iso(nowMs),
      };
      try {
        await dynamodb.send(
          new PutItemCommand({
            TableName: tableName,
            Item: marshall(item),
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (cause) {
        if (cause instanceof ConditionalCheckFailedException) {
          throw new RegistryError(
            `site ${JSON.stringify(siteId)} already exists in ${tableName} (expected a new site id; ` +
              '`keys add` adds a key to it, `sites set-origins` changes its origins)',
            'duplicate_site',
            { cause },
          );
        }
        throw wrap(cause, 'PutItem of a site', tableName);
      }
      return item;
    },

    async addKey(key, nowMs, options = {}) {
      const siteId = siteOfIngestKey(key);
      if (siteId === undefined || !isWellFormedIngestKey(key)) {
        throw new RegistryError(
          'the ingest key is malformed (expected li_<siteId>_<32 letters or digits>)',
          'invalid',
        );
      }
      checkSiteId(siteId);
      const sha256 = hashIngestKey(key);
      const site = (await writer.getSite(siteId))?.site;
      if (site === undefined) throw unknownSite(siteId);
      const item: IngestKeyItem = {
        pk: siteId,
        sk: ingestKeyItemSk(sha256),
        siteId,
        keyId: keyIdOfHash(sha256),
        tier: options.tier ?? site.tier,
        status: 'active',
        createdAt: iso(nowMs),
        ...(options.apiGatewayKeyId === undefined
          ? {}
          : { apiGatewayKeyId: options.apiGatewayKeyId }),
      };
      try {
        // The site must still exist when the key lands (a transaction, not the read above).
        await dynamodb.send(
          new TransactWriteItemsCommand({
            TransactItems: [
              {
                ConditionCheck: {
                  TableName: tableName,
                  Key: marshall({ pk: siteId, sk: SITE_ITEM_SK }),
                  ConditionExpression: 'attribute_exists(pk)',
                },
              },
              {
                Put: {
                  TableName: tableName,
                  Item: marshall(item),
                  ConditionExpression: 'attribute_not_exists(sk)',
                },
              },
            ],
          }),
        );
      } catch (cause) {
        if (cause instanceof TransactionCanceledException) {
          const [siteCheck, keyPut] = cause.CancellationReasons ?? [];
          if (siteCheck?.Code === 'ConditionalCheckFailed') throw unknownSite(siteId, cause);
          if (keyPut?.Code === 'ConditionalCheckFailed') {
            throw new RegistryError(
              `key ${item.keyId} of site ${siteId} is already in ${tableName} (a key value is stored once, also after it is revoked; expected a new key)`,
              'duplicate_key',
              { cause },
            );
          }
        }
        throw wrap(cause, 'TransactWriteItems of an ingest key', tableName);
      }
      return item;
    },

    async setOrigins(siteId, origins, nowMs) {
      return updateSite(
        siteId,
        'SET #origins = :origins, #updatedAt = :now',
        { '#origins': 'origins', '#updatedAt': 'updatedAt' },
        { ':origins': [...checkOrigins(origins)], ':now': iso(nowMs) },
        'UpdateItem of a site’s origins',
      );
    },

    async setTier(siteId, tier, nowMs) {
      const checked = checkTier(tier);
      const site = await updateSite(
        siteId,
        'SET #tier = :tier, #updatedAt = :now',
        { '#tier': 'tier', '#updatedAt': 'updatedAt' },
        { ':tier': checked, ':now': iso(nowMs) },
        'UpdateItem of a site’s tier',
      );
      const found = await writer.getSite(siteId);
      const keys: IngestKeyItem[] = [];
      for (const key of found?.keys ?? []) {
        if (key.tier === checked) {
          keys.push(key);
          continue;
        }
        try {
          const answer = await dynamodb.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: marshall({ pk: siteId, sk: key.sk }),
              UpdateExpression: 'SET #tier = :tier',
              ConditionExpression: 'attribute_exists(sk)',
              ExpressionAttributeNames: { '#tier': 'tier' },
              ExpressionAttributeValues: marshall({ ':tier': checked }),
              ReturnValues: 'ALL_NEW',
            }),
          );
          keys.push(
            parseItem<IngestKeyItem>(IngestKeyItemSchema, answer.Attributes ?? {}, tableName),
          );
        } catch (cause) {
          throw wrap(cause, 'UpdateItem of a key’s tier', tableName);
        }
      }
      return { site, keys };
    },

    async disableSite(siteId, nowMs) {
      return updateSite(
        siteId,
        'SET #status = :disabled, #updatedAt = :now',
        { '#status': 'status', '#updatedAt': 'updatedAt' },
        { ':disabled': 'disabled', ':now': iso(nowMs) },
        'UpdateItem of a site’s status',
      );
    },

    async revokeKey(siteId, keyIdOrValue, nowMs) {
      const found = await writer.getSite(checkSiteId(siteId));
      if (found === undefined) throw unknownSite(siteId);
      const byValue = keyIdOrValue.startsWith('li_');
      const key = found.keys.find((k) =>
        byValue ? k.sk === ingestKeyItemSk(hashIngestKey(keyIdOrValue)) : k.keyId === keyIdOrValue,
      );
      if (key === undefined) {
        throw new RegistryError(
          `site ${siteId} has no key ${byValue ? 'with that value' : JSON.stringify(keyIdOrValue)} ` +
            `(its keys: ${found.keys.map((k) => `${k.keyId} ${k.status}`).join(', ') || 'none'})`,
          'unknown_key',
        );
      }
      try {
        const answer = await dynamodb.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: marshall({ pk: siteId, sk: key.sk }),
            // A second revoke keeps the first revokedAt.
            UpdateExpression:
              'SET #status = :revoked, #revokedAt = if_not_exists(#revokedAt, :now)',
            ConditionExpression: 'attribute_exists(sk)',
            ExpressionAttributeNames: { '#status': 'status', '#revokedAt': 'revokedAt' },
            ExpressionAttributeValues: marshall({ ':revoked': 'revoked', ':now': iso(nowMs) }),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return parseItem<IngestKeyItem>(IngestKeyItemSchema, answer.Attributes ?? {}, tableName);
      } catch (cause) {
        throw wrap(cause, 'UpdateItem of a key’s status', tableName);
      }
    },

    async getSite(siteId) {
      let items;
      try {
        items = await queryPartition(checkSiteId(siteId));
      } catch (cause) {
        throw wrap(cause, `Query of site ${JSON.stringify(siteId)}`, tableName);
      }
      return group(items)[0];
    },

    async listSites() {
      const items: Record<string, AttributeValue>[] = [];
      let startKey: Record<string, AttributeValue> | undefined;
      try {
        do {
          const page = await dynamodb.send(
            new ScanCommand({
              TableName: tableName,
              ConsistentRead: true,
              ...(startKey === undefined ? {} : { ExclusiveStartKey: startKey }),
            }),
          );
          items.push(...(page.Items ?? []));
          startKey = page.LastEvaluatedKey;
        } while (startKey !== undefined);
      } catch (cause) {
        throw wrap(cause, 'Scan of the sites', tableName);
      }
      return group(items);
    },
  };
  return writer;
}

/**
 * Makes sure `spec.siteId` exists, lists `spec.origins` (added to what is stored, so a site seeded
 * by an earlier start on another port keeps working; the oldest make way past MAX_ORIGINS) and
 * holds `key` as an active key: what `npm start` does for its fixed demo site at every start.
 * A disabled site or a revoked demo key is left as the operator made it. Idempotent.
 */
export async function ensureSiteWithKey(
  writer: RegistryWriter,
  spec: NewSite,
  key: string,
  nowMs: number,
): Promise<SiteWithKeys> {
  let found = await writer.getSite(spec.siteId);
  if (found === undefined) {
    try {
      await writer.addSite(spec, nowMs);
    } catch (error) {
      // Another process seeded it between the read and the write: fine, it exists now.
      if (!(error instanceof RegistryError && error.code === 'duplicate_site')) throw error;
    }
  } else {
    const stored: readonly string[] = found.site.origins;
    const wanted = spec.origins ?? [];
    const missing = wanted.filter((origin) => !stored.includes(origin));
    if (missing.length > 0 && !stored.includes(ANY_ORIGIN)) {
      await writer.setOrigins(spec.siteId, [...stored, ...missing].slice(-MAX_ORIGINS), nowMs);
    }
  }
  found = await writer.getSite(spec.siteId);
  const sk = ingestKeyItemSk(hashIngestKey(key));
  if (found !== undefined && !found.keys.some((k) => k.sk === sk)) {
    try {
      await writer.addKey(key, nowMs);
    } catch (error) {
      if (!(error instanceof RegistryError && error.code === 'duplicate_key')) throw error;
    }
    found = await writer.getSite(spec.siteId);
  }
  if (found === undefined) throw new RegistryError(`site ${spec.siteId} vanished`, 'unknown_site');
  return found;
}
