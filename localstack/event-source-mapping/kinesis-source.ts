// Kinesis Data Streams behind the StreamSource port: DescribeStreamSummary, ListShards,
// GetShardIterator, GetRecords. Works against AWS, kinesalite and kinesis-mock (the client must
// speak HTTP/1.1: give it NodeHttpHandler, see handlers/aws-clients.ts).
import {
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  ListShardsCommand,
  type GetShardIteratorCommandInput,
  type KinesisClient,
} from '@aws-sdk/client-kinesis';
import type { KinesisStreamRecord } from 'aws-lambda';
import { match } from 'ts-pattern';
import { openIteratorReader } from './iterator-reader';
import { StreamSourceError } from './errors';
import { toKinesisStreamRecord } from './kinesis-event';
import type { ReadPosition, ShardDescription, ShardReader, StreamSource } from './ports';

export type KinesisStreamRef = { readonly streamName: string } | { readonly streamArn: string };

export interface KinesisSourceOptions {
  readonly client: KinesisClient;
  readonly stream: KinesisStreamRef;
  readonly region: string;
  /** Reported as invokeIdentityArn in every event record (Lambda: the execution role). */
  readonly invokeIdentityArn: string;
}

/** GetRecords returns at most 10,000 records per call. */
const MAX_RECORDS_PER_READ = 10_000;

export async function kinesisStreamSource(
  options: KinesisSourceOptions,
): Promise<StreamSource<KinesisStreamRecord>> {
  const { client } = options;
  const streamName = streamNameOf(options.stream);
  let summary;
  try {
    summary = (await client.send(new DescribeStreamSummaryCommand({ StreamName: streamName })))
      .StreamDescriptionSummary;
  } catch (error) {
    throw new StreamSourceError(
      `Kinesis stream ${streamName} could not be described (expected an existing stream)`,
      streamName,
      { cause: error },
    );
  }
  const streamArn = summary?.StreamARN;
  if (streamArn === undefined) {
    throw new StreamSourceError(
      `DescribeStreamSummary of ${streamName} returned no StreamARN; expected one`,
      streamName,
    );
  }
  const context = {
    streamArn,
    awsRegion: options.region,
    invokeIdentityArn: options.invokeIdentityArn,
  };

  return {
    kind: 'kinesis',
    streamArn,
    incarnation: `${streamArn}@${summary?.StreamCreationTimestamp?.toISOString() ?? 'unknown'}`,
    maxRecordsPerRead: MAX_RECORDS_PER_READ,

    async listShards(signal): Promise<ReadonlyArray<ShardDescription>> {
      const shards: ShardDescription[] = [];
      let nextToken: string | undefined;
      do {
        // ListShards takes either the stream or the pagination token, never both.
        const page = await client.send(
          new ListShardsCommand(
            nextToken === undefined ? { StreamName: streamName } : { NextToken: nextToken },
          ),
          { abortSignal: signal },
        );
        for (const shard of page.Shards ?? []) {
          if (shard.ShardId === undefined) continue;
          shards.push({
            shardId: shard.ShardId,
            parentShardId: shard.ParentShardId,
            adjacentParentShardId: shard.AdjacentParentShardId,
          });
        }
        nextToken = page.NextToken;
      } while (nextToken !== undefined);
      return shards;
    },

    async openShard(shardId, position, signal): Promise<ShardReader<KinesisStreamRecord>> {
      const iteratorAt = async (at: ReadPosition): Promise<string | undefined> => {
        const output = await client.send(
          new GetShardIteratorCommand({
            StreamName: streamName,
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
        async getRecords(iterator, limit, readSignal) {
          const output = await client.send(
            new GetRecordsCommand({
              ShardIterator: iterator,
              Limit: Math.min(limit, MAX_RECORDS_PER_READ),
            }),
            { abortSignal: readSignal },
          );
          return {
            records: (output.Records ?? []).map((record) =>
              toKinesisStreamRecord(record, { ...context, shardId }),
            ),
            nextIterator: output.NextShardIterator,
            millisBehindLatest: output.MillisBehindLatest,
          };
        },
        // Iterators expire after 5 minutes (a lane blocked on a failing batch stops reads).
        isRenewable: (error) => error.name === 'ExpiredIteratorException',
      });
    },
  };
}

function iteratorInput(
  position: ReadPosition,
): Pick<
  GetShardIteratorCommandInput,
  'ShardIteratorType' | 'StartingSequenceNumber' | 'Timestamp'
> {
  return (
    match(position)
      // AT_TIMESTAMP is served from TRIM_HORIZON (see at-timestamp.ts).
      .with({ type: 'TRIM_HORIZON' }, { type: 'AT_TIMESTAMP' }, () => ({
        ShardIteratorType: 'TRIM_HORIZON' as const,
      }))
      .with({ type: 'LATEST' }, () => ({ ShardIteratorType: 'LATEST' as const }))
      .with({ type: 'AFTER_SEQUENCE_NUMBER' }, ({ sequenceNumber }) => ({
        ShardIteratorType: 'AFTER_SEQUENCE_NUMBER' as const,
        StartingSequenceNumber: sequenceNumber,
      }))
      .exhaustive()
  );
}

/** `arn:aws:kinesis:<region>:<account>:stream/<name>` → `<name>`. */
function streamNameOf(ref: KinesisStreamRef): string {
  if ('streamName' in ref) return ref.streamName;
  const name = /:stream\/([^/]+)$/.exec(ref.streamArn)?.[1];
  if (name === undefined) {
    throw new StreamSourceError(
      `${ref.streamArn} is not a Kinesis stream ARN (expected arn:aws:kinesis:<region>:<account>:stream/<name>)`,
      ref.streamArn,
    );
  }
  return name;
}
