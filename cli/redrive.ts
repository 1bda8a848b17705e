/**
 * Redrive: the consumer's S3 on-failure objects back through the consumer's own batch function.
 *
 * - Exactly once: nothing here decides what is new — the consumer's guards do (deterministic raw
 *   keys, the session's applied-seq set, the ActiveSessions guard), so a second redrive, or a
 *   redrive of records that also arrived normally, changes nothing.
 * - Resumable: an object is marked done by a marker object `redrive-done/<key>` written only after
 *   every record of it is stored or a bad row; a crash leaves the object unmarked and the next run
 *   does it again (harmless, see above). Marked objects are skipped; they are deleted (object,
 *   then marker) only with `deleteProcessed`.
 * - Bounded memory: the listing is paged (≤ 1,000 keys a page, `pageSize`) and one object is held at a time
 *   (a Lambda payload: ≤ 6 MB).
 */
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  PutObjectCommand,
  type S3Client,
  ListObjectsV2Command,
  type _Object,
} from '@aws-sdk/client-s3';
import type { ConsumerRunner } from './consumer-runner';
import { CliTargetError, explainAwsError } from './errors';
import { parseFailureObject } from './failure-object';

/** Where Lambda writes on-failure objects of every mapping (`aws/lambda/<uuid>/<shard>/…`). */
export const ON_FAILURE_PREFIX = 'aws/lambda/';
/** S3's most keys per ListObjectsV2 page (MaxKeys): the default listing page. */
export const MAX_LIST_PAGE_SIZE = 1000;
/** Marker objects: outside ON_FAILURE_PREFIX, so the listing never meets them. */
export const REDRIVE_MARKER_PREFIX = 'redrive-done/';

export interface RedriveOptions {
  readonly bucket: string;
  readonly dryRun?: boolean;
  /** Redrive marked objects too (the consumer's guards make it a no-op; proves it). */
  readonly includeProcessed?: boolean;
  /** Delete each object that is marked done (now or earlier), then its marker. */
  readonly deleteProcessed?: boolean;
  /** Attempts per object when some writes fail transiently (throttling, 5xx). */
  readonly attempts?: number;
  /** Keys per listing page (default and S3's maximum: MAX_LIST_PAGE_SIZE). */
  readonly pageSize?: number;
  readonly print?: (line: string) => void;
  /** Called after each object is finished: the tests' crash point. */
  readonly afterObject?: (key: string, finished: number) => void | Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
}

export interface RedriveReport {
  /** Consumer on-failure objects seen. */
  objects: number;
  /** Objects replayed in this run (and then marked). */
  redriven: number;
  /** Objects already marked done and skipped. */
  alreadyDone: number;
  /** On-failure objects of other functions (processor, rollup), left as they are. */
  otherFunctions: number;
  deleted: number;
  records: number;
  /** Events applied for the first time. */
  stored: number;
  /** Records that are bad rows (written, or overwritten with the same key). */
  bad: number;
  /** Records that changed nothing: their event was applied before (or repeats one in the batch). */
  alreadyApplied: number;
}

export function markerKey(key: string): string {
  return `${REDRIVE_MARKER_PREFIX}${key}`;
}

