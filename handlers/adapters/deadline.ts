/**
 * The time budget of one invocation. Derived from Lambda's `getRemainingTimeInMillis()` minus a
 * reserve for answering: work still unfinished at the deadline is reported as failed records
 * (Lambda re-sends them) instead of letting the function time out, which would fail — and
 * with bisect, split — the whole batch.
 */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';
  constructor(
    readonly what: string,
    readonly budgetMs: number,
    options?: { cause?: unknown },
  ) {
    super(`${what} did not finish before the invocation deadline (${budgetMs} ms budget)`, options);
  }
}

export interface Deadline {
  /** Epoch ms after which no new work starts and pending calls are abandoned. */
  readonly at: number;
  remainingMs(): number;
  expired(): boolean;
}

export interface DeadlineOptions {
  /** Fraction of the remaining time kept for answering (default 0.1). */
  readonly reserveFraction?: number;
  /** Minimum reserve (default 500 ms). */
  readonly minReserveMs?: number;
  readonly now?: () => number;
}

export function deadlineFrom(remainingMs: number, options: DeadlineOptions = {}): Deadline {
  const now = options.now ?? Date.now;
  const reserve = Math.max(
    options.minReserveMs ?? 500,
    remainingMs * (options.reserveFraction ?? 0.1),
  );
  const at = now() + Math.max(0, remainingMs - reserve);
  return {
    at,
    remainingMs: () => Math.max(0, at - now()),
    expired: () => now() >= at,
  };
}

/**
 * A deadline at `fraction` of the time left: an earlier phase (e.g. retrying unprocessed raw
 * writes) must not use up the time the later phases (sessions) need to make progress.
 */
export function shareOf(
  deadline: Deadline,
  fraction: number,
  now: () => number = Date.now,
): Deadline {
  const at = Math.min(deadline.at, now() + Math.floor(deadline.remainingMs() * fraction));
  return {
    at,
    remainingMs: () => Math.max(0, at - now()),
    expired: () => now() >= at,
  };
}

/**
 * Runs `call` with an AbortSignal that fires at the deadline, and rejects with
 * DeadlineExceededError then even if the call ignores the signal. A call abandoned this way may
 * still land later: every write of the consumer is idempotent or version-guarded, so it may.
 */
export async function withinDeadline<T>(
  deadline: Deadline,
  what: string,
  call: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const budget = deadline.remainingMs();
  if (budget <= 0) throw new DeadlineExceededError(what, 0);
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const error = new DeadlineExceededError(what, budget);
      controller.abort(error);
      reject(error);
    }, budget);
  });
  const pending = call(controller.signal);
  // The loser of the race must not surface as an unhandled rejection.
  pending.catch(() => undefined);
  try {
    return await Promise.race([pending, expiry]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Capped exponential backoff with full jitter (AWS Architecture Blog, "Exponential Backoff And
 * Jitter"): a uniform delay in [0, min(cap, base · 2^attempt)).
 */
export interface Backoff {
  readonly baseMs: number;
  readonly capMs: number;
  /** Injected for deterministic tests; Math.random otherwise. */
  readonly random?: () => number;
}

export const DEFAULT_BACKOFF: Backoff = { baseMs: 25, capMs: 1_000 };

export function backoffDelayMs(attempt: number, backoff: Backoff = DEFAULT_BACKOFF): number {
  const ceiling = Math.min(backoff.capMs, backoff.baseMs * 2 ** attempt);
  return Math.floor((backoff.random ?? Math.random)() * ceiling);
}

/** Sleeps `ms`, or returns false at once when the deadline would pass first. */
export async function sleepWithin(deadline: Deadline, ms: number): Promise<boolean> {
  if (ms >= deadline.remainingMs()) return false;
  await new Promise((resolve) => setTimeout(resolve, ms));
  return true;
}
