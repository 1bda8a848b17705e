/**
 * Guard process between the supervisor and one emulator: it spawns the emulator and kills it
 * when the supervisor goes away for ANY reason — a clean stop, SIGINT/SIGTERM, or a crash or
 * SIGKILL that leaves no chance to clean up. It notices the last case because the operating
 * system closes the IPC channel of a dead parent ('disconnect'). Portable, unlike Linux's
 * PR_SET_PDEATHSIG, and needs nothing from the emulator itself (DynamoDB Local is a JVM).
 *
 * Run as: node --require tsx/cjs child-guard.ts <grace-ms> <command> [args...]
 * with an IPC channel. The emulator inherits the guard's stdout/stderr, so the supervisor reads
 * its output directly. Messages to the parent: {type:'spawned', pid} | {type:'spawn-error',
 * code, message} | {type:'exited', code, signal} (how the emulator ended: the guard's own exit
 * code cannot carry a signal).
 */
import { spawn } from 'node:child_process';

const [graceArg, command, ...args] = process.argv.slice(2);
const graceMs = Number(graceArg);

function send(message: Record<string, unknown>): void {
  if (process.connected && process.send !== undefined) process.send(message);
}

if (command === undefined || !Number.isFinite(graceMs)) {
  process.stderr.write(
    `child-guard: expected "<grace-ms> <command> [args...]", received ${JSON.stringify(process.argv.slice(2))}\n`,
  );
  process.exit(2);
}

const child = spawn(command, args, { stdio: ['ignore', 'inherit', 'inherit'] });
let stopping = false;

child.on('spawn', () => send({ type: 'spawned', pid: child.pid }));
child.on('error', (error: NodeJS.ErrnoException) => {
  send({ type: 'spawn-error', code: error.code ?? 'UNKNOWN', message: error.message });
  process.exitCode = 127;
  process.disconnect?.();
});
child.on('exit', (code, signal) => {
  send({ type: 'exited', code, signal });
  // Mirror the child's end so the supervisor sees how it ended.
  process.exitCode = code ?? (signal === null ? 1 : 128);
  if (process.connected) process.disconnect();
});

function stop(): void {
  if (stopping) return;
  stopping = true;
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) {
    process.exit();
  }
  child.kill('SIGTERM');
  // A JVM or a busy emulator may ignore SIGTERM for a while; never leave it behind.
  setTimeout(() => child.kill('SIGKILL'), graceMs).unref();
}

process.on('disconnect', stop);
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
process.on('SIGHUP', stop);
