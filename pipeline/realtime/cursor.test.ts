import { CursorError, decodeCursor, encodeCursor } from './cursor';

describe('paging cursor', () => {
  it('round-trips a position as an opaque URL-safe string', () => {
    const cursor = encodeCursor({ siteId: 'site-a', after: 'sess_0042-abc' });

    expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(cursor).not.toContain('sess_0042');
    expect(decodeCursor(cursor, 'site-a')).toEqual({ siteId: 'site-a', after: 'sess_0042-abc' });
  });

  it('refuses a cursor of another site', () => {
    const cursor = encodeCursor({ siteId: 'site-a', after: 's1' });

    expect(() => decodeCursor(cursor, 'site-b')).toThrow(/belongs to another site.*"site-b"/);
  });

  it.each([
    ['not base64 JSON', '%%%'],
    [
      'JSON of the wrong shape',
      Buffer.from('{"v":2,"site":"site-a","after":"x"}').toString('base64url'),
    ],
    ['an empty position', Buffer.from('{"v":1,"site":"site-a","after":""}').toString('base64url')],
  ])('refuses %s and names what it expected', (_label, cursor) => {
    expect(() => decodeCursor(cursor, 'site-a')).toThrow(CursorError);
    expect(() => decodeCursor(cursor, 'site-a')).toThrow(/expected/);
  });
});
