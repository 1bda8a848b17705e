// An in-memory Kinesis-like stream behind the StreamSource port, so the mapping core's semantics
// are unit-tested without I/O. Records go through the real Kinesis event builder, so every event
// a scripted handler receives is the shape Lambda would send.
import type { KinesisStreamRecord } from 'aws-lambda';
import { match } from 'ts-pattern';
import { toKinesisStreamRecord } from '../kinesis-event';
import type {
  ReadPosition,
  ShardDescription,
  ShardPage,
  ShardReader,
  StreamRecord,
  StreamSource,
} from '../ports';

export const MEMORY_STREAM_ARN = 'arn:aws:kinesis:us-east-1:000000000000:stream/memory';
export const MEMORY_ROLE_ARN = 'arn:aws:iam::000000000000:role/memory-consumer';

interface MemoryShard {
  readonly description: ShardDescription;
  readonly records: Array<StreamRecord<KinesisStreamRecord>>;
  closed: boolean;
}

export interface PutInput {
  readonly partitionKey: string;
  readonly data: string;
  /** Arrival time (epoch ms); defaults to now. Old values make records exceed MaximumRecordAge. */
  readonly arrivalMs?: number;
}

export class MemoryStream {
  private readonly shards = new Map<string, MemoryShard>();
  private sequence = 10n ** 20n;
  private readFaults: Error[] = [];
  reads = 0;
  listings = 0;
  /** One entry per openShard call, counting the reads made through that reader. */
  readonly readers: Array<{ readonly shardId: string; reads: number }> = [];

  constructor(shardIds: ReadonlyArray<string> = ['shardId-000000000000']) {
    for (const shardId of shardIds) this.addShard({ shardId });
  }

  put(shardId: string, input: PutInput): StreamRecord<KinesisStreamRecord> {
    const shard = this.shard(shardId);
    if (shard.closed) throw new Error(`put to closed memory shard ${shardId}`);
    this.sequence += 1n;
    const record = toKinesisStreamRecord(
      {
        SequenceNumber: this.sequence.toString().padStart(56, '4'),
        PartitionKey: input.partitionKey,
        Data: Buffer.from(input.data),
        ApproximateArrivalTimestamp: new Date(input.arrivalMs ?? Date.now()),
      },
      {
        shardId,
        streamArn: MEMORY_STREAM_ARN,
        awsRegion: 'us-east-1',
        invokeIdentityArn: MEMORY_ROLE_ARN,
      },
    );
    shard.records.push(record);
    return record;
  }

  /** Closes `parent` and opens two children, as a Kinesis SplitShard does. */
  split(parent: string, children: readonly [string, string]): void {
    this.shard(parent).closed = true;
    for (const shardId of children) this.addShard({ shardId, parentShardId: parent });
  }

  close(shardId: string): void {
    this.shard(shardId).closed = true;
  }

  /** The shard is no longer listed, as Kinesis and DynamoDB Streams drop one after retention. */
  trim(shardId: string): void {
    this.shard(shardId);
    this.shards.delete(shardId);
  }

  /** The next reads throw these errors, one per read (fault injection). */
  failNextReads(...errors: Error[]): void {
    this.readFaults.push(...errors);
  }

  source(): StreamSource<KinesisStreamRecord> {
    return {
      kind: 'kinesis',
      streamArn: MEMORY_STREAM_ARN,
      incarnation: MEMORY_STREAM_ARN,
      maxRecordsPerRead: 10_000,
      listShards: async () => {
        this.listings += 1;
        return [...this.shards.values()].map((shard) => shard.description);
      },
      openShard: async (shardId, position) => this.reader(this.shard(shardId), position),
    };
  }

  private reader(shard: MemoryShard, position: ReadPosition): ShardReader<KinesisStreamRecord> {
    let index = startIndex(shard, position);
    const counter = { shardId: shard.description.shardId, reads: 0 };
    this.readers.push(counter);
    return {
      read: async (limit): Promise<ShardPage<KinesisStreamRecord>> => {
        this.reads += 1;
        counter.reads += 1;
        const fault = this.readFaults.shift();
        if (fault !== undefined) throw fault;
        const records = shard.records.slice(index, index + limit);
        index += records.length;
        return { records, endOfShard: shard.closed && index >= shard.records.length };
      },
    };
  }

  private addShard(description: ShardDescription): void {
    this.shards.set(description.shardId, { description, records: [], closed: false });
  }

  private shard(shardId: string): MemoryShard {
    const shard = this.shards.get(shardId);
    if (shard === undefined) throw new Error(`no memory shard ${shardId}`);
    return shard;
  }
}

function startIndex(shard: MemoryShard, position: ReadPosition): number {
  const firstIndex = (
    predicate: (record: StreamRecord<KinesisStreamRecord>) => boolean,
  ): number => {
    const index = shard.records.findIndex(predicate);
    return index === -1 ? shard.records.length : index;
  };
  return match(position)
    .with({ type: 'TRIM_HORIZON' }, () => 0)
    .with({ type: 'LATEST' }, () => shard.records.length)
    .with({ type: 'AT_TIMESTAMP' }, ({ timestampMs }) =>
      firstIndex((r) => r.arrivalMs >= timestampMs),
    )
    .with({ type: 'AFTER_SEQUENCE_NUMBER' }, ({ sequenceNumber }) =>
      firstIndex((r) => BigInt(r.sequenceNumber) > BigInt(sequenceNumber)),
    )
    .exhaustive();
}
