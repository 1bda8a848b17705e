// ParallelizationFactor lanes: one key always maps to one lane; keys spread over all lanes.
import { laneOf } from './lane-assignment';

test('one key, one lane, every time', () => {
  for (const key of ['session-1', 'session-2', '']) {
    expect(laneOf(key, 7)).toBe(laneOf(key, 7));
  }
});

test('a factor of 1 is one lane', () => {
  expect(laneOf('anything', 1)).toBe(0);
});

test('keys spread over every lane', () => {
  const lanes = new Set(Array.from({ length: 200 }, (_, i) => laneOf(`session-${i}`, 10)));
  expect([...lanes].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
});
