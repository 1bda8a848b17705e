// DynamoDB Streams behind the StreamSource port: ListStreams (table → latest stream),
// DescribeStream (shards, paginated), GetShardIterator, GetRecords. Works against AWS and
// DynamoDB Local. TTL deletions are recognised from the record's own userIdentity (the local
// router stamps it, as AWS does) or from an injected lookup of what the local sweeper deleted.
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListStreamsCommand,
  type _Record as DynamoDBSdkRecord,
  type DynamoDBStreamsClient,
  type GetShardIteratorCommandInput,
} from '@aws-sdk/client-dynamodb-streams';
import type { DynamoDBRecord } from 'aws-lambda';
import { match } from 'ts-pattern';
import { toDynamoDBStreamRecord } from './dynamodb-event';
import { StreamSourceError } from './errors';
import { openIteratorReader } from './iterator-reader';
import type { ReadPosition, ShardDescription, ShardReader, StreamSource } from './ports';

export type DynamoDBStreamRef = { readonly tableName: string } | { readonly streamArn: string };

/** What a TTL lookup gets to decide whether a REMOVE record is a TTL deletion. */
export interface TtlRecordRef {
  readonly tableName: string;
  /** Keys in the SDK's AttributeValue shape, as the sweeper deleted them. */
  readonly keys: Readonly<Record<string, unknown>>;
  readonly oldImage?: Readonly<Record<string, unknown>> | undefined;
  readonly approximateCreationDateTime: Date | undefined;
}

export type TtlDeletionLookup = (record: TtlRecordRef) => boolean;

export interface DynamoDBStreamSourceOptions {
  readonly client: DynamoDBStreamsClient;
  readonly stream: DynamoDBStreamRef;
  readonly region: string;
  readonly isTtlDeletion?: TtlDeletionLookup | undefined;
}

/** GetRecords on DynamoDB Streams returns at most 1,000 records per call. */
const MAX_RECORDS_PER_READ = 1000;

export async function dynamoDBStreamSource(
  options: DynamoDBStreamSourceOptions,
): Promise<StreamSource<DynamoDBRecord>> {
  const { client } = options;
  const streamArn =
    'streamArn' in options.stream
      ? options.stream.streamArn
      : await latestStreamArn(client, options.stream.tableName);
  const tableName = tableNameOf(streamArn);
  const toEventRecord = (record: DynamoDBSdkRecord) =>
    toDynamoDBStreamRecord(record, {
      streamArn,
      awsRegion: options.region,
      ttlDeletion:
        record.eventName === 'REMOVE' &&
        options.isTtlDeletion !== undefined &&
        options.isTtlDeletion({
          tableName,
          keys: record.dynamodb?.Keys ?? {},
          oldImage: record.dynamodb?.OldImage,
          approximateCreationDateTime: record.dynamodb?.ApproximateCreationDateTime,
        }),
    });

  return {
    kind: 'dynamodb',
    streamArn,
    // The stream label (a timestamp) is part of the ARN: a re-created table has a new stream.
    incarnation: streamArn,
    maxRecordsPerRead: MAX_RECORDS_PER_READ,

    async listShards(signal): Promise<ReadonlyArray<ShardDescription>> {
      const shards: ShardDescription[] = [];
      let exclusiveStartShardId: string | undefined;
      do {
        const output = await client.send(
          new DescribeStreamCommand({
            StreamArn: streamArn,
            ExclusiveStartShardId: exclusiveStartShardId,
          }),
          { abortSignal: signal },
        );
        const description = output.StreamDescription;
        for (const shard of description?.Shards ?? []) {
          if (shard.ShardId !== undefined) {
            shards.push({ shardId: shard.ShardId, parentShardId: shard.ParentShardId });
          }
        }
        exclusiveStartShardId = description?.LastEvaluatedShardId;
      } while (exclusiveStartShardId !== undefined);
      return shards;
    },

    async openShard(shardId, position, signal): Promise<ShardReader<DynamoDBRecord>> {
      const iteratorAt = async (at: ReadPosition): Promise<string | undefined> => {
        const output = await client.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...iteratorInput(at),
          }),
          { abortSignal: signal },
        );
        return output.ShardIterator;
      };
      return openIteratorReader({
        position,
        iteratorAt,
        // DynamoDB Streams has no AT_TIMESTAMP iterator. The core only asks for one to resume a
        // LATEST mapping after a restart; creation times are whole seconds, so the boundary
        // second is kept (at least once).
        ...(position.type === 'AT_TIMESTAMP'
          ? { notBeforeMs: Math.floor(position.timestampMs / 1000) * 1000 }
          : {}),
        async getRecords(iterator, limit, readSignal) {
          const output = await client.send(
            new GetRecordsCommand({
              ShardIterator: iterator,
              Limit: Math.min(limit, MAX_RECORDS_PER_READ),
            }),
            { abortSignal: readSignal },
          );
          return {
            records: (output.Records ?? []).map(toEventRecord),
            nextIterator: output.NextShardIterator,
          };
        },
        // Iterators expire after 15 minutes. DynamoDB Local also answers
        // TrimmedDataAccessException to an iterator handed out by an empty read once another
        // table's writes took the sequence numbers it expected next (its counter is shared by
        // every stream): a fresh iterator from the same place reads on.
        isRenewable: (error) =>
          error.name === 'ExpiredIteratorException' || error.name === 'TrimmedDataAccessException',
      });
    },
  };
}

/** The table's current stream: the newest label among its streams. */
async function latestStreamArn(client: DynamoDBStreamsClient, tableName: string): Promise<string> {
  let output;
  try {
    output = await client.send(new ListStreamsCommand({ TableName: tableName }));
  } catch (error) {
    throw new StreamSourceError(`listing the streams of table ${tableName} failed`, tableName, {
      cause: error,
    });
  }
  const newest = (output.Streams ?? [])
    .filter((stream) => stream.StreamArn !== undefined)
    .sort((a, b) => (a.StreamLabel ?? '').localeCompare(b.StreamLabel ?? ''))
    .at(-1)?.StreamArn;
  if (newest === undefined) {
    throw new StreamSourceError(
      `table ${tableName} has no stream (expected a table with StreamSpecification enabled)`,
      tableName,
    );
  }
  return newest;
}

function iteratorInput(
  position: ReadPosition,
): Pick<GetShardIteratorCommandInput, 'ShardIteratorType' | 'SequenceNumber'> {
  return match(position)
    .with({ type: 'TRIM_HORIZON' }, { type: 'AT_TIMESTAMP' }, () => ({
      ShardIteratorType: 'TRIM_HORIZON' as const,
    }))
    .with({ type: 'LATEST' }, () => ({ ShardIteratorType: 'LATEST' as const }))
    .with({ type: 'AFTER_SEQUENCE_NUMBER' }, ({ sequenceNumber }) => ({
      ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const,
      SequenceNumber: sequenceNumber,
    }))
    .exhaustive();
}

/** `arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>` → `<name>`. */
function tableNameOf(streamArn: string): string {
  const name = /:table\/([^/]+)\/stream\//.exec(streamArn)?.[1];
  if (name === undefined) {
    throw new StreamSourceError(
      `${streamArn} is not a DynamoDB stream ARN (expected arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>)`,
      streamArn,
    );
  }
  return name;
}
