// Lambda's retry / bisect / partial-failure / age rules as pure plans.
import { planAfterInvoke, splitByAge, type Chunk } from './failure-policy';

const chunk = (records: number[], retriesUsed = 0): Chunk<number> => ({
  records,
  retriesUsed,
  invokeCount: 1,
});
const noBisect = { bisectBatchOnFunctionError: false, maximumRetryAttempts: 2 };
const bisect = { bisectBatchOnFunctionError: true, maximumRetryAttempts: 0 };
const failure = { kind: 'failure', reason: 'x' } as const;

test('success finishes every record', () => {
  expect(planAfterInvoke(chunk([1, 2, 3]), { kind: 'success' }, noBisect)).toEqual({
    step: 'completed',
    done: [1, 2, 3],
    next: [],
  });
});

test('a failure is retried whole, consuming one retry, until the retries are used up', () => {
  const first = planAfterInvoke(chunk([1, 2]), failure, noBisect);
  expect(first).toMatchObject({
    step: 'retry',
    done: [],
    next: [{ records: [1, 2], retriesUsed: 1 }],
    backoffAttempt: 0,
  });
  expect(planAfterInvoke(chunk([1, 2], 2), failure, noBisect)).toMatchObject({
    step: 'exhausted',
    next: [],
    exhausted: { records: [1, 2], retriesUsed: 2 },
  });
});

test('infinite retries never exhaust', () => {
  const plan = planAfterInvoke(chunk([1], 1_000_000), failure, {
    bisectBatchOnFunctionError: false,
    maximumRetryAttempts: Infinity,
  });
  expect(plan.step).toBe('retry');
});

test('bisect splits a failed chunk in halves without consuming retries, down to one record', () => {
  expect(planAfterInvoke(chunk([1, 2, 3, 4, 5]), failure, bisect)).toMatchObject({
    step: 'bisect',
    next: [
      { records: [1, 2, 3], retriesUsed: 0 },
      { records: [4, 5], retriesUsed: 0 },
    ],
  });
  expect(planAfterInvoke(chunk([3]), failure, bisect)).toMatchObject({
    step: 'exhausted',
    exhausted: { records: [3] },
  });
});

test('a partial failure finishes the records before the lowest failed one and retries the rest', () => {
  expect(
    planAfterInvoke(chunk([1, 2, 3, 4]), { kind: 'partial', failedIndex: 2 }, noBisect),
  ).toMatchObject({
    step: 'retry',
    done: [1, 2],
    next: [{ records: [3, 4], retriesUsed: 1 }],
  });
});

test('with bisect, a partial failure splits at the failed record without consuming a retry', () => {
  expect(
    planAfterInvoke(chunk([1, 2, 3, 4]), { kind: 'partial', failedIndex: 1 }, bisect),
  ).toMatchObject({
    step: 'bisect-at-failure',
    done: [1],
    next: [{ records: [2, 3, 4], retriesUsed: 0 }],
  });
});

test('a partial failure at the first record made no progress: an ordinary failure (bisect or retry)', () => {
  expect(
    planAfterInvoke(chunk([1, 2, 3, 4]), { kind: 'partial', failedIndex: 0 }, bisect),
  ).toMatchObject({
    step: 'bisect',
    done: [],
  });
  expect(
    planAfterInvoke(chunk([1, 2]), { kind: 'partial', failedIndex: 0 }, noBisect),
  ).toMatchObject({
    step: 'retry',
    done: [],
  });
});

test('the age split keeps fresh records, in order, and never splits with an infinite age', () => {
  const arrival = (ms: number) => ms;
  expect(splitByAge([10, 50, 20, 90], arrival, 100, 60)).toEqual({
    expired: [10, 20],
    fresh: [50, 90],
  });
  expect(splitByAge([10, 50], arrival, 1e12, Infinity)).toEqual({ expired: [], fresh: [10, 50] });
  expect(splitByAge([40], arrival, 100, 60)).toEqual({ expired: [], fresh: [40] }); // exactly the maximum age is not older
});
