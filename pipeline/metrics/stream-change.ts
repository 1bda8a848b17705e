/**
 * One DynamoDB Streams change, already parsed: which table, which event, the images that event
 * carries, and who removed the item. The processor handler builds these from Lambda's records
 * (schemas validate the images); the derivation reads nothing else.
 */
import type { ActiveSessionItem, SessionItem } from '../../schemas';

/**
 * Who deleted an item. DynamoDB TTL deletes carry userIdentity {type: "Service", principalId:
 * "dynamodb.amazonaws.com"}; anything else (a user, an application, a script) is `principal`.
 */
export type Remover = 'ttl' | 'principal';

interface ChangeBase {
  /** ApproximateCreationDateTime of the stream record (epoch ms): when the write happened. */
  readonly recordTimeMs: number;
}

export type SessionsChange = ChangeBase & { readonly table: 'sessions' } & (
    | { readonly eventName: 'INSERT'; readonly newImage: SessionItem }
    | {
        readonly eventName: 'MODIFY';
        readonly oldImage: SessionItem;
        readonly newImage: SessionItem;
      }
    | { readonly eventName: 'REMOVE'; readonly oldImage: SessionItem; readonly removedBy: Remover }
  );

export type ActiveSessionsChange = ChangeBase & { readonly table: 'activeSessions' } & (
    | { readonly eventName: 'INSERT'; readonly newImage: ActiveSessionItem }
    | {
        readonly eventName: 'MODIFY';
        readonly oldImage: ActiveSessionItem;
        readonly newImage: ActiveSessionItem;
      }
    | {
        readonly eventName: 'REMOVE';
        readonly oldImage: ActiveSessionItem;
        readonly removedBy: Remover;
      }
  );

export type StreamChange = SessionsChange | ActiveSessionsChange;

export type StreamTable = StreamChange['table'];
