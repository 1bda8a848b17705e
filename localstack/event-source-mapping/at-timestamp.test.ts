// AT_TIMESTAMP emulation: from the first record at or after the timestamp on, everything passes.
import { startingAt } from './at-timestamp';
import type { StreamRecord } from './ports';

const record = (arrivalMs: number): StreamRecord => ({
  sequenceNumber: String(arrivalMs),
  orderingKey: 'k',
  arrivalMs,
  eventRecord: {},
  payloadBytes: 2,
});

test('drops records before the timestamp, across pages, then passes everything', () => {
  const filter = startingAt(100);
  expect(filter([record(10), record(50)])).toEqual([]);
  expect(filter([record(90), record(100), record(95)]).map((r) => r.arrivalMs)).toEqual([100, 95]);
  expect(filter([record(20)]).map((r) => r.arrivalMs)).toEqual([20]);
});
