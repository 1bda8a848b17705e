import fc from 'fast-check';
import { isCanonicalBase64 } from './base64';

/** The obvious oracle: decode, re-encode, compare. */
const oracle = (data: string) => Buffer.from(data, 'base64').toString('base64') === data;
const check = (data: string) => isCanonicalBase64(data, Buffer.from(data, 'base64').length);

describe('strict base64', () => {
  it.each([
    ['', true],
    ['QQ==', true],
    ['QUI=', true],
    ['QUJD', true],
    ['QR==', false],
    ['QUJ=', false],
    ['QUJD\n', false],
    ['QU JD', false],
    ['QU=D', false],
    ['QQ==QQ==', false],
    ['=QUJ', false],
    ['-_8=', false],
    ['QUJ*', false],
    ['QQ', false],
    ['Q===', false],
    ['====', false],
  ])('%j → %s', (data, expected) => {
    expect(check(data)).toBe(expected);
    expect(oracle(data)).toBe(expected);
  });

  it('agrees with decode-and-re-encode on canonical text with random damage (property)', () => {
    const damage = fc.constantFrom('', '=', '==', ' ', '\n', '-', '_', '*', 'é', 'A', '+', '/');
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 40 }),
        fc.array(fc.tuple(fc.nat(), damage, fc.boolean()), { maxLength: 3 }),
        (bytes, edits) => {
          let data = Buffer.from(bytes).toString('base64');
          for (const [at, text, replace] of edits) {
            const i = data.length === 0 ? 0 : at % (data.length + 1);
            data = data.slice(0, i) + text + data.slice(replace ? i + 1 : i);
          }

          expect(check(data)).toBe(oracle(data));
        },
      ),
      { numRuns: 2_000 },
    );
  });
});
