/**
 * Watches the emulators after start: an emulator that exits on its own (a crash, an OOM kill, a
 * stray `kill`) is reported at once, and restarted on its port when its data survives a restart
 * (EmulatorDefinition.keepsData); an in-memory emulator would come back empty — its tables or
 * streams gone — so it is reported lost instead, and the product stops rather than accept events
 * it can no longer store. A restart that fails, or a crash loop, is lost too.
 *
 * The watch keeps each emulator's state for `/_localstack/health` and swaps the restarted process
 * into the running list, so pids(), stop() and killNow() act on the live processes.
 */
import type { EmulatedService, EmulatorDefinition } from './emulator-definition';
import { type RunningEmulator, startEmulator } from './start-emulator';

/** As `/_localstack/health` shows a service: LocalStack's words where they exist. */
export type EmulatorState = 'running' | 'restarting' | 'error';

export type EmulatorEvent =
  | {
      readonly kind: 'exited';
      readonly name: string;
      readonly service: EmulatedService;
      readonly pid: number;
      readonly code: number | null;
      readonly signal: NodeJS.Signals | null;
      /** True when a restart follows; false when the emulator is lost (see `reason` of 'lost'). */
      readonly restarting: boolean;
      readonly outputTail: readonly string[];
    }
  | {
      readonly kind: 'restarted';
      readonly name: string;
      readonly service: EmulatedService;
      readonly pid: number;
      /** From its exit to answering again. */
      readonly downMs: number;
    }
  | {
      readonly kind: 'lost';
      readonly name: string;
      readonly service: EmulatedService;
      /** Why it is not (or no longer) restarted, for the operator. */
      readonly reason: string;
    };

/** Restarts allowed within RESTART_WINDOW_MS before an emulator counts as crash-looping. */
export const MAX_RESTARTS = 3;
export const RESTART_WINDOW_MS = 5 * 60_000;

export interface EmulatorWatchOptions {
  /** The live list: a restarted emulator replaces its entry in place. */
  readonly emulators: RunningEmulator[];
  /** Per emulator name, a fresh definition of it (same data folder) for a restart. */
  readonly definitions: ReadonlyMap<string, () => Promise<EmulatorDefinition>>;
  readonly onEvent: (event: EmulatorEvent) => void;
  readonly readyTimeoutMs?: number;
  readonly clock?: () => number;
}

export interface EmulatorWatch {
  /** State per emulator name. */
  states(): Readonly<Record<string, EmulatorState>>;
  /** Stop watching (before stopping the emulators); awaits a restart in progress. */
  close(): Promise<void>;
}

export function watchEmulators(options: EmulatorWatchOptions): EmulatorWatch {
  const clock = options.clock ?? Date.now;
  const states: Record<string, EmulatorState> = {};
  const restartsAt = new Map<string, number[]>();
  const inProgress = new Set<Promise<void>>();
  let closed = false;

  const lose = (emulator: RunningEmulator, reason: string): void => {
    states[emulator.name] = 'error';
    options.onEvent({ kind: 'lost', name: emulator.name, service: emulator.service, reason });
  };

  const restart = async (previous: RunningEmulator, exitedAt: number): Promise<void> => {
    const factory = options.definitions.get(previous.name);
    if (factory === undefined) {
      lose(previous, 'the supervisor has no definition to restart it with');
      return;
    }
    try {
      const definition = await factory();
      // The same port: the endpoint's router forwards there.
      const next = await startEmulator(definition, {
        port: previous.port,
        ...(options.readyTimeoutMs === undefined ? {} : { readyTimeoutMs: options.readyTimeoutMs }),
      });
      const index = options.emulators.indexOf(previous);
      if (index >= 0) options.emulators[index] = next;
      else options.emulators.push(next);
      if (closed) return; // stop() stops it with the others
      states[next.name] = 'running';
      options.onEvent({
        kind: 'restarted',
        name: next.name,
        service: next.service,
        pid: next.process.pid,
        downMs: clock() - exitedAt,
      });
      watch(next);
    } catch (error) {
      if (closed) return;
      lose(
        previous,
        `restarting it on port ${previous.port} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  };

  const watch = (emulator: RunningEmulator): void => {
    states[emulator.name] = 'running';
    void emulator.process.exited.then(({ code, signal }) => {
      if (closed) return;
      const now = clock();
      const recent = (restartsAt.get(emulator.name) ?? []).filter(
        (at) => now - at < RESTART_WINDOW_MS,
      );
      const crashLooping = recent.length >= MAX_RESTARTS;
      const restarting = emulator.keepsData && !crashLooping;
      states[emulator.name] = restarting ? 'restarting' : 'error';
      options.onEvent({
        kind: 'exited',
        name: emulator.name,
        service: emulator.service,
        pid: emulator.process.pid,
        code,
        signal,
        restarting,
        outputTail: emulator.process.outputTail(),
      });
      if (!restarting) {
        lose(
          emulator,
          crashLooping
            ? `it exited ${recent.length + 1} times within ${RESTART_WINDOW_MS / 60_000} minutes`
            : 'it keeps its data in memory, so a restart would come back empty (set LIVEINSIGHT_DATA_DIR to keep data on disk and have it restarted)',
        );
        return;
      }
      restartsAt.set(emulator.name, [...recent, now]);
      const task = restart(emulator, now).finally(() => inProgress.delete(task));
      inProgress.add(task);
    });
  };

  options.emulators.forEach(watch);
  return {
    states: () => ({ ...states }),
    async close() {
      closed = true;
      while (inProgress.size > 0) await Promise.allSettled([...inProgress]);
    },
  };
}
