/**
 * `admin sites add | list | set-origins | disable`: the sites of the registry table, on the local
 * stack or a deployed stage alike. A change is data, not a deployment: the ingest authorizer
 * sees it once its cached answer for a key expires.
 */
import { issueReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { ANY_ORIGIN, TIER_NAMES, isTierName } from '../../schemas/registry';
import { type Command, type CommandContext, type OptionValues, listOption } from '../command';
import { CliTargetError, CliUsageError } from '../errors';
import {
  addIngestKey,
  explainRegistryError,
  moveApiGatewayKeys,
  registryOf,
} from '../ingest-key-admin';
import { dashboardLine, scriptTagLines } from '../onboarding-links';
import { verifyTables } from '../target';

export function requiredString(values: OptionValues, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new CliUsageError(`--${name} is missing (expected --${name} <value>)`);
  }
  return value;
}

function optionalString(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

function originsOf(values: OptionValues): string[] {
  return listOption(values, 'origin');
}

/** Runs `body`, turning the registry's refusals into the CLI's errors. */
export async function withRegistryErrors<T>(body: () => Promise<T>): Promise<T> {
  try {
    return await body();
  } catch (error) {
    throw explainRegistryError(error);
  }
}

const AFTER_CACHE =
  'takes effect when the ingest authorizer’s cached answer for a key expires (its TTL: edge README)';

export const sitesAddCommand: Command = {
  name: 'sites add',
  summary:
    'adds a site with its first ingest key (on a stage also in API Gateway, on its tier’s usage plan) and a read token; prints the key, the script tag and the dashboard link once',
  usage: `--site ID [--name N] [--tier ${TIER_NAMES.join('|')}] [--origin https://host[:port]]... [--label L]`,
  options: {
    site: { type: 'string' },
    name: { type: 'string' },
    tier: { type: 'string' },
    origin: { type: 'string', multiple: true },
    label: { type: 'string' },
  },
  async run(context, values) {
    const siteId = requiredString(values, 'site');
    const name = optionalString(values, 'name');
    const tier = optionalString(values, 'tier');
    await verifyTables(context.clients.dynamodb, context.target, ['registry', 'readTokens']);
    const registry = await registryOf(context);
    const site = await withRegistryErrors(() =>
      registry.addSite(
        {
          siteId,
          ...(name === undefined ? {} : { name }),
          ...(tier === undefined ? {} : { tier }),
          origins: originsOf(values),
        },
        Date.now(),
      ),
    );
    const { print, target } = context;
    print(
      `added site ${site.siteId} (tier ${site.tier}, origins ${site.origins.join(' ') || 'none: browsers refused until `sites set-origins`'}) to ${target.label}`,
    );
    let added;
    try {
      added = await withRegistryErrors(() => addIngestKey(context, registry, site, undefined, []));
    } catch (error) {
      throw new CliTargetError(
        `site ${site.siteId} was added, but its first key was not: ${error instanceof Error ? error.message : String(error)} ` +
          `(expected to succeed; retry with \`npm run admin -- keys add --site ${site.siteId}${target.stage === undefined ? '' : ` --stage ${target.stage.name}`}\`)`,
        { cause: error },
      );
    }
    const token = await issueReadToken(context.clients.dynamodb, target.tables.readTokens, siteId, {
      nowMs: Date.now(),
      label: optionalString(values, 'label') ?? 'admin',
    });
    print('');
    print('Shown once — only hashes are stored. Keep them now.');
    print(`ingest key ${added.item.keyId}: ${added.key}`);
    print(`read token: ${token}`);
    for (const line of scriptTagLines(target, { siteId, ingestKey: added.key })) print(line);
    print(dashboardLine(target, siteId, token));
  },
};

export const sitesListCommand: Command = {
  name: 'sites list',
  summary: 'lists every site: status, tier, allowed origins and its keys (ids only)',
  usage: '',
  options: {},
  async run(context) {
    const registry = await registryOf(context);
    const sites = await withRegistryErrors(() => registry.listSites());
    if (sites.length === 0) {
      context.print(`no sites in ${registry.tableName} (add one with \`sites add --site ID\`)`);
    }
    for (const { site, keys } of sites) {
      context.print(
        `${site.siteId}  ${site.status}  tier ${site.tier}  origins ${site.origins.join(' ') || '(none: browsers refused)'}  ${JSON.stringify(site.name)}`,
      );
      for (const key of keys) {
        context.print(
          `  ${key.keyId}  ${key.status}  created ${key.createdAt}${key.revokedAt === undefined ? '' : `  revoked ${key.revokedAt}`}${key.apiGatewayKeyId === undefined ? '' : `  api-gateway ${key.apiGatewayKeyId}`}`,
        );
      }
    }
  },
};

export const sitesSetOriginsCommand: Command = {
  name: 'sites set-origins',
  summary: `replaces a site's allowed origins: exact origins, "${ANY_ORIGIN}" for any, or --none`,
  usage: '--site ID (--origin https://host[:port]... | --origin "*" | --none)',
  options: {
    site: { type: 'string' },
    origin: { type: 'string', multiple: true },
    none: { type: 'boolean' },
  },
  async run(context: CommandContext, values: OptionValues) {
    const siteId = requiredString(values, 'site');
    const origins = originsOf(values);
    const none = values['none'] === true;
    if (origins.length === 0 && !none) {
      throw new CliUsageError(
        'no origins given (expected --origin <origin> (repeatable), --origin "*" for any origin, or --none to refuse browsers)',
      );
    }
    if (origins.length > 0 && none) {
      throw new CliUsageError('--none and --origin together (expected one of them)');
    }
    const registry = await registryOf(context);
    const site = await withRegistryErrors(() => registry.setOrigins(siteId, origins, Date.now()));
    context.print(
      `${site.siteId} origins: ${site.origins.join(' ') || '(none: browsers refused)'} — ${AFTER_CACHE}`,
    );
  },
};

export const sitesSetTierCommand: Command = {
  name: 'sites set-tier',
  summary:
    'moves a site and its keys to another tier (on a stage: each API Gateway key to that tier’s usage plan)',
  usage: `--site ID --tier ${TIER_NAMES.join('|')}`,
  options: { site: { type: 'string' }, tier: { type: 'string' } },
  async run(context, values) {
    const siteId = requiredString(values, 'site');
    const tier = requiredString(values, 'tier');
    if (!isTierName(tier)) {
      throw new CliUsageError(
        `--tier ${JSON.stringify(tier)} is unknown (expected one of ${TIER_NAMES.join(', ')})`,
      );
    }
    const registry = await registryOf(context);
    const found = await withRegistryErrors(() => registry.getSite(siteId));
    if (found === undefined) {
      throw new CliTargetError(
        `no site ${JSON.stringify(siteId)} in ${registry.tableName} (${context.target.label}; expected a site added with \`sites add\`)`,
      );
    }
    // API Gateway first: the plan is what meters a key; the registry's tier follows it.
    await moveApiGatewayKeys(context, found.keys, tier);
    const moved = await withRegistryErrors(() => registry.setTier(siteId, tier, Date.now()));
    context.print(
      `${moved.site.siteId} tier ${moved.site.tier} (${moved.keys.length} key${moved.keys.length === 1 ? '' : 's'}) — the usage plan applies at once on a stage; the authorizer's context ${AFTER_CACHE}`,
    );
  },
};

export const sitesDisableCommand: Command = {
  name: 'sites disable',
  summary: 'disables a site: none of its keys is accepted any more',
  usage: '--site ID',
  options: { site: { type: 'string' } },
  async run(context, values) {
    const siteId = requiredString(values, 'site');
    const registry = await registryOf(context);
    const site = await withRegistryErrors(() => registry.disableSite(siteId, Date.now()));
    context.print(`${site.siteId} disabled — ${AFTER_CACHE}`);
  },
};
