/**
 * Starts one emulator behind a guard process (child-guard.ts) and keeps the last lines of its
 * output for error messages. Stopping is by the processes' own PIDs, never by name.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { EmulatorStartError } from '../errors';

export interface ProcessSpec {
  /** Emulator name used in messages, e.g. `dynamodb-local`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly env?: Readonly<Record<string, string>>;
  /** How long the guard waits after SIGTERM before SIGKILL (default 3 s). */
  readonly stopGraceMs?: number;
}

export interface GuardedProcess {
  readonly name: string;
  /** PID of the emulator itself. */
  readonly pid: number;
  /** PID of its guard. */
  readonly guardPid: number;
  /** Last lines the emulator wrote to stdout/stderr (newest last). */
  outputTail(): readonly string[];
  /** Resolves when the emulator has exited (after `stop()` or on its own). */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  readonly hasExited: () => boolean;
  stop(): Promise<void>;
  /** Synchronous last resort for `process.on('exit')`: SIGKILL both processes. */
  killNow(): void;
}

const TAIL_LINES = 40;
const GUARD_PATH = require.resolve('./child-guard.ts');
const TSX_CJS = require.resolve('tsx/cjs');

class OutputTail {
  private readonly lines: string[] = [];
  private partial = '';

  push(chunk: Buffer): void {
    const text = this.partial + chunk.toString('utf8');
    const parts = text.split(/\r?\n/);
    this.partial = parts.pop() ?? '';
    for (const line of parts) {
      if (line.trim() === '') continue;
      this.lines.push(line);
      if (this.lines.length > TAIL_LINES) this.lines.shift();
    }
  }

  snapshot(): readonly string[] {
    return this.partial.trim() === '' ? [...this.lines] : [...this.lines, this.partial];
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

function killQuietly(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone: nothing to do.
  }
}

interface GuardMessage {
  readonly type: string;
  readonly pid?: unknown;
  readonly code?: unknown;
  readonly message?: unknown;
  readonly signal?: unknown;
}

function isGuardMessage(value: unknown): value is GuardMessage {
  return typeof value === 'object' && value !== null && 'type' in value;
}

/**
 * Spawns the guard (detached into its own process group so a terminal's Ctrl-C reaches only
 * the supervisor, which then stops everything in order) and waits until the emulator runs.
 */
export function startGuardedProcess(spec: ProcessSpec): Promise<GuardedProcess> {
  const tail = new OutputTail();
  const guard: ChildProcess = fork(
    GUARD_PATH,
    [String(spec.stopGraceMs ?? 3_000), spec.command, ...spec.args],
    {
      cwd: spec.cwd,
      env: { ...process.env, ...spec.env },
      execArgv: ['--require', TSX_CJS],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      detached: true,
    },
  );
  guard.stdout?.on('data', (chunk: Buffer) => tail.push(chunk));
  guard.stderr?.on('data', (chunk: Buffer) => tail.push(chunk));

  let exitedFlag = false;
  // The emulator's own end, as its guard reported it; else the guard's end stands in.
  let emulatorExit: { code: number | null; signal: NodeJS.Signals | null } | undefined;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    guard.on('exit', (code, signal) => {
      exitedFlag = true;
      resolve(emulatorExit ?? { code, signal });
    });
  });

  return new Promise<GuardedProcess>((resolve, reject) => {
    let settled = false;
    const fail = (reason: string, cause?: unknown): void => {
      if (settled) return;
      settled = true;
      killQuietly(guard.pid, 'SIGKILL');
      reject(new EmulatorStartError(spec.name, reason, tail.snapshot(), { cause }));
    };
    guard.on('error', (error) =>
      fail(`could not start its guard process: ${error.message}`, error),
    );
    guard.on('message', (message: unknown) => {
      if (!isGuardMessage(message)) return;
      if (message.type === 'exited') {
        emulatorExit = {
          code: typeof message.code === 'number' ? message.code : null,
          signal: typeof message.signal === 'string' ? (message.signal as NodeJS.Signals) : null,
        };
        return;
      }
      if (message.type === 'spawn-error') {
        const code = String(message.code);
        const hint =
          code === 'ENOENT'
            ? `command ${JSON.stringify(spec.command)} was not found on PATH`
            : `command ${JSON.stringify(spec.command)} could not be run (${code})`;
        fail(hint, new Error(String(message.message)));
        return;
      }
      if (message.type === 'spawned' && typeof message.pid === 'number' && !settled) {
        settled = true;
        const pid = message.pid;
        const guardPid = guard.pid ?? -1;
        resolve({
          name: spec.name,
          pid,
          guardPid,
          outputTail: () => tail.snapshot(),
          exited,
          hasExited: () => exitedFlag,
          async stop() {
            if (!exitedFlag) {
              // Closing the IPC channel is the guard's signal to stop its emulator.
              if (guard.connected) guard.disconnect();
              else killQuietly(guardPid, 'SIGTERM');
              const grace = (spec.stopGraceMs ?? 3_000) + 2_000;
              const timer = setTimeout(() => {
                killQuietly(pid, 'SIGKILL');
                killQuietly(guardPid, 'SIGKILL');
              }, grace);
              await exited;
              clearTimeout(timer);
            }
            // The guard waits for its emulator, but a guard killed from outside cannot: by PID.
            if (isAlive(pid)) killQuietly(pid, 'SIGKILL');
          },
          killNow() {
            killQuietly(pid, 'SIGKILL');
            killQuietly(guardPid, 'SIGKILL');
          },
        });
      }
    });
    guard.on('exit', (code, signal) => {
      fail(`exited before it started (code ${String(code)}, signal ${String(signal)})`);
    });
  });
}
