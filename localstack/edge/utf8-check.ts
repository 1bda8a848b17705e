/**
 * Where a body stops being UTF-8. API Gateway decodes a text body as UTF-8 and turns bytes that
 * are not UTF-8 into U+FFFD without a word; the local edge refuses them instead and says where.
 * The check itself is `isUtf8` (one native pass); this scan runs only on bodies that failed it.
 */

/** A sequence that is not UTF-8: its offset in the body and up to 4 of its bytes. */
export interface InvalidUtf8 {
  readonly offset: number;
  readonly bytes: readonly number[];
}

/** Second-byte ranges of the well-formed sequences (Unicode, Table 3-7), by lead byte. */
function sequenceOf(lead: number): { length: number; low: number; high: number } | undefined {
  if (lead >= 0xc2 && lead <= 0xdf) return { length: 2, low: 0x80, high: 0xbf };
  if (lead === 0xe0) return { length: 3, low: 0xa0, high: 0xbf };
  // 0xED 0xA0–0xBF would encode a UTF-16 surrogate, which UTF-8 excludes.
  if (lead === 0xed) return { length: 3, low: 0x80, high: 0x9f };
  if (lead >= 0xe1 && lead <= 0xef) return { length: 3, low: 0x80, high: 0xbf };
  if (lead === 0xf0) return { length: 4, low: 0x90, high: 0xbf };
  if (lead >= 0xf1 && lead <= 0xf3) return { length: 4, low: 0x80, high: 0xbf };
  if (lead === 0xf4) return { length: 4, low: 0x80, high: 0x8f };
  return undefined;
}

/** The first sequence that is not UTF-8, or undefined when all of `body` is UTF-8. */
export function firstInvalidUtf8(body: Uint8Array): InvalidUtf8 | undefined {
  const invalidAt = (offset: number): InvalidUtf8 => ({
    offset,
    bytes: [...body.subarray(offset, offset + 4)],
  });
  let i = 0;
  while (i < body.length) {
    const lead = body[i] as number;
    if (lead < 0x80) {
      i += 1;
      continue;
    }
    const sequence = sequenceOf(lead);
    if (sequence === undefined) return invalidAt(i);
    for (let k = 1; k < sequence.length; k++) {
      const next = body[i + k];
      const [low, high] = k === 1 ? [sequence.low, sequence.high] : [0x80, 0xbf];
      if (next === undefined || next < low || next > high) return invalidAt(i);
    }
    i += sequence.length;
  }
  return undefined;
}

/** `0xC3 0x28` */
export function hexBytes(bytes: readonly number[]): string {
  return bytes.map((b) => `0x${b.toString(16).toUpperCase().padStart(2, '0')}`).join(' ');
}
