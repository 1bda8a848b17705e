/** The admin CLI's target for an integration test's own stack (isolated resources per file). */
import { readConsumerConfig } from '../../handlers/config';
import type { TestStack } from '../../localstack/testing/use-test-stack';
import { type Target, definitionsOf } from '../target';

export function testTarget(stack: TestStack): Target {
  const consumer = readConsumerConfig(stack.env);
  return {
    label: `test stack ${stack.prefix}`,
    aws: consumer.aws,
    tables: stack.names.tables,
    failureBucket: stack.names.buckets.failures,
    consumer,
    definitions: definitionsOf(stack.prefix),
  };
}

/** Runs `fn` with a print function and returns every line printed. */
export function lines(): { print: (line: string) => void; printed: string[] } {
  const printed: string[] = [];
  return { print: (line) => printed.push(line), printed };
}

/** The report a command printed as its `report-json` line. */
export function printedReport<T>(printed: readonly string[]): T {
  const line = [...printed].reverse().find((l) => l.startsWith('report-json '));
  if (line === undefined) {
    throw new Error(`no report-json line printed (received ${JSON.stringify(printed.slice(-5))})`);
  }
  return JSON.parse(line.slice('report-json '.length)) as T;
}
