/**
 * What the emulator actually created (DescribeTable, DescribeTimeToLive, DescribeStreamSummary)
 * matches the CloudFormation the CDK stack synthesizes for the same prefix, key by key.
 */
import { DescribeTableCommand, DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { DescribeStreamSummaryCommand } from '@aws-sdk/client-kinesis';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { type TestStack, useTestStack } from '../localstack/testing/use-test-stack';
import { LiveInsightStack } from './liveinsight-stack';

interface KeyElement {
  AttributeName?: string;
  KeyType?: string;
}
interface CfnTable {
  TableName: string;
  KeySchema: KeyElement[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: KeyElement[];
    Projection: { ProjectionType: string };
  }[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  StreamSpecification?: { StreamViewType: string };
}

const byName = (a: { AttributeName?: string }, b: { AttributeName?: string }): number =>
  (a.AttributeName ?? '').localeCompare(b.AttributeName ?? '');

describe('CloudFormation tables and stream = what the local bootstrap created', () => {
  let stack: TestStack;
  let template: Template;
  beforeAll(async () => {
    stack = await useTestStack({ name: 'cdk-vs-local' });
    template = Template.fromStack(
      new LiveInsightStack(new App(), 'Compare', {
        stage: stack.prefix,
        streamMode: 'provisioned',
        shardCount: stack.resources.eventsStream.settings.shardCount,
      }),
    );
  });
  afterAll(() => stack.dispose());

  it('has the same tables with the same keys, GSIs, TTL and streams', async () => {
    const cfnTables = Object.values(template.findResources('AWS::DynamoDB::Table')).map(
      (resource) => (resource as { Properties: CfnTable }).Properties,
    );
    expect(cfnTables).toHaveLength(stack.resources.tables.length);

    for (const cfn of cfnTables) {
      const { Table } = await stack.clients.dynamodb.send(
        new DescribeTableCommand({ TableName: cfn.TableName }),
      );
      const { TimeToLiveDescription } = await stack.clients.dynamodb.send(
        new DescribeTimeToLiveCommand({ TableName: cfn.TableName }),
      );
      expect({ table: cfn.TableName, keys: Table?.KeySchema }).toEqual({
        table: cfn.TableName,
        keys: cfn.KeySchema,
      });
      expect([...(Table?.AttributeDefinitions ?? [])].sort(byName)).toEqual(
        [...cfn.AttributeDefinitions].sort(byName),
      );
      expect(
        (Table?.GlobalSecondaryIndexes ?? []).map((index) => ({
          IndexName: index.IndexName,
          KeySchema: index.KeySchema,
          Projection: { ProjectionType: index.Projection?.ProjectionType },
        })),
      ).toEqual(cfn.GlobalSecondaryIndexes ?? []);
      // A table without item expiry (the registry) has no TimeToLiveSpecification in the template
      // and TTL disabled locally.
      expect(
        TimeToLiveDescription?.TimeToLiveStatus === 'ENABLED'
          ? { AttributeName: TimeToLiveDescription.AttributeName, Enabled: true }
          : undefined,
      ).toEqual(cfn.TimeToLiveSpecification);
      expect(
        Table?.StreamSpecification?.StreamEnabled
          ? Table.StreamSpecification.StreamViewType
          : undefined,
      ).toEqual(cfn.StreamSpecification?.StreamViewType);
    }
  });

  it('has the same events stream: name, shards, retention', async () => {
    const [cfn] = Object.values(template.findResources('AWS::Kinesis::Stream')).map(
      (resource) =>
        (
          resource as {
            Properties: { Name: string; ShardCount: number; RetentionPeriodHours: number };
          }
        ).Properties,
    );
    const { StreamDescriptionSummary } = await stack.clients.kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: cfn?.Name }),
    );
    expect({
      name: StreamDescriptionSummary?.StreamName,
      shards: StreamDescriptionSummary?.OpenShardCount,
      retentionHours: StreamDescriptionSummary?.RetentionPeriodHours,
    }).toEqual({
      name: cfn?.Name,
      shards: cfn?.ShardCount,
      retentionHours: cfn?.RetentionPeriodHours,
    });
  });
});
