/**
 * Test helpers about processes: the descendants of a PID (via `ps`, Linux and macOS) and
 * whether a PID still runs (a zombie counts as gone: it has exited, only its entry remains
 * until a parent reaps it, which PID 1 in some containers never does).
 */
import { execFileSync } from 'node:child_process';

function processTable(): { pid: number; ppid: number; state: string }[] {
  const output = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,stat='], { encoding: 'utf8' });
  return output
    .split('\n')
    .map((line) => line.trim().split(/\s+/))
    .filter((parts) => parts.length >= 3)
    .map(([pid, ppid, state]) => ({ pid: Number(pid), ppid: Number(ppid), state: state ?? '' }));
}

export function descendantsOf(root: number): number[] {
  const table = processTable();
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const parent = queue.shift();
    for (const row of table) {
      if (row.ppid === parent && !found.includes(row.pid)) {
        found.push(row.pid);
        queue.push(row.pid);
      }
    }
  }
  return found;
}

export function runningPids(pids: readonly number[]): number[] {
  const table = processTable();
  return pids.filter((pid) => table.some((row) => row.pid === pid && !row.state.startsWith('Z')));
}

/** Polls until none of `pids` runs; returns those still running at the deadline. */
export async function waitUntilGone(pids: readonly number[], timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const left = runningPids(pids);
    if (left.length === 0 || Date.now() > deadline) return left;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
