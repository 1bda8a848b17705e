/**
 * Redrive on the emulators: a batch forced into the S3 on-failure destination by injected
 * failures (every raw write crashes, retries exhausted) comes back through the consumer's own
 * batch function once — also when some of its records arrived normally meanwhile, when the
 * redrive runs twice, and when a redrive is killed half-way and run again.
 * accepted = stored + bad after each (handlers/consumer/test-support/exactly-once.ts).
 */
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { crash } from '../handlers/faults/faults';
import { useConsumerTestStack } from '../handlers/consumer/test-support/consumer-test-stack';
import { expectExactlyOnce } from '../handlers/consumer/test-support/exactly-once';
import {
  failureDocuments,
  putRecords,
  startConsumerMapping,
  waitUntilCheckpointed,
} from '../handlers/consumer/test-support/kinesis-delivery';
import {
  POISON_TEXT,
  type Delivered,
  interleavedSessions,
} from '../handlers/consumer/test-support/scenario';
import type { EventSourceMappingHandle } from '../localstack/event-source-mapping';
import type { EdgeRecord } from '../schemas';
import { runAdmin } from './admin';
import { consumerRunner } from './consumer-runner';
import { ON_FAILURE_PREFIX, REDRIVE_MARKER_PREFIX, type RedriveReport, redrive } from './redrive';
import { lines, printedReport, testTarget } from './test-support/test-target';

let mapping: EventSourceMappingHandle | undefined;

const env = useConsumerTestStack({
  name: 'cli-redrive',
  per: 'test',
  // The mapping calls the consumer: it stops before the consumer and tables go.
  beforeDispose: async () => {
    await mapping?.stop();
    mapping = undefined;
  },
});

const { stored } = env;

const items: Delivered[] = [...interleavedSessions(3, [0, 1, 2]), { poison: POISON_TEXT }];
const events = items.filter((item): item is EdgeRecord => !('poison' in item));

/** Every raw write crashes, retries run out: the whole batch lands in the failures bucket. */
async function forceIntoS3(): Promise<number> {
  env.consumer.faults.add({ operation: 'BatchWriteItem', fault: crash(), times: Infinity });
  mapping = await startConsumerMapping(env.stack, env.consumer, {
    settings: { MaximumRetryAttempts: 1 },
  });
  await waitUntilCheckpointed(mapping, await putRecords(env.stack, items));
  const documents = await failureDocuments(env.stack, mapping);
  expect(documents.flatMap((d) => d.payload.Records)).toHaveLength(items.length);
  expect(documents.every((d) => d.requestContext.condition === 'RetryAttemptsExhausted')).toBe(
    true,
  );
  const before = await stored();
  expect(before.events).toHaveLength(0);
  expect(before.badRows).toHaveLength(0);
  env.consumer.faults.clear();
  return documents.length;
}

async function admin(...argv: string[]): Promise<RedriveReport> {
  const { print, printed } = lines();
  await runAdmin(argv, { target: testTarget(env.stack), print });
  return printedReport<RedriveReport>(printed);
}

async function keys(prefix: string): Promise<string[]> {
  const listing = await env.stack.clients.s3.send(
    new ListObjectsV2Command({ Bucket: env.stack.names.buckets.failures, Prefix: prefix }),
  );
  return (listing.Contents ?? []).map((o) => o.Key ?? '');
}

