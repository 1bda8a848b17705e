// When a lane invokes, and with how many records: Lambda invokes once BatchSize records are
// buffered, once the batching window (counted from the first buffered record) has passed, or
// once the 6 MB invoke payload is full — whichever comes first. Pure.
import { MAX_INVOKE_PAYLOAD_BYTES } from './settings';

export interface QueuedRecordInfo {
  readonly payloadBytes: number;
  /** When the poller read the record (epoch ms); the batching window starts at the first one. */
  readonly readAtMs: number;
}

export interface BatchLimits {
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly maxPayloadBytes?: number;
}

export type BatchDecision =
  | { readonly kind: 'invoke'; readonly count: number }
  | { readonly kind: 'wait-until'; readonly atMs: number }
  | { readonly kind: 'idle' };

/** `{"Records":[` + `]}`. */
const ENVELOPE_BYTES = Buffer.byteLength('{"Records":[]}');

/**
 * Decides for one lane. `flush` (the shard is closed and fully read, or records must go now)
 * invokes with whatever is buffered instead of waiting out the window.
 */
export function decideBatch(
  queue: ReadonlyArray<QueuedRecordInfo>,
  limits: BatchLimits,
  nowMs: number,
  flush: boolean,
): BatchDecision {
  const first = queue[0];
  if (first === undefined) return { kind: 'idle' };
  const maxPayload = limits.maxPayloadBytes ?? MAX_INVOKE_PAYLOAD_BYTES;
  const fitting = countFitting(queue, limits.batchSize, maxPayload);
  const full = fitting === limits.batchSize || fitting < Math.min(queue.length, limits.batchSize);
  const windowEndsAt = first.readAtMs + limits.batchingWindowMs;
  if (full || flush || nowMs >= windowEndsAt) return { kind: 'invoke', count: fitting };
  return { kind: 'wait-until', atMs: windowEndsAt };
}

/** How many records from the head fit in one invocation (always at least one). */
export function countFitting(
  queue: ReadonlyArray<QueuedRecordInfo>,
  batchSize: number,
  maxPayloadBytes: number = MAX_INVOKE_PAYLOAD_BYTES,
): number {
  let bytes = ENVELOPE_BYTES;
  let count = 0;
  for (const record of queue) {
    if (count === batchSize) break;
    const next = bytes + record.payloadBytes + (count === 0 ? 0 : 1);
    if (next > maxPayloadBytes && count > 0) break;
    bytes = next;
    count += 1;
  }
  return count;
}
