/**
 * Lambda DynamoDB stream events shaped exactly like Lambda's (checked against AWS's own schema,
 * Powertools' DynamoDBStreamSchema, in the tests): images as AttributeValue JSON, creation time
 * in epoch seconds, eventID and a stream ARN of the table, TTL deletions with the service
 * identity. Images come from the pipeline's own fold, as the consumer writes them.
 */
import { marshall } from '@aws-sdk/util-dynamodb';
import type { AttributeValue, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import type { ActiveSessionItem, EnrichedEvent, SessionItem } from '../../../schemas';
import { enrichedEvent } from '../../../pipeline/__fixtures__/enriched-events';
import { toActiveSessionItem, toSessionItem } from '../../../pipeline/items';
import { foldEvents } from '../../../pipeline/session-aggregate';
import { TTL_PRINCIPAL } from '../../dynamodb-stream/stream-record-schema';

export const TABLES = { sessions: 'it-sessions', activeSessions: 'it-active-sessions' } as const;
export const MINUTE = 60_000;

export function streamArn(table: string): string {
  return `arn:aws:dynamodb:us-east-1:000000000000:table/${table}/stream/2026-11-21T00:00:00.000`;
}

/**
 * Ten seconds into a minute ten minutes ago: CloudWatch (and the EMF library) accept metric
 * timestamps only from two weeks back to two hours ahead of now.
 */
export function recentT0(): number {
  return (Math.floor(Date.now() / MINUTE) - 10) * MINUTE + 10_000;
}

export type EventSpec = Partial<EnrichedEvent> & { readonly seq: number; readonly at: number };

function eventsAt(t0: number, specs: readonly EventSpec[]): EnrichedEvent[] {
  return specs.map(({ at, ...rest }) => enrichedEvent({ receivedAt: t0 + at, ...rest }));
}

export function sessionItemAt(t0: number, specs: readonly EventSpec[], version = 1): SessionItem {
  return toSessionItem(foldEvents(eventsAt(t0, specs)), version);
}

export function activeSessionItemAt(t0: number, specs: readonly EventSpec[]): ActiveSessionItem {
  return toActiveSessionItem(foldEvents(eventsAt(t0, specs)), 4);
}

let sequence = 1000;

export interface RecordSpec {
  readonly table: string;
  readonly eventName: 'INSERT' | 'MODIFY' | 'REMOVE';
  readonly oldImage?: SessionItem | ActiveSessionItem;
  readonly newImage?: SessionItem | ActiveSessionItem;
  /** Epoch ms of the write; Lambda carries it as whole epoch seconds. */
  readonly createdAt: number;
  /** A TTL deletion (userIdentity of the DynamoDB service). */
  readonly ttl?: boolean;
  readonly sequenceNumber?: string;
}

function attributeMap(value: object): Record<string, AttributeValue> {
  // Our items hold no binary attributes, so the SDK's AttributeValues are Lambda's JSON ones.
  return marshall(value, { removeUndefinedValues: true }) as Record<string, AttributeValue>;
}

export function streamRecord(spec: RecordSpec): DynamoDBRecord {
  const image = spec.newImage ?? spec.oldImage;
  const keys =
    image === undefined
      ? {}
      : 'sk' in image
        ? attributeMap({ pk: image.pk, sk: image.sk })
        : attributeMap({ pk: image.pk });
  sequence += 100;
  const sequenceNumber = spec.sequenceNumber ?? String(sequence).padStart(21, '0');
  return {
    eventID: `e${sequenceNumber.slice(-12)}`,
    eventName: spec.eventName,
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'us-east-1',
    eventSourceARN: streamArn(spec.table),
    dynamodb: {
      ApproximateCreationDateTime: Math.floor(spec.createdAt / 1000),
      Keys: keys,
      ...(spec.newImage === undefined ? {} : { NewImage: attributeMap(spec.newImage) }),
      ...(spec.oldImage === undefined ? {} : { OldImage: attributeMap(spec.oldImage) }),
      SequenceNumber: sequenceNumber,
      SizeBytes: 512,
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
    ...(spec.ttl === true ? { userIdentity: { ...TTL_PRINCIPAL } } : {}),
  };
}

export function streamEvent(...records: DynamoDBRecord[]): DynamoDBStreamEvent {
  return { Records: records };
}
