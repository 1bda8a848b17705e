/** Events as coalesce receives them: enriched (as Events items), with their Kinesis record. */
import type { EnrichedEvent } from '../../schemas';
import type { AcceptedEvent } from '../coalesce';
import { toEventItem } from '../items';
import { kinesisRecordWithText } from './kinesis-records';

export function acceptedEvent(event: EnrichedEvent, position: number): AcceptedEvent {
  const text = JSON.stringify({ marker: `payload of position ${position}` });
  return {
    event: toEventItem(event),
    input: kinesisRecordWithText(text, { position, partitionKey: event.sessionId }),
  };
}
