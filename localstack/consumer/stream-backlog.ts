/**
 * How many records of the events stream lie past the consumer's checkpoints: acknowledged by the
 * edge, not yet processed. Read from the stream itself (each shard from its checkpoint, or from
 * TRIM_HORIZON when it has none, to the end), so the count is exact whatever the mapping holds in
 * memory. `npm start` uses it on stop to say what the drain did not store.
 */
import {
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import type { MappingStats } from '../event-source-mapping';

/** GetRecords' largest page. */
const PAGE_LIMIT = 10_000;

export async function countUnprocessedRecords(
  kinesis: KinesisClient,
  streamName: string,
  shards: MappingStats['shards'],
): Promise<number> {
  const listed = await kinesis.send(new ListShardsCommand({ StreamName: streamName }));
  let count = 0;
  for (const shard of listed.Shards ?? []) {
    const shardId = shard.ShardId;
    if (shardId === undefined || shards[shardId]?.ended === true) continue;
    const checkpoint = shards[shardId]?.checkpoint;
    const { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: streamName,
        ShardId: shardId,
        ...(checkpoint === undefined
          ? { ShardIteratorType: 'TRIM_HORIZON' }
          : { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: checkpoint }),
      }),
    );
    let iterator = ShardIterator;
    while (iterator !== undefined) {
      const page = await kinesis.send(
        new GetRecordsCommand({ ShardIterator: iterator, Limit: PAGE_LIMIT }),
      );
      const records = page.Records?.length ?? 0;
      count += records;
      // An empty page at the tip: nothing more on this shard for now.
      if (records === 0 && (page.MillisBehindLatest ?? 0) === 0) break;
      iterator = page.NextShardIterator;
    }
  }
  return count;
}
