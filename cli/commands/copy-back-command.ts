/**
 * `admin copy-back --from <restored table> --to <table> [--rate <WCU/s>] [--checkpoint <file>]
 * [--dry-run]`: copies a PITR/backup restore back into the stack's table (cli/copy-back.ts).
 */
import type { Command, OptionValues } from '../command';
import { copyBack } from '../copy-back';
import { CliTargetError, CliUsageError } from '../errors';

/** Default write units per second: a fifth of one partition's 1,000 WCU/s. */
export const DEFAULT_COPY_RATE_WCU = 200;

function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

export const copyBackCommand: Command = {
  name: 'copy-back',
  summary:
    "copy a restored table (PITR restores into a new one) into the stack's table: throttled, resumable, verified",
  usage: '--from <restored table> --to <table> [--rate <WCU/s>] [--checkpoint <file>] [--dry-run]',
  options: {
    from: { type: 'string' },
    to: { type: 'string' },
    rate: { type: 'string' },
    checkpoint: { type: 'string' },
    'dry-run': { type: 'boolean' },
  },
  async run({ target, clients, print }, values) {
    const from = text(values, 'from');
    const to = text(values, 'to');
    if (from === undefined || to === undefined) {
      throw new CliUsageError(
        `copy-back: --from and --to are required (received --from ${String(from)} --to ${String(to)}; expected the restored table and the stack's table)`,
      );
    }
    const rateText = text(values, 'rate');
    const rateWcu = rateText === undefined ? DEFAULT_COPY_RATE_WCU : Number(rateText);
    if (!Number.isFinite(rateWcu) || rateWcu <= 0) {
      throw new CliUsageError(
        `copy-back: --rate ${JSON.stringify(rateText)} (expected write units per second, a number > 0)`,
      );
    }
    if (!Object.values(target.tables).includes(to)) {
      print(
        `note: ${to} is not one of ${target.label}'s tables (${Object.values(target.tables).join(', ')})`,
      );
    }
    const report = await copyBack(clients.dynamodb, {
      from,
      to,
      rateWcu,
      checkpointFile: text(values, 'checkpoint') ?? `copy-back.${from}.${to}.checkpoint.json`,
      dryRun: values['dry-run'] === true,
      print,
    });
    print(
      `report ${JSON.stringify({
        command: 'copy-back',
        from,
        to,
        copied: report.copied,
        copiedThisRun: report.copiedThisRun,
        resumedAt: report.resumedAt,
        writeUnits: report.writeUnits,
        retries: report.retries,
        sourceItems: report.source.count,
        targetItems: report.target?.count ?? null,
        verified: report.verified,
      })}`,
    );
    if (values['dry-run'] !== true && !report.verified) {
      throw new CliTargetError(
        `copy-back: ${to} does not match ${from} after the copy (see the lines above)`,
      );
    }
  },
};
