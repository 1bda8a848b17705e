/**
 * The local AWS: emulators under the supervisor, one endpoint in front of them, and the TTL
 * sweeper that DynamoDB Local lacks. Composable: `npm start`, jest's globalSetup and scripts
 * call `startLocalStack` and get one handle to stop everything.
 */
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { match } from 'ts-pattern';
import { createAwsClients } from '../handlers/aws-clients';
import { dynamoDbLocal } from './emulators/dynamodb-local';
import type { EmulatorDefinition } from './supervisor/emulator-definition';
import { kinesalite } from './emulators/kinesalite';
import { kinesisMock } from './emulators/kinesis-mock';
import type { KinesisEngine } from './kinesis-engine';
import { s3rver } from './emulators/s3rver';
import { type RunningRouter, startRouter } from './router/router';
import {
  type EmulatorEvent,
  type EmulatorState,
  type EmulatorWatch,
  watchEmulators,
} from './supervisor/emulator-watch';
import { findFreePort, resolvePort } from './supervisor/ports';
import type { RunningEmulator } from './supervisor/start-emulator';
import { startOnFreePort } from './supervisor/start-on-free-port';
import { TtlDeletionLog } from './ttl/ttl-deletion-log';
import { ttlShadowInterceptor } from './ttl/ttl-shadow';
import { ttlStreamInterceptor } from './ttl/ttl-stream-interceptor';
import { type TtlSweeper, startTtlSweeper } from './ttl/ttl-sweeper';

export type { KinesisEngine };
export type { EmulatorEvent, EmulatorState };

/** Region every local client uses; the emulators accept any (DynamoDB Local runs -sharedDb). */
export const LOCAL_REGION = 'us-east-1';

export interface LocalStackOptions {
  /**
   * Kinesis engines to run. The first one backs `endpoint`; each gets its own router port so
   * tests can run the same suite against both (default `['kinesalite']`).
   */
  readonly kinesisEngines?: readonly KinesisEngine[];
  /** Port of the one endpoint (default 4566; 0 = any free port). */
  readonly port?: number;
  /** Host the endpoint binds (default 127.0.0.1). */
  readonly host?: string;
  /**
   * Keeps DynamoDB (-dbPath), kinesalite's streams (--path) and S3 data in this directory across
   * restarts; memory/temp if unset. An emulator that dies is restarted only when its data is kept.
   */
  readonly dataDir?: string;
  /** Java executable for DynamoDB Local (default `java`). */
  readonly javaCommand?: string;
  /** TTL sweeper: interval between sweeps (`'manual'`: only on request) and lag behind expiry. */
  readonly ttl?: { readonly intervalMs: number | 'manual'; readonly lagSeconds: number };
  /** Deadline for each emulator's first answer. */
  readonly readyTimeoutMs?: number;
  readonly log?: (line: string) => void;
  /**
   * An emulator exited on its own, was restarted, or is lost (supervisor/emulator-watch.ts).
   * @default one log line each
   */
  readonly onEmulatorEvent?: (event: EmulatorEvent) => void;
}

export interface LocalStack {
  /** The one AWS endpoint (router of the first Kinesis engine). */
  readonly endpoint: string;
  /** One endpoint per Kinesis engine run; all share DynamoDB and S3. */
  readonly endpoints: Readonly<Partial<Record<KinesisEngine, string>>>;
  readonly region: string;
  readonly emulators: readonly RunningEmulator[];
  readonly ttl: TtlSweeper;
  readonly ttlDeletions: TtlDeletionLog;
  /** Wall time from call to every endpoint answering. */
  readonly startupMs: number;
  /** Each emulator's state by name, as `/_localstack/health` reports it. */
  emulatorStates(): Readonly<Record<string, EmulatorState>>;
  /** PIDs of every process started (emulators and their guards), for checks and tooling. */
  pids(): readonly number[];
  /** Orderly stop: sweeper, routers, then each emulator by its PID (SIGTERM, then SIGKILL). */
  stop(): Promise<void>;
  /** Synchronous SIGKILL of every process, for a second Ctrl-C or `process.on('exit')`. */
  killNow(): void;
}

