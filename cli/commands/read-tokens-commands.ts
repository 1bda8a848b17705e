/**
 * `admin read-tokens issue | revoke`: the dashboard's per-site read tokens, on the local stack or
 * a deployed stage (`--stage`) alike — the one way to give a deployed dashboard its token. A token
 * is printed once; only its SHA-256 is stored (handlers/authorizer/dynamo-read-tokens.ts).
 */
import { issueReadToken, revokeReadToken } from '../../handlers/authorizer/dynamo-read-tokens';
import type { Command } from '../command';
import { CliUsageError } from '../errors';
import { dashboardLine } from '../onboarding-links';
import { verifyTables } from '../target';

const MAX_DAYS = 365;

function requiredString(values: Readonly<Record<string, unknown>>, name: string): string {
  const value = values[name];
  if (typeof value !== 'string' || value === '') {
    throw new CliUsageError(`--${name} is missing (expected --${name} <value>)`);
  }
  return value;
}

function daysOf(value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const days = Number(value);
  if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) {
    throw new CliUsageError(
      `--days ${JSON.stringify(value)} is invalid (expected a whole number from 1 to ${MAX_DAYS})`,
    );
  }
  return days;
}

export const readTokensIssueCommand: Command = {
  name: 'read-tokens issue',
  summary: "issues a site's read token for the dashboard and the query API (printed once)",
  usage: '--site ID [--label L] [--days N]',
  options: { site: { type: 'string' }, label: { type: 'string' }, days: { type: 'string' } },
  async run({ target, clients, print }, values) {
    const site = requiredString(values, 'site');
    const days = daysOf(values['days']);
    await verifyTables(clients.dynamodb, target, ['readTokens']);
    const token = await issueReadToken(clients.dynamodb, target.tables.readTokens, site, {
      nowMs: Date.now(),
      label: typeof values['label'] === 'string' ? values['label'] : 'admin',
      ...(days === undefined ? {} : { ttlSeconds: days * 86_400 }),
    });
    print(`read token of ${site} (${target.label}): ${token}`);
    print(dashboardLine(target, site, token));
  },
};

export const readTokensRevokeCommand: Command = {
  name: 'read-tokens revoke',
  summary: 'revokes a read token: it stops reading once authorizer caches expire',
  usage: '--site ID --token TOKEN',
  options: { site: { type: 'string' }, token: { type: 'string' } },
  async run({ target, clients, print }, values) {
    const site = requiredString(values, 'site');
    const token = requiredString(values, 'token');
    await verifyTables(clients.dynamodb, target, ['readTokens']);
    await revokeReadToken(clients.dynamodb, target.tables.readTokens, site, token);
    print(`revoked that read token of ${site} (${target.label})`);
  },
};
