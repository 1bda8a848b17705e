/**
 * The local edge's site registry: what API Gateway holds on AWS for the ingest API — the sites'
 * ingest keys (API keys), the usage plan (tier) each key is on, and each site's allowed origins
 * (stage variables). Keys are stored as SHA-256 hashes: a key is 32 random characters (~190
 * bits), so a fast hash is enough, and the raw key is shown once, when it is made.
 *
 * The registry is a JSON file rather than a DynamoDB table on purpose: on AWS nothing reads a
 * Sites table either (API Gateway is the authority for keys, CDK for origins), and a file
 * survives restarts even when DynamoDB Local runs in memory.
 */
import { createHash, randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import {
  ANY_ORIGIN,
  DEFAULT_TIER,
  STAGE_VARIABLES,
  TIER_NAMES,
  formatIngestKey,
  originsStageValue,
  originsStageVariable,
  type TierName,
} from '../../infra/api/ingest-api-spec';
import { SiteIdSchema } from '../../schemas/ingest';
import { formatIssues, parseWith } from '../../schemas/validator';

/** Per site; a stage variable holds at most 512 characters anyway. */
export const MAX_ORIGINS = 20;

const KeyRecordSchema = Type.Object(
  {
    keyId: Type.String({ pattern: '^k_[0-9a-f]{8}$' }),
    sha256: Type.String({ pattern: '^[0-9a-f]{64}$' }),
    createdAt: Type.String(),
    revokedAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);

const SiteRecordSchema = Type.Object(
  {
    siteId: SiteIdSchema,
    name: Type.String({ maxLength: 200 }),
    tier: Type.Union(TIER_NAMES.map((tier) => Type.Literal(tier))),
    origins: Type.Array(Type.String({ maxLength: 300 }), { maxItems: MAX_ORIGINS }),
    keys: Type.Array(KeyRecordSchema),
  },
  { additionalProperties: false },
);

export const RegistryDataSchema = Type.Object(
  { version: Type.Literal(1), sites: Type.Array(SiteRecordSchema) },
  { additionalProperties: false },
);

export type KeyRecord = Static<typeof KeyRecordSchema>;
export type SiteRecord = Static<typeof SiteRecordSchema>;
export type RegistryData = Static<typeof RegistryDataSchema>;

/** Where the registry lives: a file for the running product, memory for tests. */
export interface RegistryStore {
  /** Undefined when nothing was saved yet. */
  load(): RegistryData | undefined;
  save(data: RegistryData): void;
  /** Whether someone else (the CLI) changed the data since the last load or save. */
  changedSinceLoad(): boolean;
  /** For messages: where the data is. */
  readonly location: string;
}

export class SiteRegistryError extends Error {
  override readonly name = 'SiteRegistryError';
}

/** Parses stored data at the trust boundary, naming the place and the problems. */
export function parseRegistryData(raw: unknown, location: string): RegistryData {
  const parsed = parseWith(RegistryDataSchema, raw);
  if (!parsed.ok) {
    throw new SiteRegistryError(
      `Site registry ${location} is malformed: ${formatIssues(parsed.issues)}`,
    );
  }
  return parsed.value;
}

function checkOrigins(siteId: string, origins: readonly string[]): void {
  if (origins.length > MAX_ORIGINS) {
    throw new SiteRegistryError(
      `Site ${siteId} lists ${origins.length} origins (expected at most ${MAX_ORIGINS})`,
    );
  }
  if (origins.length > 0) originsStageValue(siteId, origins);
}

export function hashKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex');
}

const BASE62 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 base62 characters from the CSPRNG (rejection sampling keeps them uniform). */
export function newKeySecret(): string {
  let out = '';
  while (out.length < 32) {
    for (const byte of randomBytes(48)) {
      if (byte < 248 && out.length < 32) out += BASE62[byte % 62];
    }
  }
  return out;
}

export interface KeyMatch {
  readonly site: SiteRecord;
  readonly key: KeyRecord;
}

export interface NewSite {
  readonly siteId: string;
  readonly name?: string;
  readonly tier?: TierName;
  readonly origins?: readonly string[];
}

export interface IssuedKey {
  readonly siteId: string;
  readonly keyId: string;
  /** Shown once; only its hash is stored. */
  readonly ingestKey: string;
}

export class SiteRegistry {
  private data: RegistryData;
  private byHash = new Map<string, KeyMatch>();
  /** Stage variables per stream name, rebuilt when the data changes (read on every request). */
  private stageCache = new Map<string, Readonly<Record<string, string>>>();

  constructor(
    private readonly store: RegistryStore,
    private readonly clock: () => number = Date.now,
  ) {
    this.data = store.load() ?? { version: 1, sites: [] };
    this.index();
  }

  /** Re-reads the store when another process changed it (the CLI adding a key). */
  refresh(): void {
    if (!this.store.changedSinceLoad()) return;
    this.data = this.store.load() ?? { version: 1, sites: [] };
    this.index();
  }

  /** The site and key of a raw ingest key; undefined when unknown or revoked. */
  findKey(ingestKey: string): KeyMatch | undefined {
    return this.byHash.get(hashKey(ingestKey));
  }

  sites(): readonly SiteRecord[] {
    return this.data.sites;
  }

  site(siteId: string): SiteRecord | undefined {
    return this.data.sites.find((site) => site.siteId === siteId);
  }

  addSite(spec: NewSite): SiteRecord {
    const siteId = parseWith(SiteIdSchema, spec.siteId);
    if (!siteId.ok) {
      throw new SiteRegistryError(
        `Site id ${JSON.stringify(spec.siteId)} is invalid: ${formatIssues(siteId.issues)}`,
      );
    }
    if (this.site(spec.siteId) !== undefined) {
      throw new SiteRegistryError(`Site ${spec.siteId} already exists in ${this.store.location}`);
    }
    const origins = [...(spec.origins ?? [])];
    checkOrigins(spec.siteId, origins);
    const site: SiteRecord = {
      siteId: spec.siteId,
      name: spec.name ?? spec.siteId,
      tier: spec.tier ?? DEFAULT_TIER,
      origins,
      keys: [],
    };
    this.commit({ ...this.data, sites: [...this.data.sites, site] });
    return site;
  }

  setOrigins(siteId: string, origins: readonly string[]): SiteRecord {
    checkOrigins(siteId, origins);
    return this.updateSite(siteId, (site) => ({ ...site, origins: [...origins] }));
  }

  setTier(siteId: string, tier: TierName): SiteRecord {
    return this.updateSite(siteId, (site) => ({ ...site, tier }));
  }

  /** Issues a key (random, or `secret` for fixed demo keys) and stores only its hash. */
  addKey(siteId: string, secret: string = newKeySecret()): IssuedKey {
    const ingestKey = formatIngestKey(siteId, secret);
    const sha256 = hashKey(ingestKey);
    const known = this.data.sites.flatMap((site) => site.keys).find((k) => k.sha256 === sha256);
    if (known !== undefined) {
      throw new SiteRegistryError(
        `Key ${known.keyId} already exists${known.revokedAt === undefined ? '' : ` and was revoked at ${known.revokedAt}`}`,
      );
    }
    const keyId = `k_${sha256.slice(0, 8)}`;
    const key: KeyRecord = { keyId, sha256, createdAt: new Date(this.clock()).toISOString() };
    this.updateSite(siteId, (site) => ({ ...site, keys: [...site.keys, key] }));
    return { siteId, keyId, ingestKey };
  }

  revokeKey(siteId: string, keyId: string): KeyRecord {
    let revoked: KeyRecord | undefined;
    this.updateSite(siteId, (site) => {
      const key = site.keys.find((k) => k.keyId === keyId);
      if (key === undefined) {
        throw new SiteRegistryError(
          `Site ${siteId} has no key ${keyId} (its keys: ${site.keys.map((k) => k.keyId).join(', ') || 'none'})`,
        );
      }
      revoked = { ...key, revokedAt: key.revokedAt ?? new Date(this.clock()).toISOString() };
      return {
        ...site,
        keys: site.keys.map((k) => (k.keyId === keyId ? (revoked as KeyRecord) : k)),
      };
    });
    return revoked as KeyRecord;
  }

  /**
   * Ensures a site exists with a key made from `secret` (a fixed, public demo key: local
   * scripts and the README can use it) and with `spec.origins` on its allow-list — added to
   * what a previous run stored, so a demo site keeps working when the edge moves to another
   * port (the oldest origins make way when the list would grow past MAX_ORIGINS). Returns the
   * raw key.
   */
  ensureSite(spec: NewSite, secret: string): IssuedKey {
    const stored = this.site(spec.siteId);
    if (stored === undefined) this.addSite(spec);
    else {
      const wanted = spec.origins ?? [];
      const missing = wanted.filter((origin) => !stored.origins.includes(origin));
      if (missing.length > 0) {
        this.setOrigins(spec.siteId, [...stored.origins, ...missing].slice(-MAX_ORIGINS));
      }
    }
    const ingestKey = formatIngestKey(spec.siteId, secret);
    const existing = this.findKey(ingestKey);
    if (existing !== undefined)
      return { siteId: spec.siteId, keyId: existing.key.keyId, ingestKey };
    return this.addKey(spec.siteId, secret);
  }

  /** The stage variables API Gateway would hold: the stream name and each site's origins. */
  stageVariables(eventsStream: string): Readonly<Record<string, string>> {
    const cached = this.stageCache.get(eventsStream);
    if (cached !== undefined) return cached;
    const variables: Record<string, string> = { [STAGE_VARIABLES.eventsStream]: eventsStream };
    for (const site of this.data.sites) {
      if (site.origins.length > 0) {
        variables[originsStageVariable(site.siteId)] = originsStageValue(site.siteId, site.origins);
      }
    }
    this.stageCache.set(eventsStream, variables);
    return variables;
  }

  private updateSite(siteId: string, change: (site: SiteRecord) => SiteRecord): SiteRecord {
    const site = this.site(siteId);
    if (site === undefined) {
      throw new SiteRegistryError(
        `No site ${siteId} in ${this.store.location} (sites: ${this.data.sites.map((s) => s.siteId).join(', ') || 'none'})`,
      );
    }
    const updated = change(site);
    this.commit({
      ...this.data,
      sites: this.data.sites.map((s) => (s.siteId === siteId ? updated : s)),
    });
    return updated;
  }

  private commit(data: RegistryData): void {
    this.store.save(data);
    this.data = data;
    this.index();
  }

  private index(): void {
    const byHash = new Map<string, KeyMatch>();
    for (const site of this.data.sites) {
      for (const key of site.keys) {
        if (key.revokedAt === undefined) byHash.set(key.sha256, { site, key });
      }
    }
    this.byHash = byHash;
    this.stageCache = new Map();
  }
}

/** In-memory store for tests and throwaway edges. */
export function memoryRegistryStore(initial?: RegistryData): RegistryStore {
  let data = initial;
  return {
    location: 'memory',
    load: () => data,
    save: (next) => {
      data = next;
    },
    changedSinceLoad: () => false,
  };
}

/** The demo site `npm start` seeds. Its key is fixed and public: local use only. */
export const DEMO_SITE = {
  siteId: 'demo-shop',
  name: 'Demo shop (local)',
  secret: 'LocalDemoKeyNotASecret0000000000',
} as const;

/** Origins the demo site allows: the edge's own page (same-origin POSTs still send Origin). */
export function demoOrigins(edgePort: number): readonly string[] {
  return [`http://localhost:${edgePort}`, `http://127.0.0.1:${edgePort}`];
}

export { ANY_ORIGIN };
