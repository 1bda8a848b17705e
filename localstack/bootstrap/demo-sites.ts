/**
 * The demo sites `npm start` seeds into the registry table (CONTRACT.md, "Demo site"), at every
 * start and idempotently: each site exists (active) with the edge's own origin(s) on its
 * allow-list — added to what an earlier start stored, so a site seeded on another port keeps
 * working — and holds its fixed key. The keys are public and local-only: scripts, the README
 * and the printed commands can use them. A site an operator disabled or a demo key revoked with
 * the admin CLI stays as the operator left it.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  dynamoRegistryWriter,
  ensureSiteWithKey,
} from '../../handlers/adapters/dynamo-registry-writer';
import { formatIngestKey, ingestKeyId } from '../../pipeline/ingest-key';

export interface DemoSite {
  readonly siteId: string;
  readonly name: string;
  /** The fixed secret part of its key (li_<siteId>_<secret>). */
  readonly secret: string;
}

/** The demo shop: its key is the one `demo.json` and the README name. */
export const DEMO_SITE: DemoSite = {
  siteId: 'demo-shop',
  name: 'Demo shop (local)',
  secret: 'LocalDemoKeyNotASecret0000000000',
};

/** Every demo site, the shop first. */
export const DEMO_SITES: readonly DemoSite[] = [
  DEMO_SITE,
  { siteId: 'demo-blog', name: 'Demo blog (local)', secret: 'LocalDemoBlogKeyNotASecret000000' },
  { siteId: 'demo-docs', name: 'Demo docs (local)', secret: 'LocalDemoDocsKeyNotASecret000000' },
];

/**
 * Origins of the edge at `edgeUrl`: the pages it serves (demo page, dashboard) post with their
 * own origin, and a browser may reach it as localhost or as 127.0.0.1.
 */
export function demoOrigins(edgeUrl: string): readonly string[] {
  const url = new URL(edgeUrl);
  const origins = new Set([url.origin]);
  for (const host of ['localhost', '127.0.0.1']) {
    if (url.hostname === 'localhost' || url.hostname === '127.0.0.1') {
      origins.add(`${url.protocol}//${host}${url.port === '' ? '' : `:${url.port}`}`);
    }
  }
  return [...origins];
}

export interface SeededDemoSite {
  readonly siteId: string;
  readonly ingestKey: string;
  readonly keyId: string;
}

export async function seedDemoSites(
  dynamodb: DynamoDBClient,
  registryTable: string,
  edgeUrl: string,
  nowMs: number = Date.now(),
  sites: readonly DemoSite[] = DEMO_SITES,
): Promise<readonly SeededDemoSite[]> {
  const registry = dynamoRegistryWriter(dynamodb, registryTable);
  const origins = demoOrigins(edgeUrl);
  const seeded: SeededDemoSite[] = [];
  for (const site of sites) {
    const ingestKey = formatIngestKey(site.siteId, site.secret);
    await ensureSiteWithKey(
      registry,
      { siteId: site.siteId, name: site.name, origins },
      ingestKey,
      nowMs,
    );
    seeded.push({ siteId: site.siteId, ingestKey, keyId: ingestKeyId(ingestKey) });
  }
  return seeded;
}
