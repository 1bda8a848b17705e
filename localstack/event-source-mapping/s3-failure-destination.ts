// The S3 on-failure destination: one JSON object per discarded chunk, holding Lambda's metadata
// document and the whole invocation payload, under Lambda's key scheme
// aws/lambda/<ESM-UUID>/<shardID>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<Random UUID>.
// AWS documents the payload as `"payload": "<Whole Event>"` without saying whether it is the
// event object or its JSON text; it is stored here as the object ({Records: [...]}), so a
// reader can take it either way with one check.
import { randomUUID } from 'node:crypto';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { FailureDestination, OnFailureRecord } from './ports';

export class S3FailureDestination implements FailureDestination {
  readonly target: string;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    private readonly mappingId: string,
  ) {
    this.target = `arn:aws:s3:::${bucket}`;
  }

  async send(record: OnFailureRecord, signal: AbortSignal): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: failureObjectKey(this.mappingId, record),
        Body: JSON.stringify(record),
        ContentType: 'application/json',
      }),
      { abortSignal: signal },
    );
  }
}

export function failureObjectKey(mappingId: string, record: OnFailureRecord): string {
  const shardId =
    (record.KinesisBatchInfo ?? record.DDBStreamBatchInfo)?.shardId ?? 'unknown-shard';
  const at = record.timestamp; // 2025-01-02T03:04:05.678Z
  const [year, month, day] = at.slice(0, 10).split('-');
  const time = at.slice(0, 19).replaceAll(':', '.');
  return `aws/lambda/${mappingId}/${shardId}/${year}/${month}/${day}/${time}-${randomUUID()}`;
}

/** `arn:aws:s3:::bucket` → `bucket`; undefined for any other ARN. */
export function bucketOfS3Arn(arn: string): string | undefined {
  return /^arn:aws[a-z-]*:s3:::([^/]+)$/.exec(arn)?.[1];
}
