/**
 * Strict base64: is `data` exactly the canonical base64 (RFC 4648, standard alphabet, padded)
 * of the `decodedLength` bytes Buffer.from produced from it? Buffer.from silently skips junk
 * (whitespace, any character outside the alphabet) and accepts the URL-safe alphabet too, so the
 * bytes alone prove nothing. Re-encoding and comparing would decide it, but allocates a string as
 * long as the record on the hot path; this decides the same without allocating:
 *
 * - every skipped character makes the decoded length fall short of 3/4 of the text minus its
 *   padding, and so does `=` anywhere but at the end;
 * - `-` and `_` (URL-safe) decode like `+` and `/`, so they are looked for explicitly;
 * - canonical text has zero bits after the last byte: the last data character before `==` must
 *   be a multiple of 16 in the alphabet, before `=` a multiple of 4.
 */
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i += 1) VALUE[ALPHABET.charCodeAt(i)] = i;

const EQUALS = 61;

export function isCanonicalBase64(data: string, decodedLength: number): boolean {
  const length = data.length;
  if (length % 4 !== 0) return false;
  if (length === 0) return decodedLength === 0;
  const padding =
    data.charCodeAt(length - 1) !== EQUALS ? 0 : data.charCodeAt(length - 2) === EQUALS ? 2 : 1;
  if (decodedLength !== (length / 4) * 3 - padding) return false;
  if (data.includes('-') || data.includes('_')) return false;
  if (padding === 0) return true;
  const last = VALUE[data.charCodeAt(length - padding - 1)] ?? -1;
  return last >= 0 && last % (padding === 2 ? 16 : 4) === 0;
}
