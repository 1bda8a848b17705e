import { TtlDeletionLog } from './ttl-deletion-log';
import { tableNameFromStreamArn, ttlStreamInterceptor } from './ttl-stream-interceptor';

const STREAM_ARN =
  'arn:aws:dynamodb:ddblocal:000000000000:table/p-sessions/stream/2026-01-01T00:00:00.000';
const keys = { pk: { S: 'site#s1' } };
const oldImage = { ...keys, expiresAt: { N: '1' } };

const json = (value: unknown): Buffer => Buffer.from(JSON.stringify(value));

function removeRecord(id: string, created: number) {
  return {
    eventID: id,
    eventName: 'REMOVE',
    dynamodb: { Keys: keys, OldImage: oldImage, ApproximateCreationDateTime: created },
  };
}

describe('ttlStreamInterceptor', () => {
  it('reads the table from a stream ARN', () => {
    expect(tableNameFromStreamArn(STREAM_ARN)).toBe('p-sessions');
    expect(tableNameFromStreamArn('nonsense')).toBeUndefined();
  });

  it('marks REMOVE records of TTL deletions with the service identity, following iterators', () => {
    // Arrange
    const log = new TtlDeletionLog(() => 1_000_000);
    log.begin('p-sessions', keys).complete(oldImage);
    const interceptor = ttlStreamInterceptor(log);
    interceptor.transform(
      'DynamoDBStreams_20120810.GetShardIterator',
      json({ StreamArn: STREAM_ARN, ShardId: 's', ShardIteratorType: 'TRIM_HORIZON' }),
      json({ ShardIterator: 'it-1' }),
    );
    const first = interceptor.transform(
      'DynamoDBStreams_20120810.GetRecords',
      json({ ShardIterator: 'it-1' }),
      json({ Records: [], NextShardIterator: 'it-2' }),
    );
    expect(JSON.parse(first.toString())).toEqual({ Records: [], NextShardIterator: 'it-2' });

    // Act: the next page, via the iterator handed on.
    const out = interceptor.transform(
      'DynamoDBStreams_20120810.GetRecords',
      json({ ShardIterator: 'it-2' }),
      json({
        Records: [
          {
            eventID: 'ins',
            eventName: 'INSERT',
            dynamodb: { Keys: keys, ApproximateCreationDateTime: 1_000 },
          },
          removeRecord('ttl', 1_000),
          removeRecord('user', 5_000),
        ],
        NextShardIterator: 'it-3',
      }),
    );

    // Assert
    const records = (
      JSON.parse(out.toString()) as { Records: { eventID: string; userIdentity?: unknown }[] }
    ).Records;
    expect(records.map((record) => [record.eventID, record.userIdentity])).toEqual([
      ['ins', undefined],
      ['ttl', { PrincipalId: 'dynamodb.amazonaws.com', Type: 'Service' }],
      ['user', undefined],
    ]);
  });

  it('leaves responses of unknown iterators and non-JSON bodies untouched', () => {
    const log = new TtlDeletionLog(() => 1_000_000);
    log.begin('p-sessions', keys).complete(oldImage);
    const interceptor = ttlStreamInterceptor(log);
    const body = json({ Records: [removeRecord('r', 1_000)] });
    expect(
      interceptor.transform(
        'DynamoDBStreams_20120810.GetRecords',
        json({ ShardIterator: 'x' }),
        body,
      ),
    ).toBe(body);
    const garbage = Buffer.from('not json');
    expect(interceptor.transform('DynamoDBStreams_20120810.GetRecords', garbage, garbage)).toBe(
      garbage,
    );
  });

  it('only intercepts the two stream read operations', () => {
    const interceptor = ttlStreamInterceptor(new TtlDeletionLog());
    expect(interceptor.matches('DynamoDBStreams_20120810.GetRecords')).toBe(true);
    expect(interceptor.matches('DynamoDBStreams_20120810.GetShardIterator')).toBe(true);
    expect(interceptor.matches('DynamoDB_20120810.GetItem')).toBe(false);
  });
});
