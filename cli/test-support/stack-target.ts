/** The admin CLI's target for a test stack (localstack/testing): its tables, bucket and consumer config. */
import type { ConsumerConfig } from '../../handlers/config';
import { type TableDefinition, type TableKey, tableDefinitions } from '../../infra/resources';
import type { TestStack } from '../../localstack/testing/use-test-stack';
import type { Target } from '../target';

export function stackTarget(stack: TestStack, consumer: ConsumerConfig): Target {
  return {
    label: `test stack ${stack.prefix}`,
    aws: consumer.aws,
    tables: stack.names.tables,
    failureBucket: stack.names.buckets.failures,
    consumer,
    definitions: Object.fromEntries(
      tableDefinitions(stack.prefix).map((d) => [d.key, d]),
    ) as Record<TableKey, TableDefinition>,
  };
}
