import { itemWithPk, targetsOf } from './fault-injector';
import { delay, unprocessedItems } from './faults';

test('targetsOf names the tables or stream a call addresses', () => {
  expect(targetsOf({ TableName: 'sessions', Item: {} })).toEqual(['sessions']);
  expect(targetsOf({ StreamName: 'events' })).toEqual(['events']);
  expect(targetsOf({ RequestItems: { events: [], 'bad-rows': [] } })).toEqual([
    'events',
    'bad-rows',
  ]);
  expect(targetsOf(undefined)).toEqual([]);
});

test('itemWithPk matches single-item calls on one key', () => {
  const match = itemWithPk('site#s1');
  expect(match({ Item: { pk: { S: 'site#s1' } } })).toBe(true);
  expect(match({ Key: { pk: { S: 'site#s1' } } })).toBe(true);
  expect(match({ Item: { pk: { S: 'site#s2' } } })).toBe(false);
});

test('fault constructors refuse nonsense with the value received', () => {
  expect(() => unprocessedItems(0)).toThrow(
    'unprocessedItems count is 0 (expected an integer >= 1)',
  );
  expect(() => delay(-1)).toThrow('delay is -1 ms');
});
