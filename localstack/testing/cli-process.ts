/**
 * Test helper: runs `localstack/start.ts` (what `npm start` runs) as a plain node process —
 * no npm or tsx wrapper in between, so the PID is the supervisor itself — and waits for output.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const START = join(__dirname, '..', 'start.ts');
const TSX_CJS = require.resolve('tsx/cjs');

export interface CliProcess {
  readonly child: ChildProcess;
  /** Its LIVEINSIGHT_STATE_DIR (demo.json, read-tokens.json); removed with it unless `env` chose one. */
  readonly stateDir: string;
  output(): string;
  /** Resolves with the output once `pattern` appears; rejects on exit or deadline. */
  waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Runs start.ts with `env` over isolating defaults: a free edge port, a state folder of its own
 * and no demo traffic, so it never collides with a developer's `npm start` or another test.
 * Its state folder and TMPDIR (where it keeps the S3 emulator's data) live in one scratch folder
 * that is removed once the process has exited — also after a SIGKILL, which gives start.ts no
 * chance to clean up itself; `exited` resolves after the removal.
 */
export function runStartCli(env: Readonly<Record<string, string>>): CliProcess {
  const scratch = mkdtempSync(join(tmpdir(), 'liveinsight-start-'));
  const childTmp = join(scratch, 'tmp');
  mkdirSync(childTmp);
  const isolation = {
    LIVEINSIGHT_EDGE_PORT: '0',
    LIVEINSIGHT_DEMO: 'off',
    LIVEINSIGHT_STATE_DIR: join(scratch, 'state'),
    TMPDIR: childTmp,
  };
  const child = spawn(process.execPath, ['--require', TSX_CJS, START], {
    cwd: join(__dirname, '..', '..'),
    env: { ...process.env, ...isolation, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer): void => {
    text += chunk.toString('utf8');
    listeners.forEach((listener) => listener());
  };
  child.stdout?.on('data', onData);
  child.stderr?.on('data', onData);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      void rm(scratch, { recursive: true, force: true }).finally(() => {
        resolve({ code, signal });
        listeners.forEach((listener) => listener());
      });
    }),
  );
  let hasExited = false;
  void exited.then(() => (hasExited = true));

  return {
    child,
    stateDir: env['LIVEINSIGHT_STATE_DIR'] ?? isolation.LIVEINSIGHT_STATE_DIR,
    output: () => text,
    exited,
    waitFor(pattern, timeoutMs) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const match = pattern.exec(text);
          if (match !== null) {
            done();
            resolve(match);
          } else if (hasExited || child.exitCode !== null || child.signalCode !== null) {
            done();
            reject(
              new Error(`start.ts exited before printing ${String(pattern)}; output:\n${text}`),
            );
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(
            new Error(`start.ts did not print ${String(pattern)} within ${timeoutMs} ms:\n${text}`),
          );
        }, timeoutMs);
        const done = (): void => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        check();
      });
    },
  };
}
