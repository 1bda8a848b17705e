/**
 * What `sites add`, `keys add` and `keys revoke` share: an ingest key made (or given), stored in
 * the registry and — on a deployed stage — created in API Gateway with the same value and
 * attached to its tier's usage plan; revoked in the registry first (the authorizer refuses it
 * once its cache expires) and then disabled in API Gateway.
 *
 * Order on add: every check that can refuse comes before the first change (unknown site,
 * duplicate key, missing stack output); API Gateway before the registry, so a key is never
 * usable without its usage plan; a failed registry write removes the API Gateway key again.
 */
import {
  type RegistryWriter,
  RegistryError,
  dynamoRegistryWriter,
} from '../handlers/adapters/dynamo-registry-writer';
import {
  hashIngestKey,
  ingestKeyId,
  isWellFormedIngestKey,
  newIngestKey,
  siteOfIngestKey,
} from '../pipeline/ingest-key';
import {
  type IngestKeyItem,
  type SiteItem,
  type TierName,
  ingestKeyItemSk,
} from '../schemas/registry';
import { apiGatewayKeys } from './api-gateway-keys';
import type { CommandContext } from './command';
import { CliTargetError, CliUsageError } from './errors';
import { verifyTables } from './target';

/** The registry writer of the target, after checking the table's key shape. */
export async function registryOf({ target, clients }: CommandContext): Promise<RegistryWriter> {
  await verifyTables(clients.dynamodb, target, ['registry']);
  return dynamoRegistryWriter(clients.dynamodb, target.tables.registry);
}

/** RegistryError → the CLI's errors: what the operator typed is a usage error (exit 2). */
export function explainRegistryError(error: unknown): unknown {
  if (!(error instanceof RegistryError)) return error;
  return error.code === 'invalid'
    ? new CliUsageError(error.message, { cause: error })
    : new CliTargetError(error.message, { cause: error });
}

export interface AddedKey {
  readonly key: string;
  readonly item: IngestKeyItem;
}

/**
 * Adds `given` (an existing key value, e.g. moved from elsewhere) or a new key to `site`.
 * Refuses a key of another site and a key already stored, before any change.
 */
export async function addIngestKey(
  context: CommandContext,
  registry: RegistryWriter,
  site: SiteItem,
  given: string | undefined,
  known: readonly IngestKeyItem[],
): Promise<AddedKey> {
  const key = given ?? newIngestKey(site.siteId).key;
  if (!isWellFormedIngestKey(key)) {
    throw new CliUsageError(
      '--key is not an ingest key (expected li_<siteId>_<32 letters or digits>)',
    );
  }
  if (siteOfIngestKey(key) !== site.siteId) {
    throw new CliUsageError(
      `--key belongs to site ${JSON.stringify(siteOfIngestKey(key))} (expected a key of ${site.siteId}: li_${site.siteId}_…)`,
    );
  }
  const sk = ingestKeyItemSk(hashIngestKey(key));
  const stored = known.find((k) => k.sk === sk);
  if (stored !== undefined) {
    throw new CliTargetError(
      `key ${stored.keyId} of site ${site.siteId} is already in ${registry.tableName} (status ${stored.status}; a key value is stored once — expected a new key)`,
    );
  }
  const nowMs = Date.now();
  const stage = context.target.stage;
  if (stage === undefined) {
    return { key, item: await registry.addKey(key, nowMs) };
  }
  const gateway = apiGatewayKeys(stage);
  try {
    const created = await gateway.create(
      key,
      `${stage.name}-${site.siteId}-${ingestKeyId(key)}`,
      site.tier,
    );
    try {
      const item = await registry.addKey(key, nowMs, { apiGatewayKeyId: created.id });
      context.print(
        `API Gateway key ${created.id} (enabled) on usage plan ${created.usagePlanId} (tier ${site.tier})`,
      );
      return { key, item };
    } catch (error) {
      await gateway.discard(created.id);
      throw error;
    }
  } finally {
    gateway.destroy();
  }
}

/** On a deployed stage: each active key's API Gateway key onto the usage plan of `tier`. */
export async function moveApiGatewayKeys(
  context: CommandContext,
  keys: readonly IngestKeyItem[],
  tier: TierName,
): Promise<void> {
  const stage = context.target.stage;
  if (stage === undefined) return;
  const gateway = apiGatewayKeys(stage);
  try {
    for (const key of keys) {
      if (key.status !== 'active' || key.tier === tier) continue;
      if (key.apiGatewayKeyId === undefined) {
        context.print(`note: ${key.keyId} has no API Gateway key recorded: nothing to move`);
        continue;
      }
      await gateway.move(key.apiGatewayKeyId, key.tier, tier);
      context.print(
        `API Gateway key ${key.apiGatewayKeyId} (${key.keyId}) moved to the ${tier} plan`,
      );
    }
  } finally {
    gateway.destroy();
  }
}

/** Revokes a key in the registry, then disables its API Gateway key on a deployed stage. */
export async function revokeIngestKey(
  context: CommandContext,
  registry: RegistryWriter,
  siteId: string,
  keyIdOrValue: string,
): Promise<IngestKeyItem> {
  const item = await registry.revokeKey(siteId, keyIdOrValue, Date.now());
  context.print(
    `revoked ${item.keyId} of ${siteId} at ${item.revokedAt ?? ''} (${context.target.label})`,
  );
  const stage = context.target.stage;
  if (stage === undefined) return item;
  if (item.apiGatewayKeyId === undefined) {
    context.print(
      `note: ${item.keyId} has no API Gateway key recorded (added before this CLI managed them); ` +
        'the authorizer refuses it all the same',
    );
    return item;
  }
  const gateway = apiGatewayKeys(stage);
  try {
    const disabled = await gateway.disable(item.apiGatewayKeyId);
    context.print(
      disabled
        ? `API Gateway key ${item.apiGatewayKeyId} disabled`
        : `API Gateway key ${item.apiGatewayKeyId} no longer exists (nothing to disable)`,
    );
  } finally {
    gateway.destroy();
  }
  return item;
}
