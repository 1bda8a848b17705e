/**
 * The setup every consumer integration test shares: a fresh test stack (emulators and tables) with
 * the consumer in-process on it, disposed after, and the consumer's four tables read back.
 * Call it at the top of a test file; it registers the Jest hooks itself.
 */
import { type TestStack, useTestStack } from '../../../localstack/testing/use-test-stack';
import type { ConsumerTables } from '../consume-batch';
import { type ConsumerUnderTest, consumerUnderTest } from './consumer-under-test';
import { type TableSnapshot, snapshot } from './table-snapshot';

export interface ConsumerTestStackOptions {
  /** The test stack's name (its tables, stream and bucket names carry it). */
  readonly name: string;
  /** 'test': fresh tables for every test (beforeEach); 'file': one stack for the file (beforeAll). */
  readonly per: 'test' | 'file';
  /** Runs before the consumer and the stack are disposed (e.g. stop a mapping still calling it). */
  readonly beforeDispose?: () => Promise<void>;
}

export interface ConsumerTestStack {
  /** The current stack (set once the setup hook ran). */
  readonly stack: TestStack;
  /** The consumer wired to `stack`. */
  readonly consumer: ConsumerUnderTest;
  /** The tables the consumer writes and `snapshot` reads. */
  tables(): Pick<ConsumerTables, 'events' | 'sessions' | 'activeSessions' | 'badRows'>;
  /** Everything those tables hold now. */
  stored(): Promise<TableSnapshot>;
}

export function useConsumerTestStack(options: ConsumerTestStackOptions): ConsumerTestStack {
  let current: { stack: TestStack; consumer: ConsumerUnderTest } | undefined;
  const setUp = async (): Promise<void> => {
    const stack = await useTestStack({ name: options.name });
    current = { stack, consumer: consumerUnderTest(stack) };
  };
  const tearDown = async (): Promise<void> => {
    await options.beforeDispose?.();
    current?.consumer.dispose();
    await current?.stack.dispose();
    current = undefined;
  };
  if (options.per === 'test') {
    beforeEach(setUp);
    afterEach(tearDown);
  } else {
    beforeAll(setUp);
    afterAll(tearDown);
  }
  const started = (): { stack: TestStack; consumer: ConsumerUnderTest } => {
    if (current === undefined) {
      throw new Error(
        `the consumer test stack ${options.name} is not set up (expected a use inside a test or hook, after its setup ran)`,
      );
    }
    return current;
  };
  const env: ConsumerTestStack = {
    get stack() {
      return started().stack;
    },
    get consumer() {
      return started().consumer;
    },
    tables() {
      const { config } = started().consumer;
      return {
        events: config.eventsTable,
        sessions: config.sessionsTable,
        activeSessions: config.activeSessionsTable,
        badRows: config.badRowsTable,
      };
    },
    stored() {
      return snapshot(env.stack.clients.dynamodb, env.tables());
    },
  };
  return env;
}
