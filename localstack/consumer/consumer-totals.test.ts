import type { BatchReport } from '../../handlers/consumer/consume-batch';
import { ConsumerTotals } from './consumer-totals';

function report(overrides: Partial<BatchReport> = {}): BatchReport {
  return {
    stats: { records: 10, stored: 10, duplicates: 0, bad: 0, sessions: 1, iteratorAgeMs: 0 },
    failedSequenceNumbers: [],
    sessionWrites: 1,
    sessionsUnchanged: 0,
    activeSessionWrites: 1,
    written: { newEvents: 10, repeatedEvents: 0, badRows: 0 },
    rejectedSessions: 0,
    ...overrides,
  };
}

describe('ConsumerTotals', () => {
  it('adds what was written, not what the pipeline processed', () => {
    const totals = new ConsumerTotals();

    totals.add(report());
    totals.add(report({ written: { newEvents: 0, repeatedEvents: 10, badRows: 1 } }));
    // DynamoDB down: the pipeline processed 10 records, nothing was written.
    totals.add(
      report({
        written: { newEvents: 0, repeatedEvents: 0, badRows: 0 },
        failedSequenceNumbers: ['1', '2'],
        firstError: 'ServiceUnavailable: connect ECONNREFUSED',
      }),
    );

    expect({ stored: totals.stored, repeated: totals.repeated, bad: totals.bad }).toEqual({
      stored: 10,
      repeated: 10,
      bad: 1,
    });
    expect(totals.errorsText()).toBe(
      'consumer errors 1 (last: 2 records failed: ServiceUnavailable: connect ECONNREFUSED)',
    );
  });

  it('counts thrown errors with their cause, on one line, shortened', () => {
    const totals = new ConsumerTotals();
    expect(totals.errorsText()).toBe('consumer errors 0');

    totals.addError(
      new Error(`batch failed\n${'x'.repeat(300)}`, { cause: new TypeError('boom') }),
    );

    const text = totals.errorsText();
    expect(text.startsWith('consumer errors 1 (last: Error: batch failed x')).toBe(true);
    expect(text).not.toContain('\n');
    expect(text.endsWith('…)')).toBe(true);
  });
});
