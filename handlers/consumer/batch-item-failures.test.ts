import { batchResponse, lowestSequenceNumber } from './batch-item-failures';

describe('batchResponse', () => {
  test('success is an empty list', () => {
    expect(batchResponse([])).toEqual({ batchItemFailures: [] });
  });

  test('reports only the lowest failed sequence number, compared as numbers not text', () => {
    const failed = [
      '49590338271490256608559692540925702759324208523137515618',
      '9959033827149025660855969254092570275932420852313751561',
      '49590338271490256608559692540925702759324208523137515619',
    ];

    expect(batchResponse(failed)).toEqual({
      batchItemFailures: [
        { itemIdentifier: '9959033827149025660855969254092570275932420852313751561' },
      ],
    });
  });
});

test('lowestSequenceNumber of equal-length numbers', () => {
  expect(lowestSequenceNumber(['300', '120', '201'])).toBe('120');
  expect(lowestSequenceNumber([])).toBeUndefined();
});
