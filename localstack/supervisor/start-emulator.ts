/**
 * Starts one emulator under a guard and waits until it answers a real API call, with a deadline.
 * A failure names the emulator and carries its last output lines.
 */
import type { EmulatedService, EmulatorDefinition } from './emulator-definition';
import { EmulatorStartError, MissingRuntimeError } from '../errors';
import { type GuardedProcess, startGuardedProcess } from './guarded-process';

export interface RunningEmulator {
  readonly name: string;
  readonly service: EmulatedService;
  readonly description: string;
  /** EmulatorDefinition.keepsData: its data survives a restart of its process. */
  readonly keepsData: boolean;
  readonly port: number;
  readonly endpoint: string;
  readonly process: GuardedProcess;
  readonly startupMs: number;
}

export interface StartEmulatorOptions {
  readonly port: number;
  /** Deadline for the first successful API call (default 60 s: a cold JVM on a busy 2-core box). */
  readonly readyTimeoutMs?: number;
}

const POLL_MS = 100;

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

export async function startEmulator(
  definition: EmulatorDefinition,
  options: StartEmulatorOptions,
): Promise<RunningEmulator> {
  const started = Date.now();
  const spec = definition.processSpec(options.port);
  let guarded: GuardedProcess;
  try {
    guarded = await startGuardedProcess(spec);
  } catch (error) {
    if (error instanceof EmulatorStartError && error.reason.includes('was not found on PATH')) {
      const runtime =
        spec.command === 'java' || /java/i.test(spec.command) ? 'Java 17+' : spec.command;
      throw new MissingRuntimeError(
        runtime,
        `Emulator ${definition.name}`,
        `was not found (looked for ${JSON.stringify(spec.command)} on PATH); install a JDK 17+ ` +
          '(e.g. `apt-get install openjdk-17-jre-headless`) or set LIVEINSIGHT_JAVA to its path',
        { cause: error },
      );
    }
    throw error;
  }
  const endpoint = `http://127.0.0.1:${options.port}`;
  const deadline = started + (options.readyTimeoutMs ?? 60_000);
  let lastError: unknown;
  for (;;) {
    if (guarded.hasExited()) {
      const { code, signal } = await guarded.exited;
      throw new EmulatorStartError(
        definition.name,
        `exited before answering (code ${String(code)}, signal ${String(signal)})`,
        guarded.outputTail(),
        { cause: lastError },
      );
    }
    try {
      await definition.probe(endpoint);
      return {
        name: definition.name,
        service: definition.service,
        description: definition.description,
        keepsData: definition.keepsData,
        port: options.port,
        endpoint,
        process: guarded,
        startupMs: Date.now() - started,
      };
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const tail = guarded.outputTail();
      await guarded.stop();
      const detail = lastError instanceof Error ? lastError.message : String(lastError);
      throw new EmulatorStartError(
        definition.name,
        `did not answer on ${endpoint} within ${options.readyTimeoutMs ?? 60_000} ms (last error: ${detail})`,
        tail,
        { cause: lastError },
      );
    }
    await delay(POLL_MS);
  }
}
