/** What became of each input record: exactly one outcome per record (DESIGN.md invariant 1). */
import type { BadRowReason } from '../schemas';

export type RecordOutcome =
  | {
      readonly kind: 'stored';
      readonly sequenceNumber: string;
      readonly eventId: string;
      /**
       * An earlier record of the batch carried the same event (same session and eventId, e.g. a
       * producer retry): the one raw row and the session count it once.
       */
      readonly duplicate: boolean;
    }
  | { readonly kind: 'bad'; readonly sequenceNumber: string; readonly reason: BadRowReason };
