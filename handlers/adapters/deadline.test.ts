import {
  DeadlineExceededError,
  backoffDelayMs,
  deadlineFrom,
  sleepWithin,
  withinDeadline,
} from './deadline';

describe('deadlineFrom', () => {
  test('keeps 10% of the remaining time, at least 500 ms, for answering', () => {
    let now = 1_000;
    const clock = () => now;

    const long = deadlineFrom(15_000, { now: clock });
    const short = deadlineFrom(2_000, { now: clock });

    expect(long.at).toBe(1_000 + 13_500);
    expect(short.at).toBe(1_000 + 1_500);
    now = 1_000 + 13_500;
    expect(long.expired()).toBe(true);
    expect(long.remainingMs()).toBe(0);
  });

  test('never lies in the past of the start when little time remains', () => {
    const deadline = deadlineFrom(100, { now: () => 0 });
    expect(deadline.at).toBe(0);
    expect(deadline.expired()).toBe(true);
  });
});

describe('backoffDelayMs (capped exponential, full jitter)', () => {
  test('grows as base·2^attempt up to the cap, scaled by the random draw', () => {
    const backoff = { baseMs: 25, capMs: 1_000, random: () => 0.999 };

    const delays = [0, 1, 2, 3, 4, 5, 6].map((attempt) => backoffDelayMs(attempt, backoff));

    expect(delays).toEqual([24, 49, 99, 199, 399, 799, 999]);
  });

  test('full jitter: a draw of 0 waits not at all', () => {
    expect(backoffDelayMs(5, { baseMs: 25, capMs: 1_000, random: () => 0 })).toBe(0);
  });
});

describe('withinDeadline', () => {
  test('passes the result through when the call is in time', async () => {
    await expect(withinDeadline(deadlineFrom(5_000), 'fast', async () => 42)).resolves.toBe(42);
  });

  test('rejects at the deadline and aborts the signal, even if the call ignores it', async () => {
    let signal: AbortSignal | undefined;
    const started = Date.now();

    const result = withinDeadline(deadlineFrom(600, { minReserveMs: 500 }), 'slow call', (s) => {
      signal = s;
      return new Promise<never>(() => undefined);
    });

    await expect(result).rejects.toBeInstanceOf(DeadlineExceededError);
    await expect(result).rejects.toThrow('slow call did not finish before the invocation deadline');
    expect(Date.now() - started).toBeLessThan(500);
    expect(signal?.aborted).toBe(true);
  });

  test('refuses to start once the deadline has passed', async () => {
    const call = jest.fn(async () => 1);

    await expect(withinDeadline(deadlineFrom(0), 'late', call)).rejects.toBeInstanceOf(
      DeadlineExceededError,
    );
    expect(call).not.toHaveBeenCalled();
  });
});

test('sleepWithin refuses a sleep that would outlast the deadline', async () => {
  const deadline = deadlineFrom(1_000, { minReserveMs: 500 });

  await expect(sleepWithin(deadline, 10_000)).resolves.toBe(false);
  await expect(sleepWithin(deadline, 1)).resolves.toBe(true);
});
