import {
  activeRange,
  minutesWithin,
  newCurrentMinutes,
  rangeDifference,
  type InteractionTrace,
} from './activity-minutes';

describe('activeRange', () => {
  it('runs from the start minute to 29 minutes after the last activity', () => {
    // 00:00:59.999 and 00:10:00.000 on day 0.
    expect(activeRange({ startedAt: 59_999, lastSeen: 600_000 })).toEqual({ from: 0, to: 39 });
  });
});

describe('rangeDifference', () => {
  it.each([
    ['no previous range', { from: 5, to: 9 }, undefined, [{ from: 5, to: 9 }]],
    ['a disjoint previous range', { from: 5, to: 9 }, { from: 20, to: 30 }, [{ from: 5, to: 9 }]],
    ['growth at the end', { from: 5, to: 12 }, { from: 5, to: 9 }, [{ from: 10, to: 12 }]],
    ['growth at the start', { from: 2, to: 9 }, { from: 5, to: 9 }, [{ from: 2, to: 4 }]],
    [
      'growth at both ends',
      { from: 2, to: 12 },
      { from: 5, to: 9 },
      [
        { from: 2, to: 4 },
        { from: 10, to: 12 },
      ],
    ],
    ['no growth', { from: 5, to: 9 }, { from: 5, to: 9 }, []],
    ['a range inside the previous one', { from: 6, to: 8 }, { from: 5, to: 9 }, []],
  ])('with %s', (_label, next, previous, expected) => {
    expect(rangeDifference(next, previous)).toEqual(expected);
  });
});

describe('minutesWithin', () => {
  it('lists the minutes of the ranges inside the bounds', () => {
    const ranges = [
      { from: 1, to: 3 },
      { from: 7, to: 20 },
    ];
    expect(minutesWithin(ranges, { from: 2, to: 8 })).toEqual([2, 3, 7, 8]);
  });
});

describe('newCurrentMinutes', () => {
  const trace = (pageviewMinutes: number[], lastInteractionMinute: number): InteractionTrace => ({
    pageviewMinutes: Object.fromEntries(pageviewMinutes.map((m) => [String(m), 1])),
    lastInteractionAt: lastInteractionMinute * 60_000 + 30_000,
  });

  it('covers five minutes from each page view and the last custom event', () => {
    expect(newCurrentMinutes(trace([10, 20], 22), undefined)).toEqual([
      10, 11, 12, 13, 14, 20, 21, 22, 23, 24, 25, 26,
    ]);
  });

  it('adds only minutes after what the previous image covered', () => {
    expect(newCurrentMinutes(trace([10, 12], 12), trace([10], 10))).toEqual([15, 16]);
  });

  it('adds nothing for an engagement-only session', () => {
    expect(newCurrentMinutes({ pageviewMinutes: {}, lastInteractionAt: 0 }, undefined)).toEqual([]);
  });
});
