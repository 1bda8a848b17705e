// How Lambda reads a stream handler's answer, with and without ReportBatchItemFailures.
import { interpretInvocation } from './handler-response';

const SEQS = ['100', '200', '300', '400'];
const returned = (value: unknown) => ({ kind: 'returned' as const, value });

describe('with ReportBatchItemFailures', () => {
  test.each([
    ['undefined', undefined],
    ['null', null],
    ['an empty string', ''],
    ['an empty array', []],
    ['an empty object', {}],
    ['an empty batchItemFailures', { batchItemFailures: [] }],
    ['a null batchItemFailures', { batchItemFailures: null }],
  ])('%s is success', (_name, value) => {
    expect(interpretInvocation(returned(value), SEQS, true)).toEqual({ kind: 'success' });
  });

  test('checkpoints at the lowest failed sequence number, whatever the order of the list', () => {
    const value = {
      batchItemFailures: [
        { itemIdentifier: '400' },
        { itemIdentifier: '200' },
        { itemIdentifier: '400' },
      ],
    };
    expect(interpretInvocation(returned(value), SEQS, true)).toEqual({
      kind: 'partial',
      failedIndex: 1,
    });
  });

  test('a failed first record means nothing is done', () => {
    const value = { batchItemFailures: [{ itemIdentifier: '100' }] };
    expect(interpretInvocation(returned(value), SEQS, true)).toEqual({
      kind: 'partial',
      failedIndex: 0,
    });
  });

  test.each([
    ['an empty itemIdentifier', { batchItemFailures: [{ itemIdentifier: '' }] }],
    ['a null itemIdentifier', { batchItemFailures: [{ itemIdentifier: null }] }],
    ['the identifier under another key', { batchItemFailures: [{ itemId: '200' }] }],
    ['an identifier not in the batch', { batchItemFailures: [{ itemIdentifier: '999' }] }],
    [
      'one bad identifier among good ones',
      { batchItemFailures: [{ itemIdentifier: '300' }, { itemIdentifier: '' }] },
    ],
    ['a numeric identifier', { batchItemFailures: [{ itemIdentifier: 200 }] }],
    ['a batchItemFailures that is not an array', { batchItemFailures: { itemIdentifier: '200' } }],
    ['a bare string entry', { batchItemFailures: ['200'] }],
    ['a non-empty string', 'ok'],
    ['a number', 42],
    ['a non-empty array', [{ itemIdentifier: '200' }]],
  ])('%s fails the whole batch', (_name, value) => {
    expect(interpretInvocation(returned(value), SEQS, true)).toMatchObject({ kind: 'failure' });
  });
});

test('without ReportBatchItemFailures any returned value is success', () => {
  const value = { batchItemFailures: [{ itemIdentifier: '200' }] };
  expect(interpretInvocation(returned(value), SEQS, false)).toEqual({ kind: 'success' });
  expect(interpretInvocation(returned('anything'), SEQS, false)).toEqual({ kind: 'success' });
});

test('a thrown error or a timeout fails the whole batch, in both modes', () => {
  for (const report of [true, false]) {
    expect(interpretInvocation({ kind: 'threw', error: new Error('boom') }, SEQS, report)).toEqual({
      kind: 'failure',
      reason: 'handler threw: Error: boom',
    });
    expect(interpretInvocation({ kind: 'timed-out', timeoutMs: 50 }, SEQS, report)).toMatchObject({
      kind: 'failure',
      reason: expect.stringContaining('50 ms'),
    });
  }
});
