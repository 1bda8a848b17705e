import { isUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { firstInvalidUtf8, hexBytes } from './utf8-check';

describe('firstInvalidUtf8', () => {
  it.each([
    ['a lone continuation byte', [0x61, 0x80, 0x62], 1],
    ['0xFF, never in UTF-8', [0x61, 0x62, 0xff], 2],
    ['an overlong "/" (0xC0 0xAF)', [0xc0, 0xaf], 0],
    ['an overlong 3-byte form (0xE0 0x80 0xAF)', [0x20, 0xe0, 0x80, 0xaf], 1],
    ['a UTF-16 surrogate (0xED 0xA0 0x80)', [0x7b, 0xed, 0xa0, 0x80, 0x7d], 1],
    ['a code point above U+10FFFF (0xF4 0x90 0x80 0x80)', [0xf4, 0x90, 0x80, 0x80], 0],
    ['a character cut off at the end', [0x61, 0xe2, 0x82], 1],
    ['a character cut off by ASCII', [0xe2, 0x82, 0x41], 0],
  ])('finds %s', (_name, bytes, offset) => {
    expect(firstInvalidUtf8(Uint8Array.from(bytes))?.offset).toBe(offset);
  });

  it('finds nothing in UTF-8, whatever the characters (and U+FFFD itself is UTF-8)', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(firstInvalidUtf8(Buffer.from(`${text}\uFFFD`, 'utf8'))).toBeUndefined();
      }),
    );
  });

  it('agrees with isUtf8 and points at the end of the longest valid prefix', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const found = firstInvalidUtf8(bytes);

        expect(found === undefined).toBe(isUtf8(bytes));
        if (found !== undefined) {
          expect(isUtf8(bytes.subarray(0, found.offset))).toBe(true);
          expect(isUtf8(bytes.subarray(0, found.offset + 4))).toBe(false);
        }
      }),
    );
  });

  it('shows the bytes it found', () => {
    expect(hexBytes([0xc3, 0x28])).toBe('0xC3 0x28');
  });
});
