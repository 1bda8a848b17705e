/** The copy's write rate and its checksum, without I/O (a fake clock that records the waits). */
import { TableChecksum, canonicalJson } from './canonical-json';
import { WriteRate } from './copy-back';

function fakeClock() {
  let now = 0;
  const waits: number[] = [];
  return {
    waits,
    clock: {
      now: () => now,
      sleep: (ms: number) => {
        waits.push(ms);
        now += ms;
        return Promise.resolve();
      },
    },
  };
}

test('1,000 write units at 100 WCU/s wait 9 s: one second of burst, then the rate', async () => {
  const { clock, waits } = fakeClock();
  const rate = new WriteRate(100, clock);

  for (let i = 0; i < 40; i += 1) await rate.take(25);

  expect(waits.reduce((a, b) => a + b, 0)).toBe(9_000);
});

test('a rate that is not a positive number is refused, naming it', () => {
  expect(() => new WriteRate(0, fakeClock().clock)).toThrow(/--rate 0 \(expected write units/);
});

test('the checksum does not depend on item order, attribute order or set order', () => {
  const a = { pk: { S: 'a' }, tags: { SS: ['x', 'y'] }, n: { N: '1' } };
  const b = { n: { N: '2' }, pk: { S: 'b' } };
  const one = new TableChecksum();
  const two = new TableChecksum();

  one.add(a);
  one.add(b);
  two.add({ pk: { S: 'b' }, n: { N: '2' } });
  two.add({ tags: { SS: ['y', 'x'] }, n: { N: '1' }, pk: { S: 'a' } });

  expect(one.equals(two)).toBe(true);
  expect(canonicalJson(a)).toBe('{"n":{"N":"1"},"pk":{"S":"a"},"tags":{"SS":["x","y"]}}');
  const three = new TableChecksum();
  three.add(a);
  three.add({ ...b, n: { N: '3' } });
  expect(three.equals(one)).toBe(false);
});
