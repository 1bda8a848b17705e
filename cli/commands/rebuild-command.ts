/**
 * `admin rebuild --site <id> [--from <time>] [--to <time>] [--session <id>]... [--dry-run]`:
 * Sessions, ActiveSessions and the realtime rollup of a site recomputed from the raw Events table
 * (cli/rebuild.ts).
 */
import type { Command, OptionValues } from '../command';
import { CliUsageError } from '../errors';
import { checkRange, rebuildSite } from '../rebuild';
import { verifyTables } from '../target';

const DAY_MS = 86_400_000;

/** An ISO 8601 instant or day (`2026-12-07`, `2026-12-07T10:00:00Z`) or epoch milliseconds. */
export function parseInstant(option: string, text: string): number {
  const ms = /^\d+$/.test(text) ? Number(text) : Date.parse(text);
  if (!Number.isFinite(ms)) {
    throw new CliUsageError(
      `rebuild: --${option} ${JSON.stringify(text)} is not a time (expected an ISO 8601 day or instant, e.g. 2026-12-07 or 2026-12-07T10:00:00Z, or epoch ms)`,
    );
  }
  return ms;
}

function text(values: OptionValues, name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}

export const rebuildCommand: Command = {
  name: 'rebuild',
  summary:
    'recompute Sessions, ActiveSessions and the realtime rollup of a site (sessions started in a range) from raw Events',
  usage: '--site <id> [--from <time>] [--to <time>] [--session <id>]... [--dry-run]',
  options: {
    site: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    session: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  },
  async run({ target, clients, print }, values) {
    const siteId = text(values, 'site');
    if (siteId === undefined || siteId === '') {
      throw new CliUsageError('rebuild: --site is missing (expected the site id to rebuild)');
    }
    const now = Date.now();
    const to = text(values, 'to');
    const from = text(values, 'from');
    const toMs = to === undefined ? now : parseInstant('to', to);
    const fromMs = from === undefined ? toMs - DAY_MS : parseInstant('from', from);
    checkRange(fromMs, toMs);
    const sessions = (values as Readonly<Record<string, unknown>>)['session'];
    const sessionIds = Array.isArray(sessions) ? sessions.map(String) : undefined;
    const dryRun = values['dry-run'] === true;
    await verifyTables(clients.dynamodb, target, [
      'events',
      'sessions',
      'activeSessions',
      'realtimeRollups',
    ]);
    print(
      `rebuild ${siteId} on ${target.label}: ${
        sessionIds === undefined
          ? `sessions started ${new Date(fromMs).toISOString()} .. ${new Date(toMs).toISOString()}`
          : `sessions ${sessionIds.join(', ')}`
      }${dryRun ? ' (dry run: nothing is written)' : ''}`,
    );
    const report = await rebuildSite(
      clients.dynamodb,
      {
        events: target.tables.events,
        sessions: target.tables.sessions,
        activeSessions: target.tables.activeSessions,
        realtimeRollups: target.tables.realtimeRollups,
      },
      {
        siteId,
        fromMs,
        toMs,
        ...(sessionIds === undefined ? {} : { sessionIds }),
        shards: target.consumer.shardPlan ?? target.consumer.activeSessionShards,
        dryRun,
        now,
        print,
      },
    );
    const verb = dryRun ? 'would be' : '';
    print(
      `sessions ${report.sessions} (events ${report.events}, repeated seqs ignored ${report.duplicateSeqs}): ` +
        `unchanged ${report.sessionsUnchanged}, rewritten ${report.sessionsRewritten}${verb && ' (would be)'}, ` +
        `created ${report.sessionsCreated}, without raw events ${report.sessionsWithoutEvents}, conflicts redone ${report.conflicts}`,
    );
    print(
      `active sessions: written ${report.activeWritten}${verb && ' (would be)'}, unchanged ${report.activeUnchanged}, ` +
        `expired (not written) ${report.activeExpired}, ended (over but stored active) ${report.activeEnded}${verb && ' (would be)'}, ` +
        `newer kept ${report.activeNewerKept}; realtime rollup: page views corrected for ${report.rollupCorrected} session(s)${verb && ' (would be)'}`,
    );
    print(`report ${JSON.stringify({ command: 'rebuild', siteId, dryRun, ...report })}`);
  },
};
