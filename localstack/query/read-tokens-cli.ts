/**
 * `npm run read-tokens -- <command>`: issues and revokes query-API read tokens of the running
 * local product (the ReadTokens table behind LIVEINSIGHT_AWS_PORT, stage LIVEINSIGHT_STAGE).
 * A token is printed once, with its dashboard link; only its SHA-256 is stored.
 */
import { parseArgs } from 'node:util';
import { createAwsClients } from '../../handlers/aws-clients';
import { issueReadToken, revokeReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import { resourceNames } from '../../infra/resources';
import { readLocalConfig } from '../local-config';
import { dashboardUrl } from './dashboard-path';

const USAGE = `usage: npm run read-tokens -- <command>
  issue <siteId> [--label L] [--days N]   prints a new read token and the dashboard link (once)
  revoke <siteId> <token>                 the token stops reading (authorizer caches: up to 60 s)`;

class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

async function main(argv: readonly string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: { label: { type: 'string' }, days: { type: 'string' } },
  });
  const [command, siteId, token] = positionals;
  if (siteId === undefined) throw new CliUsageError(USAGE);
  const config = readLocalConfig();
  const endpoint = `http://127.0.0.1:${config.awsPort}`;
  const table = resourceNames(config.stage).tables.readTokens;
  const clients = createAwsClients({ endpoint, region: 'us-east-1' }, { maxAttempts: 1 });
  try {
    if (command === 'issue') {
      const days = values.days === undefined ? undefined : Number(values.days);
      if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) {
        throw new CliUsageError(
          `--days ${JSON.stringify(values.days)} is invalid (expected 1–365)`,
        );
      }
      const issued = await issueReadToken(clients.dynamodb, table, siteId, {
        nowMs: Date.now(),
        label: values.label ?? 'cli',
        ...(days === undefined ? {} : { ttlSeconds: days * 86_400 }),
      });
      console.log(`read token of ${siteId}: ${issued}`);
      console.log(
        `dashboard: ${dashboardUrl(`http://localhost:${config.edgePort}`, siteId, issued)}`,
      );
    } else if (command === 'revoke') {
      if (token === undefined) throw new CliUsageError(`missing <token>\n${USAGE}`);
      await revokeReadToken(clients.dynamodb, table, siteId, token);
      console.log(`revoked that read token of ${siteId}`);
    } else {
      throw new CliUsageError(`unknown command ${JSON.stringify(command)}\n${USAGE}`);
    }
  } finally {
    clients.destroy();
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : String(error));
  process.exitCode = error instanceof CliUsageError ? 2 : 1;
});
