/** `admin redrive`: the consumer's S3 on-failure objects back through the consumer (cli/redrive.ts). */
import type { Command } from '../command';
import { consumerRunner } from '../consumer-runner';
import { CliUsageError } from '../errors';
import { MAX_LIST_PAGE_SIZE, redrive } from '../redrive';
import { verifyTables } from '../target';

export const redriveCommand: Command = {
  name: 'redrive',
  summary:
    "replay the consumer's S3 on-failure batches through the consumer, once; mark each object done",
  usage: '[--dry-run] [--delete-processed] [--include-processed] [--page-size N]',
  options: {
    'dry-run': { type: 'boolean' },
    'delete-processed': { type: 'boolean' },
    'include-processed': { type: 'boolean' },
    'page-size': { type: 'string' },
  },
  async run({ target, clients, print }, values) {
    const pageSize = pageSizeOf(values['page-size']);
    await verifyTables(clients.dynamodb, target, [
      'events',
      'sessions',
      'activeSessions',
      'badRows',
    ]);
    const dryRun = values['dry-run'] === true;
    print(
      `redrive ${dryRun ? '(dry run) ' : ''}from s3://${target.failureBucket} on ${target.label}`,
    );
    const report = await redrive(clients.s3, consumerRunner(target.consumer, clients), {
      bucket: target.failureBucket,
      dryRun,
      deleteProcessed: values['delete-processed'] === true,
      includeProcessed: values['include-processed'] === true,
      pageSize,
      print,
    });
    print(
      `report: objects ${report.objects} (redriven ${report.redriven}, already done ${report.alreadyDone}, ` +
        `deleted ${report.deleted}), records ${report.records}: stored ${report.stored}, bad ${report.bad}, ` +
        `already applied ${report.alreadyApplied}; other functions' objects left alone ${report.otherFunctions}`,
    );
    print(`report-json ${JSON.stringify(report)}`);
  },
};

/** Keys per listing page: S3's maximum unless told (a smaller page only costs more requests). */
function pageSizeOf(raw: string | boolean | undefined): number {
  if (raw === undefined) return MAX_LIST_PAGE_SIZE;
  const n = Number(raw);
  if (typeof raw !== 'string' || !Number.isInteger(n) || n < 1 || n > MAX_LIST_PAGE_SIZE) {
    throw new CliUsageError(
      `redrive: received --page-size ${JSON.stringify(raw)} (expected an integer from 1 to ${MAX_LIST_PAGE_SIZE})`,
    );
  }
  return n;
}
