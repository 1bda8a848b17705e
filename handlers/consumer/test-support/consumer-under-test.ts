/**
 * The consumer as Lambda would run it, against the test stack, on clients of its own so faults
 * and the request meter apply to the consumer only. `restart()` is a new process: empty session
 * cache (a crash, a cold start, a different environment taking over the shard).
 */
import type { Context } from 'aws-lambda';
import type { TestStack } from '../../../localstack/testing/use-test-stack';
import { type AwsClients, createAwsClients } from '../../aws-clients';
import { type ConsumerConfig, readConsumerConfig } from '../../config';
import { type FaultInjector, installFaultInjector } from '../../test-support/fault-injector';
import { type RequestMeter, installRequestMeter } from '../../test-support/request-meter';
import type { BatchReport } from '../consume-batch';
import { type ConsumerHandler, createConsumer } from '../handler';

export interface ConsumerUnderTest {
  readonly config: ConsumerConfig;
  readonly clients: AwsClients;
  readonly faults: FaultInjector;
  readonly meter: RequestMeter;
  readonly reports: BatchReport[];
  /** The handler of the current process. */
  handler(): ConsumerHandler;
  /** A fresh process (empty session cache); clients, faults and meter stay. */
  restart(): void;
  dispose(): void;
}

export interface ConsumerUnderTestOptions {
  /** SDK attempts per call (default 2 keeps injected-throttling tests quick). */
  readonly maxAttempts?: number;
}

export function consumerUnderTest(
  stack: TestStack,
  options: ConsumerUnderTestOptions = {},
): ConsumerUnderTest {
  const config = readConsumerConfig(stack.env);
  const clients = createAwsClients(config.aws, { maxAttempts: options.maxAttempts ?? 2 });
  const faults = installFaultInjector([clients.dynamodb, clients.s3]);
  const meter = installRequestMeter([clients.dynamodb]);
  const reports: BatchReport[] = [];
  const create = () =>
    createConsumer(config, clients, {
      onReport: (report) => reports.push(report),
      backoff: { baseMs: 5, capMs: 50 },
    }).handler;
  let current = create();
  return {
    config,
    clients,
    faults,
    meter,
    reports,
    handler: () => current,
    restart() {
      current = create();
    },
    dispose() {
      faults.uninstall();
      meter.uninstall();
      clients.destroy();
    },
  };
}

/** A Lambda context whose deadline is `ms` from now. */
export function lambdaContext(ms = 15_000): Pick<Context, 'getRemainingTimeInMillis'> {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}
