/** `admin bad-rows list | show | replay` (cli/bad-rows.ts). */
import type { Command } from '../command';
import { consumerRunner } from '../consumer-runner';
import {
  badRowKey,
  badRowsOfDay,
  getBadRow,
  parseDay,
  parseReason,
  payloadOf,
  replayBadRows,
} from '../bad-rows';
import { CliTargetError, CliUsageError } from '../errors';
import { verifyTables } from '../target';

const DEFAULT_LIST_LIMIT = 50;

function limitOf(value: unknown): number {
  if (value === undefined) return DEFAULT_LIST_LIMIT;
  const limit = Number(value);
  if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
    throw new CliUsageError(`--limit ${JSON.stringify(value)} is invalid (expected 1–10000)`);
  }
  return limit;
}

function oneLine(text: string, max = 100): string {
  const flat = text.replace(/\s+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

export const badRowsListCommand: Command = {
  name: 'bad-rows list',
  summary: 'bad rows of a UTC arrival day (optionally one reason), paged Queries',
  usage: '--day YYYY-MM-DD [--reason R] [--limit N] [--after CURSOR]',
  options: {
    day: { type: 'string' },
    reason: { type: 'string' },
    limit: { type: 'string' },
    after: { type: 'string' },
  },
  async run({ target, clients, print }, values) {
    const day = parseDay(values['day']);
    const reason = parseReason(values['reason']);
    const limit = limitOf(values['limit']);
    await verifyTables(clients.dynamodb, target, ['badRows']);
    let shown = 0;
    let last: string | undefined;
    for await (const { row, cursor } of badRowsOfDay(clients.dynamodb, {
      table: target.tables.badRows,
      day,
      reason,
      after: typeof values['after'] === 'string' ? values['after'] : undefined,
    })) {
      if (shown === limit) {
        print(
          `more: npm run admin -- bad-rows list --day ${day}${reason === undefined ? '' : ` --reason ${reason}`} --after ${last}`,
        );
        return;
      }
      print(
        `${row.sk}  ${row.reason}  site=${row.siteId ?? '?'} event=${row.eventId ?? '?'}  ${oneLine(row.message)}`,
      );
      shown += 1;
      last = cursor;
    }
    print(`${shown} bad rows of ${day}${reason === undefined ? '' : ` with reason ${reason}`}`);
  },
};

export const badRowsShowCommand: Command = {
  name: 'bad-rows show',
  summary: 'one bad row in full, with its original payload decoded',
  usage: '--day YYYY-MM-DD --id SK',
  options: { day: { type: 'string' }, id: { type: 'string' } },
  async run({ target, clients, print }, values) {
    const day = parseDay(values['day']);
    if (typeof values['id'] !== 'string') {
      throw new CliUsageError(
        '--id is missing (expected a bad row sk as `bad-rows list` prints it)',
      );
    }
    await verifyTables(clients.dynamodb, target, ['badRows']);
    const key = badRowKey(day, values['id']);
    const row = await getBadRow(clients.dynamodb, target.tables.badRows, key);
    if (row === undefined) {
      throw new CliTargetError(
        `no bad row ${key.sk} of ${day} in ${target.tables.badRows} (expected one that \`bad-rows list --day ${day}\` prints)`,
      );
    }
    print(JSON.stringify({ ...row, payloadBase64: undefined }, null, 2));
    const payload = Buffer.from(await payloadOf(clients.s3, row), 'base64');
    print(`payload (${payload.length} bytes, as text):`);
    print(payload.toString('utf8'));
  },
};

export const badRowsReplayCommand: Command = {
  name: 'bad-rows replay',
  summary: 'replay bad rows through the current validation; those that pass become events once',
  usage: '--reason R --day YYYY-MM-DD [--dry-run]',
  options: { day: { type: 'string' }, reason: { type: 'string' }, 'dry-run': { type: 'boolean' } },
  async run({ target, clients, print }, values) {
    const day = parseDay(values['day']);
    const reason = parseReason(values['reason']);
    if (reason === undefined) {
      throw new CliUsageError('--reason is missing (replay works on one reason of one day)');
    }
    await verifyTables(clients.dynamodb, target, [
      'events',
      'sessions',
      'activeSessions',
      'badRows',
    ]);
    const dryRun = values['dry-run'] === true;
    print(`replay ${dryRun ? '(dry run) ' : ''}of ${reason} bad rows of ${day} on ${target.label}`);
    const report = await replayBadRows(consumerRunner(target.consumer, clients), {
      dynamodb: clients.dynamodb,
      s3: clients.s3,
      table: target.tables.badRows,
      failureBucket: target.failureBucket,
      day,
      reason,
      dryRun,
      print,
    });
    print(
      `report: rows ${report.rows}: ${dryRun ? 'would pass' : 'now valid'} ${report.nowValid} ` +
        `(stored ${report.stored}), still bad ${report.stillBad}, skipped ${report.skipped}`,
    );
    print(`report-json ${JSON.stringify(report)}`);
  },
};
