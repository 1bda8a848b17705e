/**
 * The tests' one wait: polls a condition until it holds or a deadline passes, instead of sleeping
 * (DESIGN.md section 7). Every test and test helper that waits for something asynchronous (a
 * stream record, a rollup, a log line, a process) waits through this.
 */

export interface WaitOptions {
  /** @default 5000 */
  readonly timeoutMs?: number;
  /** Pause between probes; raise it where a probe costs a request. @default 5 */
  readonly intervalMs?: number;
}

/**
 * Resolves with the probe's first value that is neither `undefined` nor `false`. A probe that
 * throws counts as "not yet". At the deadline it rejects naming `description` (a function is
 * called then, so it can describe the state at that moment) and the last probe's value or error.
 */
export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  description: string | (() => string),
  options: number | WaitOptions = {},
): Promise<T> {
  const { timeoutMs = 5000, intervalMs = 5 } =
    typeof options === 'number' ? { timeoutMs: options } : options;
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined && value !== false) return value;
      last = value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const what = typeof description === 'function' ? description() : description;
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last probe: ${String(last)}`,
        {
          cause: last instanceof Error ? last : undefined,
        },
      );
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
