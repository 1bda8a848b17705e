/**
 * One scratch folder per jest run. globalSetup points TMPDIR at it, so every temporary folder a
 * test makes — and every folder the processes it starts make (npm start's S3 data, Chromium's
 * profile) — lands inside; globalTeardown checks that the tests removed what they made, then
 * removes the folder. The check is scoped to this run: other jest runs on the machine (other
 * developers, CI jobs) have folders of their own and never count here.
 */
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Set once per run so that every global hook (the integration project's too) shares it. */
const SCRATCH_ENV = 'LIVEINSIGHT_TEST_SCRATCH';

/**
 * Tools' own folders, not test leftovers (they go with the run's folder): tsx keeps its compile
 * cache and IPC pipes in `tsx-<uid>` when tests start TypeScript processes (npm start, the
 * CLIs), and the CDK's `App` synthesizes into a fresh `cdk.outXXXXXX` whenever a test builds an
 * app without an outdir — every construct test does, through `Template.fromStack`.
 */
const TOOL_CACHES = [/^tsx-\d+$/, /^cdk\.out[A-Za-z0-9]{6}$/];

/** Creates the run's scratch folder (once) and points TMPDIR at it; returns its path. */
export function enterRunScratchDir(): string {
  const existing = process.env[SCRATCH_ENV];
  if (existing !== undefined && existing !== '') return existing;
  const dir = mkdtempSync(join(tmpdir(), 'liveinsight-jest-'));
  process.env[SCRATCH_ENV] = dir;
  // Node's os.tmpdir() reads TMPDIR on every call; jest's workers and every child process
  // started from now on inherit it.
  process.env['TMPDIR'] = dir;
  // A run that never reaches globalTeardown (a globalSetup that throws, an interrupted run)
  // still leaves nothing behind once jest exits.
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Which of the names found in the run's folder are test leftovers (tools' folders excepted). */
export function leftovers(names: readonly string[]): string[] {
  return names.filter((name) => !TOOL_CACHES.some((cache) => cache.test(name))).sort();
}

/**
 * Removes the run's scratch folder; throws naming every leftover, so a test that forgets to
 * clean up (or cleans up only when it passes) fails the run.
 */
export function leaveRunScratchDir(): void {
  const dir = process.env[SCRATCH_ENV];
  if (dir === undefined || dir === '') return;
  const left = leftovers(readdirSync(dir));
  rmSync(dir, { recursive: true, force: true });
  if (left.length > 0) {
    throw new Error(
      `tests left ${left.length} temporary folder(s) behind in ${dir}: ${left.join(', ')} ` +
        '(expected none: every test removes what it creates, also when it fails)',
    );
  }
}
