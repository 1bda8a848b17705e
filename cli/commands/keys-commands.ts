/**
 * `admin keys add | revoke`: a site's ingest keys. On a deployed stage a key also exists in API
 * Gateway (same value, its tier's usage plan), created and disabled here with the registry item
 * (cli/ingest-key-admin.ts).
 */
import type { Command } from '../command';
import { CliTargetError, CliUsageError } from '../errors';
import { addIngestKey, registryOf, revokeIngestKey } from '../ingest-key-admin';
import { requiredString, withRegistryErrors } from './sites-commands';

export const keysAddCommand: Command = {
  name: 'keys add',
  summary:
    'adds an ingest key to a site (printed once); on a stage also the API Gateway key on the tier’s usage plan',
  usage: '--site ID [--key li_<site>_<secret>]',
  options: { site: { type: 'string' }, key: { type: 'string' } },
  async run(context, values) {
    const siteId = requiredString(values, 'site');
    const given = typeof values['key'] === 'string' ? values['key'] : undefined;
    const registry = await registryOf(context);
    const found = await withRegistryErrors(() => registry.getSite(siteId));
    if (found === undefined) {
      throw new CliTargetError(
        `no site ${JSON.stringify(siteId)} in ${registry.tableName} (${context.target.label}; expected a site added with \`sites add\`; \`sites list\` shows them)`,
      );
    }
    const added = await withRegistryErrors(() =>
      addIngestKey(context, registry, found.site, given, found.keys),
    );
    if (found.site.status !== 'active') {
      context.print(`note: site ${siteId} is ${found.site.status}: its keys are refused`);
    }
    context.print(
      `ingest key ${added.item.keyId} of ${siteId} (shown once, only its hash is stored):`,
    );
    context.print(added.key);
  },
};

export const keysRevokeCommand: Command = {
  name: 'keys revoke',
  summary:
    'revokes an ingest key (by id, or by value); on a stage also disables its API Gateway key',
  usage: '--site ID (--key-id k_xxxxxxxx | --key li_<site>_<secret>)',
  options: { site: { type: 'string' }, 'key-id': { type: 'string' }, key: { type: 'string' } },
  async run(context, values) {
    const siteId = requiredString(values, 'site');
    const keyId = values['key-id'];
    const key = values['key'];
    const which = typeof keyId === 'string' ? keyId : typeof key === 'string' ? key : undefined;
    if (which === undefined || (typeof keyId === 'string' && typeof key === 'string')) {
      throw new CliUsageError(
        'which key? (expected exactly one of --key-id k_xxxxxxxx, as `sites list` shows it, or --key <value>)',
      );
    }
    const registry = await registryOf(context);
    await withRegistryErrors(() => revokeIngestKey(context, registry, siteId, which));
  },
};