/** Body of POST /_liveinsight/ttl/sweep: `{}` (all tables) or `{"tables": ["name", …]}`. */
function parseSweepRequest(body: Buffer): readonly string[] | undefined | Error {
  if (body.length === 0) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch {
    return new Error('body is not JSON (expected {} or {"tables": [names]})');
  }
  if (typeof parsed !== 'object' || parsed === null) return new Error('expected a JSON object');
  if (!('tables' in parsed) || parsed.tables === undefined) return undefined;
  const tables = parsed.tables;
  if (!Array.isArray(tables) || !tables.every((name) => typeof name === 'string')) {
    return new Error(`tables is ${JSON.stringify(tables)} (expected an array of table names)`);
  }
  return tables;
}

interface Started {
  emulators: RunningEmulator[];
  routers: RunningRouter[];
  sweeper?: TtlSweeper;
  watch?: EmulatorWatch;
  tempDirs: string[];
}

async function stopAll(started: Started): Promise<void> {
  // First, so that the emulators stopped below are not taken for crashed and restarted.
  await started.watch?.close();
  await started.sweeper?.stop();
  await Promise.allSettled(started.routers.map((router) => router.close()));
  await Promise.allSettled(started.emulators.map((emulator) => emulator.process.stop()));
  await Promise.allSettled(
    started.tempDirs.map((dir) => rm(dir, { recursive: true, force: true })),
  );
}

