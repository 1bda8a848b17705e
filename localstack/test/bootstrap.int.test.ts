/**
 * The bootstrap is idempotent (a second run finds everything) and refuses to adopt a table that
 * exists with other keys, naming what it found and what it expected.
 */
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { resourceDefinitions } from '../../infra/resources';
import { BootstrapError, bootstrapResources, deleteResources } from '../bootstrap/bootstrap';
import { type TestStack, useTestStack } from '../testing/use-test-stack';

describe('bootstrap', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await useTestStack({ name: 'bootstrap' });
  });
  afterAll(() => stack.dispose());

  it('finds every resource on a second run and creates nothing', async () => {
    const report = await bootstrapResources(stack.clients, stack.resources);
    expect(report.created).toEqual([]);
    expect(report.existing).toHaveLength(
      stack.resources.tables.length + 1 + stack.resources.buckets.length,
    );
  });

  it('refuses a table that exists with other keys', async () => {
    // Arrange: another prefix whose events table has only a partition key.
    const other = resourceDefinitions(`${stack.prefix}-x`);
    await stack.clients.dynamodb.send(
      new CreateTableCommand({
        TableName: other.names.tables.events,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
      }),
    );
    try {
      // Act
      const error = await bootstrapResources(stack.clients, other).catch(
        (caught: unknown) => caught,
      );
      // Assert
      expect(error).toBeInstanceOf(BootstrapError);
      expect((error as Error).message).toBe(
        `Table ${other.names.tables.events} exists with key schema ["HASH:id"] ` +
          '(expected ["HASH:pk","RANGE:sk"]); delete it or its persisted data and start again',
      );
    } finally {
      await deleteResources(stack.clients, other);
    }
  });
});
