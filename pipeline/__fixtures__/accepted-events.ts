/** Events as coalesce receives them: enriched, with their Kinesis origin and payload. */
import type { EnrichedEvent } from '../../schemas';
import type { AcceptedEvent } from '../coalesce';
import { RECEIVED_AT } from './edge-records';
import { SHARD_ID, STREAM_ARN, sequenceNumber } from './kinesis-records';

export function acceptedEvent(event: EnrichedEvent, position: number): AcceptedEvent {
  const text = JSON.stringify({ marker: `payload of position ${position}` });
  return {
    event,
    origin: {
      kind: 'kinesis',
      streamArn: STREAM_ARN,
      shardId: SHARD_ID,
      sequenceNumber: sequenceNumber(position),
      arrivedAt: RECEIVED_AT + position,
      partitionKey: event.sessionId,
    },
    payload: { base64: Buffer.from(text).toString('base64'), bytes: Buffer.byteLength(text) },
  };
}
