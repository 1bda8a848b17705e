/**
 * Oversized bad-row payloads. A Kinesis record may carry 1 MB, a DynamoDB item holds 400 KB, so
 * a bad row whose item would exceed {@link BAD_ROW_INLINE_LIMIT_BYTES} keeps its payload in the
 * failures bucket instead (never dropped, never truncated): the object body is `payloadBase64`
 * exactly as delivered (even when it is not valid base64), its key derives from the item's
 * deterministic pk/sk so a redelivery overwrites it, and it is written before the item so an
 * item never points at a missing object.
 *
 * Why 64 KB and not just under 400 KB: DynamoDB bills a write unit per started KB, so a 64 KB
 * item costs 64 units ($0.00004) while an S3 PUT costs $0.000005; small bad rows stay inline,
 * where they are easiest to read.
 */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { BadRowItem } from '../../schemas';
import { type Deadline, withinDeadline } from './deadline';
import { toItem } from './item-codec';
import { itemSize } from './item-size';

export const BAD_ROW_INLINE_LIMIT_BYTES = 64 * 1024;

/** Key prefix of offloaded payloads in the failures bucket (the consumer may write only there). */
export const BAD_ROW_PAYLOAD_PREFIX = 'bad-rows/';

/** Object key of an offloaded payload: `bad-rows/<pk>/<sk>` with `#` as path separators. */
export function badRowPayloadKey(item: Pick<BadRowItem, 'pk' | 'sk'>): string {
  return `${BAD_ROW_PAYLOAD_PREFIX}${item.pk}/${item.sk}`.replace(/#/g, '/');
}

export class BadRowPayloadStore {
  constructor(
    private readonly s3: S3Client,
    private readonly bucket: string,
    private readonly deadline: Deadline,
    private readonly inlineLimitBytes = BAD_ROW_INLINE_LIMIT_BYTES,
  ) {}

  /** The item to write: unchanged when small enough, else referencing its stored payload. */
  async prepare(item: BadRowItem): Promise<BadRowItem> {
    if (itemSize(toItem(item)) <= this.inlineLimitBytes) return item;
    const key = badRowPayloadKey(item);
    await withinDeadline(this.deadline, `PutObject ${this.bucket}/${key}`, (abortSignal) =>
      this.s3.send(
        new PutObjectCommand({
          Bucket: this.bucket,
          Key: key,
          Body: item.payloadBase64,
          ContentType: 'text/plain; charset=us-ascii',
          Metadata: { reason: item.reason, 'payload-bytes': String(item.payloadBytes) },
        }),
        { abortSignal },
      ),
    );
    return { ...item, payloadBase64: '', payloadObject: { bucket: this.bucket, key } };
  }
}
