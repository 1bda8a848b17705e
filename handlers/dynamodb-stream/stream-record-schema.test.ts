import { DynamoDBStreamSchema } from '@aws-lambda-powertools/parser/schemas';
import { isValid } from '../../schemas';
import { DynamoDBStreamRecordSchema } from './stream-record-schema';
import {
  MINUTE,
  TABLES,
  activeSessionItemAt,
  recentT0,
  sessionItemAt,
  streamEvent,
  streamRecord,
} from '../processor/__fixtures__/stream-events';

const T0 = recentT0();
const first = sessionItemAt(T0, [{ seq: 0, at: 0 }]);
const second = sessionItemAt(
  T0,
  [
    { seq: 0, at: 0 },
    { seq: 1, at: MINUTE },
  ],
  2,
);
const records = [
  streamRecord({ table: TABLES.sessions, eventName: 'INSERT', newImage: first, createdAt: T0 }),
  streamRecord({
    table: TABLES.sessions,
    eventName: 'MODIFY',
    oldImage: first,
    newImage: second,
    createdAt: T0 + MINUTE,
  }),
  streamRecord({
    table: TABLES.activeSessions,
    eventName: 'REMOVE',
    oldImage: activeSessionItemAt(T0, [{ seq: 0, at: 0 }]),
    createdAt: T0 + 40 * MINUTE,
    ttl: true,
  }),
];

describe('DynamoDBStreamRecordSchema agrees with AWS’s own schema of the event', () => {
  it('fixtures are DynamoDB stream events by Powertools’ DynamoDBStreamSchema', () => {
    const parsed = DynamoDBStreamSchema.safeParse(streamEvent(...records));
    expect(parsed.error).toBeUndefined();
  });

  it.each(records.map((record) => [record.eventName, record] as const))(
    'accepts the %s record Powertools accepts',
    (_name, record) => {
      expect(isValid(DynamoDBStreamRecordSchema, record)).toBe(true);
    },
  );

  it('is stricter in one place: the creation time, which the derivation anchors on', () => {
    const record = structuredClone(records[0]);
    delete record?.dynamodb?.ApproximateCreationDateTime;

    expect(DynamoDBStreamSchema.safeParse({ Records: [record] }).success).toBe(true);
    expect(isValid(DynamoDBStreamRecordSchema, record)).toBe(false);
  });
});
