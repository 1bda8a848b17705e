/**
 * Turns a table definition from infra/resources.ts into DynamoDB's CreateTable input. The CDK
 * test compares CloudFormation's tables with this shape key by key, so local and AWS tables
 * cannot drift apart.
 */
import type {
  AttributeDefinition,
  CreateTableCommandInput,
  KeySchemaElement,
} from '@aws-sdk/client-dynamodb';
import type { KeyAttribute, TableDefinition } from '../../infra/resources';

function keySchema(
  partitionKey: KeyAttribute,
  sortKey: KeyAttribute | undefined,
): KeySchemaElement[] {
  return [
    { AttributeName: partitionKey.name, KeyType: 'HASH' },
    ...(sortKey === undefined ? [] : [{ AttributeName: sortKey.name, KeyType: 'RANGE' as const }]),
  ];
}

/** Every key attribute of the table and its indexes, once, sorted by name. */
export function attributeDefinitions(table: TableDefinition): AttributeDefinition[] {
  const all = [
    table.partitionKey,
    table.sortKey,
    ...table.globalSecondaryIndexes.flatMap((index) => [index.partitionKey, index.sortKey]),
  ].filter((attribute): attribute is KeyAttribute => attribute !== undefined);
  const byName = new Map(all.map((attribute) => [attribute.name, attribute.type]));
  return [...byName.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, type]) => ({ AttributeName: name, AttributeType: type }));
}

export function toCreateTableInput(table: TableDefinition): CreateTableCommandInput {
  return {
    TableName: table.tableName,
    BillingMode: table.billingMode,
    AttributeDefinitions: attributeDefinitions(table),
    KeySchema: keySchema(table.partitionKey, table.sortKey),
    ...(table.globalSecondaryIndexes.length === 0
      ? {}
      : {
          GlobalSecondaryIndexes: table.globalSecondaryIndexes.map((index) => ({
            IndexName: index.indexName,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: index.projection },
          })),
        }),
    ...(table.stream === undefined
      ? {}
      : { StreamSpecification: { StreamEnabled: true, StreamViewType: table.stream } }),
  };
}
