/**
 * The local product as `npm start` runs it: the local AWS (emulators or LocalStack) with the
 * project's resources bootstrapped. Later parts (edge, consumers, dashboard) add themselves
 * through `addPart`, so one handle starts, describes and stops everything in order.
 */
import { type AwsClients, createAwsClients } from '../handlers/aws-clients';
import type { EnvName } from '../handlers/env-names';
import { type ResourceDefinitions, resourceDefinitions } from '../infra/resources';
import { type BootstrapReport, bootstrapResources } from './bootstrap/bootstrap';
import type { LocalConfig } from './local-config';
import {
  type EmulatorEvent,
  type LocalStack,
  describeEmulatorEvent,
  startLocalStack,
} from './local-stack';
import { startLocalStackContainer } from './localstack-container';
import { handlerEnv } from './handler-env';

/** Something running as part of the local product (edge server, consumer loop, …). */
export interface LocalPart {
  /** One line for the start-up summary, e.g. `edge  http://localhost:3000`. */
  readonly summary: string;
  stop(): Promise<void>;
}

export interface LocalProduct {
  readonly endpoint: string;
  readonly region: string;
  readonly config: LocalConfig;
  readonly resources: ResourceDefinitions;
  readonly bootstrap: BootstrapReport;
  /** One SDK client per service against `endpoint`, for parts started in this process. */
  readonly clients: AwsClients;
  /** Handler environment (handlers/env-names.ts) for this product's resources. */
  readonly env: Readonly<Record<EnvName, string>>;
  /** The emulator stack, when running the emulators (undefined with LocalStack). */
  readonly stack: LocalStack | undefined;
  readonly startupMs: number;
  /** Registers a part; parts stop before the local AWS, newest first. */
  addPart(part: LocalPart): void;
  /**
   * Emulator faults as they happen: an exit, a restart, an emulator lost for good
   * (supervisor/emulator-watch.ts). Returns the unsubscribe. Without listeners they are logged.
   */
  onEmulatorEvent(listener: (event: EmulatorEvent) => void): () => void;
  /**
   * Settles with the reason once an emulator is lost (down and not restarted): the product can
   * no longer store what it accepts and should stop. Never settles otherwise.
   */
  readonly lost: Promise<string>;
  /** Human-readable lines: endpoint, what runs where, resources, parts. */
  describe(): readonly string[];
  stop(): Promise<void>;
  /** Synchronous SIGKILL of the emulator processes (second Ctrl-C). */
  killNow(): void;
}

export interface LocalProductOptions {
  readonly config: LocalConfig;
  readonly log?: (line: string) => void;
}

export async function startLocalProduct(options: LocalProductOptions): Promise<LocalProduct> {
  const began = Date.now();
  const { config } = options;
  const log = options.log ?? (() => undefined);
  const resources = resourceDefinitions(config.stage, {
    stream: { shardCount: config.kinesisShards },
  });

  let endpoint: string;
  let region: string;
  let stack: LocalStack | undefined;
  let stopBackend: () => Promise<void>;
  const lines: string[] = [];
  const listeners = new Set<(event: EmulatorEvent) => void>();
  let markLost: (reason: string) => void = () => undefined;
  const lost = new Promise<string>((resolve) => {
    markLost = resolve;
  });
  const onEmulatorEvent = (event: EmulatorEvent): void => {
    if (event.kind === 'lost') markLost(describeEmulatorEvent(event));
    if (listeners.size === 0) log(describeEmulatorEvent(event));
    listeners.forEach((listener) => listener(event));
  };
  if (config.mode === 'localstack') {
    log('starting LocalStack in a container');
    const container = await startLocalStackContainer();
    endpoint = container.endpoint;
    region = container.region;
    stopBackend = () => container.stop();
    lines.push(`LocalStack container     ${endpoint}`);
  } else {
    stack = await startLocalStack({
      port: config.awsPort,
      kinesisEngines: [config.kinesisEngine],
      ...(config.dataDir === undefined ? {} : { dataDir: config.dataDir }),
      ...(config.javaCommand === undefined ? {} : { javaCommand: config.javaCommand }),
      ttl: config.ttl,
      log,
      onEmulatorEvent,
    });
    endpoint = stack.endpoint;
    region = stack.region;
    const running = stack;
    stopBackend = () => running.stop();
    for (const emulator of stack.emulators) {
      lines.push(
        `${emulator.service.padEnd(9)} ${emulator.description} — pid ${emulator.process.pid}, ` +
          `internal port ${emulator.port}, ready in ${emulator.startupMs} ms`,
      );
    }
    lines.push(
      `ttl       sweeper ${config.ttl.intervalMs === 'manual' ? 'on request only' : `every ${config.ttl.intervalMs} ms`}, ` +
        `lag ${config.ttl.lagSeconds} s`,
    );
  }

  const clients = createAwsClients({ endpoint, region });
  let bootstrap: BootstrapReport;
  try {
    bootstrap = await bootstrapResources(clients, resources);
  } catch (error) {
    clients.destroy();
    await stopBackend();
    throw error;
  }

  const parts: LocalPart[] = [];
  let stopping: Promise<void> | undefined;
  return {
    endpoint,
    region,
    config,
    resources,
    bootstrap,
    clients,
    env: handlerEnv(endpoint, region, resources),
    stack,
    startupMs: Date.now() - began,
    addPart: (part) => parts.push(part),
    onEmulatorEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    lost,
    describe: () => [
      `AWS endpoint  ${endpoint}  (AWS_ENDPOINT_URL; region ${region}; credentials test/test)`,
      ...lines,
      `resources (prefix ${resources.names.prefix}): tables ${resources.tables
        .map((table) => table.tableName)
        .join(', ')}; stream ${resources.eventsStream.streamName} ` +
        `(${resources.eventsStream.settings.shardCount} shards); buckets ${resources.buckets
          .map((bucket) => bucket.bucketName)
          .join(', ')} — ${bootstrap.created.length} created, ${bootstrap.existing.length} existed`,
      ...parts.map((part) => part.summary),
    ],
    stop() {
      stopping ??= (async () => {
        for (const part of [...parts].reverse()) await part.stop();
        clients.destroy();
        await stopBackend();
      })();
      return stopping;
    },
    killNow: () => stack?.killNow(),
  };
}
