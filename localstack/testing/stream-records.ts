/**
 * Test helper: reads every record currently on a table's DynamoDB stream through the endpoint
 * (all shards from TRIM_HORIZON), polling until `until` holds or the deadline passes.
 */
import { DescribeTableCommand } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { AwsClients } from '../../handlers/aws-clients';
import { waitFor } from './wait-for';

async function readOnce(clients: AwsClients, streamArn: string): Promise<_Record[]> {
  const { StreamDescription } = await clients.dynamodbStreams.send(
    new DescribeStreamCommand({ StreamArn: streamArn }),
  );
  const records: _Record[] = [];
  for (const shard of StreamDescription?.Shards ?? []) {
    let { ShardIterator } = await clients.dynamodbStreams.send(
      new GetShardIteratorCommand({
        StreamArn: streamArn,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    // An open shard always hands back a next iterator; an empty page means "caught up".
    while (ShardIterator !== undefined) {
      const page = await clients.dynamodbStreams.send(new GetRecordsCommand({ ShardIterator }));
      records.push(...(page.Records ?? []));
      if ((page.Records ?? []).length === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return records;
}

export async function readStreamRecords(
  clients: AwsClients,
  tableName: string,
  until: (records: readonly _Record[]) => boolean,
  timeoutMs = 10_000,
): Promise<_Record[]> {
  const { Table } = await clients.dynamodb.send(new DescribeTableCommand({ TableName: tableName }));
  const streamArn = Table?.LatestStreamArn;
  if (streamArn === undefined) throw new Error(`Table ${tableName} has no stream (expected one)`);
  let records: _Record[] = [];
  return waitFor(
    async () => {
      records = await readOnce(clients, streamArn);
      return until(records) && records;
    },
    () =>
      `the stream of ${tableName} to reach the expected state ` +
      `(read ${records.length} records: ${records.map((r) => r.eventName).join(', ')})`,
    { timeoutMs, intervalMs: 100 },
  );
}
