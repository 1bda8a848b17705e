/**
 * A body that is not UTF-8 is refused with a 400 that says where, and nothing of it reaches the
 * stream (it used to be accepted with the bytes rewritten to U+FFFD). A genuine U+FFFD is text.
 */
import { ErrorBodySchema } from '../../schemas/query';
import { parseWith } from '../../schemas/validator';
import { type TestStack, useTestStack } from '../testing/use-test-stack';
import { type Harness, events, startHarness } from './test-support/edge-harness';

let stack: TestStack;
let edge: Harness;
beforeAll(async () => {
  stack = await useTestStack({ name: 'edge-utf8' });
  edge = await startHarness(stack);
});
afterAll(async () => {
  await edge?.stop();
  await stack?.dispose();
});

/** A valid body whose first title holds `bytes` (the marker is ASCII, so it is found exactly). */
function bodyWithTitleBytes(bytes: readonly number[]): { body: Buffer; offset: number } {
  const text = JSON.stringify({ siteId: 'shop', events: events(2, { title: 'MARK' }) });
  const offset = Buffer.byteLength(text.slice(0, text.indexOf('MARK')));
  const [head, tail] = [
    Buffer.from(text.slice(0, text.indexOf('MARK'))),
    text.slice(text.indexOf('MARK') + 4),
  ];
  return { body: Buffer.concat([head, Uint8Array.from(bytes), Buffer.from(tail)]), offset };
}

describe('a body that is not UTF-8', () => {
  it.each([
    ['a lone continuation byte', [0x80]],
    ['0xFF', [0x61, 0xff]],
    ['an overlong encoding', [0xc0, 0xaf]],
    ['an encoded UTF-16 surrogate', [0xed, 0xa0, 0x80]],
    ['a character cut off', [0xe2, 0x82]],
  ])('%s → 400 invalid_utf8 naming the byte offset; nothing stored', async (_name, bytes) => {
    // Arrange
    const { body, offset } = bodyWithTitleBytes(bytes);
    const at = offset + (bytes[0] === 0x61 ? 1 : 0);

    // Act
    const answer = await edge.post(body);

    // Assert
    expect(answer.status).toBe(400);
    const error = parseWith(ErrorBodySchema, answer.json);
    if (!error.ok) throw new Error(`not the error contract: ${JSON.stringify(answer.json)}`);
    expect(error.value.error.code).toBe('invalid_utf8');
    expect(error.value.error.message).toContain('not valid UTF-8');
    expect(error.value.error.message).toContain(`offset ${at}`);
    expect(error.value.error.details).toEqual({ offset: at });
    expect(answer.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await edge.recordsOf(answer.requestId)).toEqual([]);
  });

  it('a genuine U+FFFD (valid UTF-8) is text like any other and is stored as sent', async () => {
    const { body } = bodyWithTitleBytes([0xef, 0xbf, 0xbd]);

    const answer = await edge.post(body);

    expect(answer.status).toBe(200);
    const records = await edge.recordsOf(answer.requestId);
    expect(records.map((r) => r.record.event.title)).toContain('\uFFFD');
  });
});