export async function redrive(
  s3: S3Client,
  consumer: ConsumerRunner,
  options: RedriveOptions,
): Promise<RedriveReport> {
  const print = options.print ?? (() => undefined);
  const attempts = options.attempts ?? 5;
  const sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
  const report: RedriveReport = {
    objects: 0,
    redriven: 0,
    alreadyDone: 0,
    otherFunctions: 0,
    deleted: 0,
    records: 0,
    stored: 0,
    bad: 0,
    alreadyApplied: 0,
  };
  const bucket = options.bucket;
  let finished = 0;
  try {
    for await (const entry of listKeys(
      s3,
      bucket,
      ON_FAILURE_PREFIX,
      options.pageSize ?? MAX_LIST_PAGE_SIZE,
    )) {
      const key = entry.Key;
      if (key === undefined) continue;
      const done = await isMarked(s3, bucket, key);
      // Only the consumer's objects are ever marked: a marked one needs no reading.
      const parsed =
        done && options.includeProcessed !== true
          ? undefined
          : parseFailureObject(await readObject(s3, bucket, key), key);
      if (parsed?.kind === 'other') {
        report.otherFunctions += 1;
        print(`skip   ${key}: ${parsed.description}`);
        continue;
      }
      report.objects += 1;
      if (parsed === undefined) {
        report.alreadyDone += 1;
        print(`done   ${key} (marked earlier)`);
      } else if (options.dryRun === true) {
        report.records += parsed.records.length;
        print(`would  ${key}: ${parsed.records.length} records (${parsed.condition})`);
      } else {
        const counts = await replayObject(consumer, key, parsed.records, attempts, sleep);
        report.redriven += 1;
        report.records += parsed.records.length;
        report.stored += counts.stored;
        report.bad += counts.bad;
        report.alreadyApplied += counts.alreadyApplied;
        await s3.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: markerKey(key),
            Body: JSON.stringify({ redrivenAt: new Date().toISOString(), ...counts }),
            ContentType: 'application/json',
          }),
        );
        print(
          `redriven ${key}: ${parsed.records.length} records, ${counts.stored} stored, ` +
            `${counts.bad} bad, ${counts.alreadyApplied} already applied`,
        );
      }
      if (options.deleteProcessed === true && (done || options.dryRun !== true)) {
        if (options.dryRun === true) {
          print(`would delete ${key}`);
        } else {
          // The object first: a crash in between leaves a marker of nothing, which is harmless.
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
          await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: markerKey(key) }));
          report.deleted += 1;
        }
      }
      finished += 1;
      await options.afterObject?.(key, finished);
    }
  } catch (error) {
    throw explainAwsError(error, `redrive from bucket ${bucket}`);
  }
  return report;
}

/**
 * The keys under `prefix`, one page (≤ `pageSize`) in memory at a time. Each page starts after
 * the last key of the one before (StartAfter; S3 supports it as well as continuation tokens, and
 * it needs no state but the key). Locally s3rver makes a DES token for every truncated listing
 * and runs with OpenSSL's legacy provider for it (localstack/emulators/s3rver.ts); the tests
 * list one key per page to cross page boundaries.
 */
async function* listKeys(
  s3: S3Client,
  bucket: string,
  prefix: string,
  pageSize: number,
): AsyncGenerator<_Object> {
  let startAfter: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectsV2Command({
        Bucket: bucket,
        Prefix: prefix,
        MaxKeys: pageSize,
        ...(startAfter === undefined ? {} : { StartAfter: startAfter }),
      }),
    );
    const contents = page.Contents ?? [];
    yield* contents;
    const last = contents[contents.length - 1]?.Key;
    if (page.IsTruncated !== true || last === undefined) return;
    startAfter = last;
  }
}

async function isMarked(s3: S3Client, bucket: string, key: string): Promise<boolean> {
  try {
    await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: markerKey(key) }));
    return true;
  } catch (error) {
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (status === 404 || (error as Error).name === 'NotFound') return false;
    throw error;
  }
}

async function readObject(s3: S3Client, bucket: string, key: string): Promise<string> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await object.Body?.transformToString('utf8')) ?? '';
}

interface ObjectCounts {
  readonly stored: number;
  readonly bad: number;
  readonly alreadyApplied: number;
}

/**
 * Replays one object's records until none failed transiently. Each attempt replays all of them:
 * what an earlier attempt stored is "already applied" to the next, as for Lambda's own retries.
 */
async function replayObject(
  consumer: ConsumerRunner,
  key: string,
  records: Parameters<ConsumerRunner['replay']>[0],
  attempts: number,
  sleep: (ms: number) => Promise<void>,
): Promise<ObjectCounts> {
  let stored = 0;
  for (let attempt = 1; ; attempt += 1) {
    const { report, failed } = await consumer.replay(records);
    stored += report.written.newEvents;
    if (failed.size === 0) {
      const bad = report.written.badRows;
      return { stored, bad, alreadyApplied: Math.max(0, records.length - stored - bad) };
    }
    if (attempt >= attempts) {
      throw new CliTargetError(
        `object ${key}: ${failed.size} of ${records.length} records still failed after ` +
          `${attempts} attempts (${report.firstError ?? 'no error reported'}); expected none — ` +
          'the object stays unmarked, run redrive again once the stage is healthy',
      );
    }
    await sleep(Math.min(5_000, 200 * 2 ** attempt));
  }
}