test('a batch forced into S3 is redriven once; records that also arrived normally, a second run and a forced re-run change nothing', async () => {
  const objects = await forceIntoS3();
  // Two of the records also arrive normally (a producer's re-put) before the redrive.
  const alsoNormal = events.slice(0, 2);
  await waitUntilCheckpointed(
    mapping as EventSourceMappingHandle,
    await putRecords(env.stack, alsoNormal),
  );

  const dry = await admin('redrive', '--dry-run');
  expect(dry).toMatchObject({ objects, redriven: 0, records: items.length, stored: 0 });
  expect((await stored()).events).toHaveLength(alsoNormal.length);

  const first = await admin('redrive');
  expect(first).toMatchObject({
    objects,
    redriven: objects,
    records: items.length,
    stored: events.length - alsoNormal.length,
    bad: 1,
    alreadyApplied: alsoNormal.length,
  });
  const after = await stored();
  expectExactlyOnce(after, { events, badRecords: 1 }, env.consumer.config);

  const second = await admin('redrive');
  expect(second).toMatchObject({ objects, redriven: 0, alreadyDone: objects, records: 0 });
  // Forced through the consumer again: its guards make it a no-op.
  const forced = await admin('redrive', '--include-processed');
  expect(forced).toMatchObject({
    redriven: objects,
    stored: 0,
    bad: 1,
    alreadyApplied: events.length,
  });
  expect(await stored()).toEqual(after);

  // Marked, not deleted, until the operator says so.
  expect(await keys(ON_FAILURE_PREFIX)).toHaveLength(objects);
  expect(await keys(REDRIVE_MARKER_PREFIX)).toHaveLength(objects);
  const purge = await admin('redrive', '--delete-processed');
  expect(purge).toMatchObject({ deleted: objects, alreadyDone: objects, redriven: 0 });
  expect(await keys(ON_FAILURE_PREFIX)).toHaveLength(0);
  expect(await keys(REDRIVE_MARKER_PREFIX)).toHaveLength(0);
  expectExactlyOnce(await stored(), { events, badRecords: 1 }, env.consumer.config);
});

test('a redrive killed mid-way and run again finishes the job with no double count, listing one key per page', async () => {
  const objects = await forceIntoS3();
  expect(objects).toBeGreaterThan(2);
  const runner = () => consumerRunner(testTarget(env.stack).consumer, env.stack.clients);
  // One key per listing page: every object after the first is reached by continuing a truncated
  // listing (as a bucket of more than 1,000 objects is on AWS), and the crash and the resume
  // both fall on a page boundary.
  const pageSize = 1;

  await expect(
    redrive(env.stack.clients.s3, runner(), {
      bucket: env.stack.names.buckets.failures,
      pageSize,
      afterObject: (_key, finished) => {
        if (finished === 2) throw new Error('killed after 2 objects');
      },
    }),
  ).rejects.toThrow('killed after 2 objects');
  const half = await stored();
  expect(half.events.length + half.badRows.length).toBeGreaterThan(0);
  expect(half.events.length + half.badRows.length).toBeLessThan(items.length);

  // A fresh process (empty session cache) resumes, through the admin command's --page-size.
  const resumed = await admin('redrive', '--page-size', String(pageSize));
  expect(resumed).toMatchObject({ objects, alreadyDone: 2, redriven: objects - 2 });
  expectExactlyOnce(await stored(), { events, badRecords: 1 }, env.consumer.config);
  await expect(admin('redrive', '--page-size', '0')).rejects.toThrow(
    'received --page-size "0" (expected an integer from 1 to 1000)',
  );
});

test('no AWS credentials: the redrive says so and what it expected', async () => {
  // The SDK's own default chain, with nothing to find: no keys, no profile files, no instance role.
  const saved = { ...process.env };
  for (const name of [
    'AWS_ACCESS_KEY_ID',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_SESSION_TOKEN',
    'AWS_PROFILE',
  ]) {
    delete process.env[name];
  }
  Object.assign(process.env, {
    AWS_CONFIG_FILE: '/nonexistent/aws-config',
    AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/aws-credentials',
    AWS_EC2_METADATA_DISABLED: 'true',
  });
  const s3 = new S3Client({
    region: 'us-east-1',
    endpoint: env.stack.endpoint,
    forcePathStyle: true,
  });
  try {
    await expect(
      redrive(s3, consumerRunner(testTarget(env.stack).consumer, env.stack.clients), {
        bucket: env.stack.names.buckets.failures,
      }),
    ).rejects.toThrow(
      /redrive from bucket .*: no AWS credentials found .*expected credentials from the standard chain/,
    );
  } finally {
    s3.destroy();
    process.env = saved;
  }
});