export async function startLocalStack(options: LocalStackOptions = {}): Promise<LocalStack> {
  const began = Date.now();
  const log = options.log ?? (() => undefined);
  const engines = options.kinesisEngines ?? ['kinesalite'];
  if (engines.length === 0) throw new RangeError('kinesisEngines is empty (expected at least one)');
  const started: Started = { emulators: [], routers: [], tempDirs: [] };
  const killOnExit = (): void =>
    started.emulators.forEach((emulator) => emulator.process.killNow());
  process.on('exit', killOnExit);

  try {
    // Check the public port before spending seconds on emulators.
    const routerPort = await resolvePort(options.port ?? 4566, 'local AWS endpoint');

    let s3Directory: string;
    let dynamoDbPath: string | undefined;
    let kinesalitePath: string | undefined;
    if (options.dataDir === undefined) {
      s3Directory = await mkdtemp(join(tmpdir(), 'liveinsight-s3-'));
      started.tempDirs.push(s3Directory);
    } else {
      dynamoDbPath = join(options.dataDir, 'dynamodb');
      s3Directory = join(options.dataDir, 's3');
      await mkdir(dynamoDbPath, { recursive: true });
      await mkdir(s3Directory, { recursive: true });
      if (engines.includes('kinesalite')) {
        kinesalitePath = join(options.dataDir, 'kinesalite');
        await mkdir(kinesalitePath, { recursive: true });
      }
    }

    // Factories, not definitions: a retry on a new port needs a fresh definition (kinesis-mock
    // takes its second, TLS port at creation).
    const factories: (() => Promise<EmulatorDefinition>)[] = [
      async () =>
        dynamoDbLocal({
          ...(dynamoDbPath === undefined ? {} : { dbPath: dynamoDbPath }),
          ...(options.javaCommand === undefined ? {} : { javaCommand: options.javaCommand }),
        }),
      async () => s3rver({ directory: s3Directory }),
      ...engines.map(
        (engine) => async () =>
          engine === 'kinesalite'
            ? kinesalite(kinesalitePath === undefined ? {} : { path: kinesalitePath })
            : kinesisMock({ tlsPort: await findFreePort() }),
      ),
    ];
    log(`starting dynamodb-local, s3rver, ${engines.join(', ')}`);

    // Start in parallel; on any failure, stop the ones that did start, then report.
    const definitions = new Map<string, () => Promise<EmulatorDefinition>>();
    const results = await Promise.allSettled(
      factories.map(async (factory) => {
        const emulator = await startOnFreePort(factory, options.readyTimeoutMs, log);
        started.emulators.push(emulator);
        definitions.set(emulator.name, factory);
        log(`${emulator.name} ready on ${emulator.endpoint} in ${emulator.startupMs} ms`);
        return emulator;
      }),
    );
    const failure = results.find((result) => result.status === 'rejected');
    if (failure !== undefined) throw failure.reason;
    const watch = watchEmulators({
      emulators: started.emulators,
      definitions,
      onEvent: options.onEmulatorEvent ?? ((event) => log(describeEmulatorEvent(event))),
      ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
    });
    started.watch = watch;

    const byName = (name: string): RunningEmulator => {
      const found = started.emulators.find((emulator) => emulator.name === name);
      if (found === undefined) throw new Error(`emulator ${name} is not running`);
      return found;
    };
    const dynamodb = byName('dynamodb-local').endpoint;
    const s3 = byName('s3rver').endpoint;

    const ttlDeletions = new TtlDeletionLog();
    const sweeperClients = createAwsClients({ endpoint: dynamodb, region: LOCAL_REGION });
    const sweeper = startTtlSweeper({
      dynamodb: sweeperClients.dynamodb,
      log: ttlDeletions,
      intervalMs: options.ttl?.intervalMs ?? 'manual',
      lagSeconds: options.ttl?.lagSeconds ?? 0,
      onStop: () => sweeperClients.destroy(),
      onError: (error) => log(`TTL sweep failed: ${error.message}`),
    });
    started.sweeper = sweeper;

    // Shared by every router: iterators handed out by one are valid on the others.
    const interceptors = [ttlShadowInterceptor(), ttlStreamInterceptor(ttlDeletions)];
    const endpoints: Partial<Record<KinesisEngine, string>> = {};
    for (const [index, engine] of engines.entries()) {
      const router = await startRouter({
        port: index === 0 ? routerPort : 0,
        ...(options.host === undefined ? {} : { host: options.host }),
        upstreams: { dynamodb, s3, kinesis: byName(engine).endpoint },
        interceptors,
        internal: {
          // What the supervisor saw, not a constant: a dead emulator shows as restarting/error.
          '/_localstack/health': async () => {
            const states = watch.states();
            const stateOf = (name: string): EmulatorState => states[name] ?? 'error';
            return {
              status: 200,
              body: {
                services: {
                  dynamodb: stateOf('dynamodb-local'),
                  dynamodbstreams: stateOf('dynamodb-local'),
                  kinesis: stateOf(engine),
                  s3: stateOf('s3rver'),
                },
                engines: { dynamodb: 'dynamodb-local', kinesis: engine, s3: 's3rver' },
              },
            };
          },
          '/_liveinsight/ttl/sweep': async (_request, body) => {
            const tables = parseSweepRequest(body);
            if (tables instanceof Error) return { status: 400, body: { message: tables.message } };
            return { status: 200, body: { deleted: await sweeper.sweepNow(tables) } };
          },
        },
      });
      started.routers.push(router);
      endpoints[engine] = router.url;
    }

    const first = engines[0] ?? 'kinesalite';
    const endpoint = endpoints[first] ?? '';
    let stopping: Promise<void> | undefined;
    const stop = (): Promise<void> => {
      stopping ??= stopAll(started).finally(() => process.off('exit', killOnExit));
      return stopping;
    };

    return {
      endpoint,
      endpoints,
      region: LOCAL_REGION,
      emulators: started.emulators,
      ttl: sweeper,
      ttlDeletions,
      startupMs: Date.now() - began,
      emulatorStates: () => watch.states(),
      killNow: killOnExit,
      pids: () =>
        started.emulators.flatMap((emulator) => [emulator.process.pid, emulator.process.guardPid]),
      stop,
    };
  } catch (error) {
    await stopAll(started);
    process.off('exit', killOnExit);
    throw error;
  }
}

/** One line per emulator event, for logs and `npm start`. */
export function describeEmulatorEvent(event: EmulatorEvent): string {
  return match(event)
    .with(
      { kind: 'exited' },
      (exited) =>
        `${exited.name} (pid ${exited.pid}) exited on its own (code ${String(exited.code)}, signal ${String(exited.signal)})` +
        (exited.restarting ? '; restarting it with its data' : ''),
    )
    .with(
      { kind: 'restarted' },
      (restarted) =>
        `${restarted.name} restarted (pid ${restarted.pid}), down for ${restarted.downMs} ms`,
    )
    .with(
      { kind: 'lost' },
      (lost) => `${lost.name} is down and will not be restarted: ${lost.reason}`,
    )
    .exhaustive();
}
