/**
 * The CDK stack creates the same tables and stream as the local bootstrap: its CloudFormation
 * is compared key by key with the CreateTable input the bootstrap sends (keys, attribute types,
 * GSIs, TTL, streams, billing) and with the stream definition.
 */
import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { toCreateTableInput } from '../localstack/bootstrap/table-input';
import { LiveInsightStack } from './liveinsight-stack';
import { eventsStreamDefinition, tableDefinitions } from './resources';

const STAGE = 'liveinsight-test';

function synth(props: Partial<ConstructorParameters<typeof LiveInsightStack>[2]> = {}): Template {
  const app = new App();
  return Template.fromStack(new LiveInsightStack(app, 'Test', { stage: STAGE, ...props }));
}

interface CfnTable {
  TableName: string;
  KeySchema: unknown[];
  AttributeDefinitions: { AttributeName: string; AttributeType: string }[];
  GlobalSecondaryIndexes?: unknown[];
  TimeToLiveSpecification?: { AttributeName: string; Enabled: boolean };
  StreamSpecification?: { StreamViewType: string };
  BillingMode?: string;
}

function cfnTables(template: Template): Map<string, CfnTable> {
  const found = template.findResources('AWS::DynamoDB::Table');
  return new Map(
    Object.values(found).map((resource) => {
      const properties = (resource as { Properties: CfnTable }).Properties;
      return [properties.TableName, properties];
    }),
  );
}

const byName = (a: { AttributeName: string }, b: { AttributeName: string }): number =>
  a.AttributeName.localeCompare(b.AttributeName);

describe('LiveInsightStack data resources', () => {
  const template = synth();
  const tables = cfnTables(template);

  it('creates exactly the tables of infra/resources.ts', () => {
    expect([...tables.keys()].sort()).toEqual(
      tableDefinitions(STAGE)
        .map((table) => table.tableName)
        .sort(),
    );
  });

  describe.each(tableDefinitions(STAGE).map((table) => [table.key, table] as const))(
    'table %s matches the local CreateTable input',
    (_key, definition) => {
      const local = toCreateTableInput(definition);
      const cfn = (): CfnTable => {
        const table = tables.get(definition.tableName);
        if (table === undefined) throw new Error(`no CloudFormation table ${definition.tableName}`);
        return table;
      };

      it('has the same key schema', () => {
        expect(cfn().KeySchema).toEqual(local.KeySchema);
      });

      it('has the same attribute definitions', () => {
        expect([...cfn().AttributeDefinitions].sort(byName)).toEqual(
          [...(local.AttributeDefinitions ?? [])].map((a) => ({
            AttributeName: a.AttributeName ?? '',
            AttributeType: a.AttributeType ?? '',
          })),
        );
      });

      it('has the same global secondary indexes', () => {
        expect(cfn().GlobalSecondaryIndexes).toEqual(local.GlobalSecondaryIndexes);
      });

      it('has TTL on the same attribute, or none where the definition has none', () => {
        expect(cfn().TimeToLiveSpecification).toEqual(
          definition.ttl === undefined
            ? undefined
            : { AttributeName: definition.ttl.attribute, Enabled: true },
        );
      });

      it('has the same stream', () => {
        expect(cfn().StreamSpecification?.StreamViewType).toEqual(
          local.StreamSpecification?.StreamViewType,
        );
      });

      it('bills on demand like the local table', () => {
        expect(cfn().BillingMode).toBe(local.BillingMode);
      });
    },
  );

  it('creates the events stream on demand by default', () => {
    template.resourceCountIs('AWS::Kinesis::Stream', 1);
    template.hasResourceProperties('AWS::Kinesis::Stream', {
      Name: eventsStreamDefinition(STAGE).streamName,
      RetentionPeriodHours: 24,
      StreamModeDetails: { StreamMode: 'ON_DEMAND' },
      ShardCount: Match.absent(),
    });
  });

  it('creates a provisioned stream with the shard count given', () => {
    synth({ streamMode: 'provisioned', shardCount: 3 }).hasResourceProperties(
      'AWS::Kinesis::Stream',
      { Name: `${STAGE}-events`, ShardCount: 3, StreamModeDetails: { StreamMode: 'PROVISIONED' } },
    );
  });

  it('creates the failures and dashboard buckets, private and encrypted', () => {
    template.resourceCountIs('AWS::S3::Bucket', 2);
    template.allResourcesProperties('AWS::S3::Bucket', {
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
    });
  });

  it('keeps tables when the stack is deleted, by default', () => {
    template.allResources('AWS::DynamoDB::Table', { DeletionPolicy: 'Retain' });
  });

  it('rejects an out-of-range shard count with the value received', () => {
    expect(() => synth({ streamMode: 'provisioned', shardCount: 0 })).toThrow(
      'events stream shardCount is 0 (expected an integer from 1 to 500)',
    );
  });
});
