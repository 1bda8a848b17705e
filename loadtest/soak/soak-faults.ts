/**
 * The soak's chaos: a 60 s cycle of faults, repeated for longer runs. Each is injected into the
 * real product (handlers/faults middleware on the consumer's real SDK clients, the edge's own
 * Kinesis integration, a SIGKILL to an emulator process) and counted where it really happened,
 * so the soak can show that each kind of fault took place — not merely that it was scheduled.
 */
import type { FaultInjector } from '../../handlers/test-support/fault-injector';
import {
  crash,
  delay,
  provisionedThroughputExceeded,
  serverError,
} from '../../handlers/test-support/faults';
import type { KinesisBackend } from '../../localstack/edge/kinesis-backend';
import { failRecords } from '../../localstack/edge/test-support/fail-records';
import type { LocalProduct } from '../../localstack/local-product';

export const FAULT_KINDS = [
  'dynamodb-throttle',
  'dynamodb-5xx',
  'consumer-crash',
  'slow-kinesis',
  'partial-put-records',
  'emulator-restart',
] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export const FAULT_CYCLE_MS = 60_000;
/** When each fault starts within a cycle. */
const AT_MS: Readonly<Record<FaultKind, number>> = {
  'dynamodb-throttle': 4_000,
  'dynamodb-5xx': 12_000,
  'consumer-crash': 20_000,
  'slow-kinesis': 28_000,
  'partial-put-records': 36_000,
  'emulator-restart': 44_000,
};
/** The emulator watch gives up on a crash loop (3 restarts in 5 min): one restart per 3 cycles. */
const RESTART_EVERY_CYCLES = 3;
const PARTIAL_WINDOW_MS = 4_000;
/** How long a fault shows as active on the live line once started. */
const SHOWN_MS = 6_000;

export interface SoakFaults {
  /** Runs the schedule for `ms` (the traffic runs alongside), then resolves. */
  runFor(ms: number): Promise<void>;
  active(): readonly string[];
  injected(): Record<FaultKind, number>;
  total(): number;
  stop(): void;
}

export interface SoakFaultsOptions {
  readonly product: LocalProduct;
  readonly injector: FaultInjector;
  readonly edgeKinesis: KinesisBackend;
  readonly print: (line: string) => void;
}

export function scheduleFaults(options: SoakFaultsOptions): SoakFaults {
  const { product, injector, print } = options;
  const tables = product.resources.names.tables;
  const startedAt = new Map<FaultKind, number>();
  let restarts = 0;
  let restarting = false;
  let partialOpen = false;
  let partialRecords = 0;
  const timers = new Set<NodeJS.Timeout>();

  // Installed once, idle outside its window: refuses every other record of a PutRecords call.
  const partial = failRecords(options.edgeKinesis, (_record, index) => {
    if (!partialOpen || index % 2 === 0) return false;
    partialRecords += 1;
    return true;
  });
  const unsubscribe = product.onEmulatorEvent((event) => {
    print(`soak: emulator ${event.name} ${event.kind}`);
    if (event.kind === 'restarted') {
      restarts += 1;
      restarting = false;
    }
  });

  const start = (kind: FaultKind, cycle: number): void => {
    startedAt.set(kind, Date.now());
    switch (kind) {
      case 'dynamodb-throttle':
        // More throttles in a row than the SDK retries: a batch fails and the mapping retries it.
        injector.add({
          operation: 'BatchWriteItem',
          target: tables.events,
          fault: provisionedThroughputExceeded(),
          times: 4,
        });
        break;
      case 'dynamodb-5xx':
        injector.add({
          operation: 'PutItem',
          target: tables.sessions,
          fault: serverError(500),
          times: 4,
        });
        break;
      case 'consumer-crash':
        // Mid-batch: the events and the first session writes are done when the process dies.
        injector.add({
          operation: 'PutItem',
          target: tables.sessions,
          fault: crash(),
          after: 2,
        });
        break;
      case 'slow-kinesis':
        injector.add({ operation: 'GetRecords', fault: delay(1_500), times: 3 });
        break;
      case 'partial-put-records': {
        partialOpen = true;
        const timer = setTimeout(() => {
          partialOpen = false;
        }, PARTIAL_WINDOW_MS);
        timers.add(timer);
        break;
      }
      case 'emulator-restart': {
        if (cycle % RESTART_EVERY_CYCLES !== 0) {
          startedAt.delete(kind);
          break;
        }
        const dynamodb = product.stack?.emulators.find((e) => e.service === 'dynamodb');
        const pid = dynamodb?.process.pid;
        if (pid === undefined) throw new Error('the soak found no DynamoDB Local process to kill');
        restarting = true;
        print(`soak: SIGKILL to ${dynamodb?.name ?? 'dynamodb'} (pid ${pid})`);
        process.kill(pid, 'SIGKILL');
        break;
      }
    }
  };

  const counts = (): Record<FaultKind, number> => {
    const injections = injector.injections;
    const of = (test: (i: (typeof injections)[number]) => boolean): number =>
      injections.filter(test).length;
    return {
      'dynamodb-throttle': of(
        (i) => i.fault === 'error-answer' && i.operation === 'BatchWriteItem',
      ),
      'dynamodb-5xx': of((i) => i.fault === 'error-answer' && i.operation === 'PutItem'),
      'consumer-crash': of((i) => i.fault === 'crash'),
      'slow-kinesis': of((i) => i.fault === 'delay'),
      'partial-put-records': partial.refused.length,
      'emulator-restart': restarts,
    };
  };

  return {
    runFor(ms) {
      const began = Date.now();
      for (let cycle = 0; cycle * FAULT_CYCLE_MS < ms; cycle += 1) {
        for (const kind of FAULT_KINDS) {
          const at = cycle * FAULT_CYCLE_MS + AT_MS[kind];
          if (at >= ms) continue;
          const timer = setTimeout(() => start(kind, cycle), at - (Date.now() - began));
          timers.add(timer);
        }
      }
      return new Promise((resolve) => {
        const timer = setTimeout(resolve, ms);
        timers.add(timer);
      });
    },
    active: () => [
      ...[...startedAt.entries()]
        .filter(([, at]) => Date.now() - at < SHOWN_MS)
        .map(([kind]) => kind),
      ...(restarting ? ['emulator down'] : []),
      ...(partialOpen ? [`partial puts (${partialRecords} records refused)`] : []),
    ],
    injected: counts,
    total: () => Object.values(counts()).reduce((sum, n) => sum + n, 0),
    stop() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      partialOpen = false;
      partial.uninstall();
      unsubscribe();
    },
  };
}
