/**
 * `npm run sites -- <command>`: manages the local edge's sites and ingest keys. A running edge
 * picks changes up within a second. Usage: see USAGE below.
 */
import { parseArgs } from 'node:util';
import { isTierName, TIER_NAMES, type TierName } from '../../infra/api/ingest-api-spec';
import { DEFAULT_SITES_FILE, fileRegistryStore } from './registry-file-store';
import { SiteRegistry, SiteRegistryError } from './site-registry';

const USAGE = `usage: npm run sites -- <command> [--file ${DEFAULT_SITES_FILE}]
  list                                            sites, tiers, origins and key ids
  add-site <siteId> [--name N] [--tier T] [--origin O]…   T: ${TIER_NAMES.join(' | ')}
  add-key <siteId>                                issues a key and prints it (only once)
  revoke-key <siteId> <keyId>
  set-origins <siteId> [<origin>…]                  replaces the allow-list ("any" = every origin)
  set-tier <siteId> <tier>`;

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

function tierOf(value: string | undefined): TierName | undefined {
  if (value === undefined) return undefined;
  if (!isTierName(value)) {
    throw new CliUsageError(
      `--tier ${JSON.stringify(value)} is unknown (expected one of ${TIER_NAMES.join(', ')})`,
    );
  }
  return value;
}

function arg(positionals: readonly string[], index: number, name: string): string {
  const value = positionals[index];
  if (value === undefined) throw new CliUsageError(`missing <${name}>\n${USAGE}`);
  return value;
}

/** Runs one command; returns the lines to print. */
export function runSitesCommand(argv: readonly string[], print: (line: string) => void): void {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      file: { type: 'string', default: DEFAULT_SITES_FILE },
      name: { type: 'string' },
      tier: { type: 'string' },
      origin: { type: 'string', multiple: true },
    },
  });
  const registry = new SiteRegistry(fileRegistryStore(values.file));
  const command = positionals[0];
  switch (command) {
    case 'list': {
      if (registry.sites().length === 0) print(`no sites in ${values.file}`);
      for (const site of registry.sites()) {
        print(
          `${site.siteId}  tier ${site.tier}  origins ${site.origins.join(',') || '(none: browsers refused)'}`,
        );
        for (const key of site.keys) {
          print(
            `  ${key.keyId}  created ${key.createdAt}${key.revokedAt === undefined ? '' : `  REVOKED ${key.revokedAt}`}`,
          );
        }
      }
      return;
    }
    case 'add-site': {
      const tier = tierOf(values.tier);
      const site = registry.addSite({
        siteId: arg(positionals, 1, 'siteId'),
        ...(values.name === undefined ? {} : { name: values.name }),
        ...(tier === undefined ? {} : { tier }),
        origins: values.origin ?? [],
      });
      print(
        `added site ${site.siteId} (tier ${site.tier}); issue a key with: npm run sites -- add-key ${site.siteId}`,
      );
      return;
    }
    case 'add-key': {
      const issued = registry.addKey(arg(positionals, 1, 'siteId'));
      print(`key ${issued.keyId} for ${issued.siteId} (shown once, only its hash is stored):`);
      print(issued.ingestKey);
      return;
    }
    case 'revoke-key': {
      const key = registry.revokeKey(arg(positionals, 1, 'siteId'), arg(positionals, 2, 'keyId'));
      print(`revoked ${key.keyId} at ${key.revokedAt ?? ''}`);
      return;
    }
    case 'set-origins': {
      const site = registry.setOrigins(arg(positionals, 1, 'siteId'), positionals.slice(2));
      print(`${site.siteId} origins: ${site.origins.join(',') || '(none)'}`);
      return;
    }
    case 'set-tier': {
      const tier = tierOf(arg(positionals, 2, 'tier'));
      const site = registry.setTier(arg(positionals, 1, 'siteId'), tier ?? 'standard');
      print(`${site.siteId} tier: ${site.tier}`);
      return;
    }
    default:
      throw new CliUsageError(
        `${command === undefined ? 'no command' : `unknown command ${JSON.stringify(command)}`}\n${USAGE}`,
      );
  }
}

if (require.main === module) {
  try {
    runSitesCommand(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  } catch (error) {
    const badFlag =
      error instanceof TypeError &&
      String((error as NodeJS.ErrnoException).code).startsWith('ERR_PARSE_ARGS');
    const known = badFlag || error instanceof CliUsageError || error instanceof SiteRegistryError;
    process.stderr.write(`${known ? error.message : String(error)}\n`);
    process.exit(known ? 2 : 1);
  }
}
