/** `admin redrive`: the consumer's S3 on-failure objects back through the consumer (cli/redrive.ts). */
import type { Command } from '../command';
import { consumerRunner } from '../consumer-runner';
import { redrive } from '../redrive';
import { verifyTables } from '../target';

export const redriveCommand: Command = {
  name: 'redrive',
  summary:
    "replay the consumer's S3 on-failure batches through the consumer, once; mark each object done",
  usage: '[--dry-run] [--delete-processed] [--include-processed]',
  options: {
    'dry-run': { type: 'boolean' },
    'delete-processed': { type: 'boolean' },
    'include-processed': { type: 'boolean' },
  },
  async run({ target, clients, print }, values) {
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
