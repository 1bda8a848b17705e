/** Test helper: every record on a Kinesis stream (all shards from TRIM_HORIZON), decoded. */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { EdgeRecordSchema, type EdgeRecord } from '../../../schemas/edge-record';
import { formatIssues, parseWith } from '../../../schemas/validator';

export interface StreamRecord {
  readonly partitionKey: string;
  readonly shardId: string;
  readonly sequenceNumber: string;
  readonly record: EdgeRecord;
}

export async function readStream(
  kinesis: KinesisClient,
  streamName: string,
): Promise<StreamRecord[]> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  const out: StreamRecord[] = [];
  for (const shard of Shards ?? []) {
    const shardId = shard.ShardId ?? '';
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      for (const record of page.Records ?? []) {
        const text = Buffer.from(record.Data ?? new Uint8Array()).toString('utf8');
        const parsed = parseWith(EdgeRecordSchema, JSON.parse(text));
        if (!parsed.ok)
          throw new Error(
            `A record on ${streamName} breaks EdgeRecordSchema: ${formatIssues(parsed.issues)}`,
          );
        out.push({
          partitionKey: record.PartitionKey ?? '',
          shardId,
          sequenceNumber: record.SequenceNumber ?? '',
          record: parsed.value,
        });
      }
      // An open shard always returns a next iterator; an empty page means caught up.
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return out;
}
