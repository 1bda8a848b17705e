import { escapeJavaScript, VtlUtil } from './vtl-util';

describe('$util', () => {
  const util = new VtlUtil();

  it.each([
    ['plain', 'plain'],
    ["it's", "it\\'s"],
    ['say "hi"', 'say \\"hi\\"'],
    ['a/b\\c', 'a\\/b\\\\c'],
    ['line\nbreak\ttab', 'line\\nbreak\\ttab'],
    ['\u0001', '\\u0001'],
    ['é😀', '\\u00E9\\uD83D\\uDE00'],
    ['', '{}'],
    [null, 'null'],
  ])('escapeJavaScript(%j) = %j (Commons Lang, AWS quirks)', (input, expected) => {
    expect(escapeJavaScript(input)).toBe(expected);
  });

  it("escapes to valid JSON once \\' is undone", () => {
    const nasty = 'a\'b"c\\d/e\u2028f\u0000g😀';

    const escaped = escapeJavaScript(nasty).replace(/\\'/g, "'");

    expect(JSON.parse(`"${escaped}"`)).toBe(nasty);
  });

  it('base64-encodes the UTF-8 bytes of a string', () => {
    expect(util.base64Encode('é')).toBe(Buffer.from('é', 'utf8').toString('base64'));
    expect(util.base64Decode(util.base64Encode('{"a":"é"}'))).toBe('{"a":"é"}');
  });

  it('refuses to base64-encode a parsed object and says what to use', () => {
    expect(() => util.base64Encode({ a: 1 })).toThrow(/\$input.json/);
  });

  it('url-encodes like java.net.URLEncoder', () => {
    expect(util.urlEncode("a b&c=d/é*~'")).toBe('a+b%26c%3Dd%2F%C3%A9*%7E%27');
    expect(util.urlDecode('a+b%26')).toBe('a b&');
  });

  it('parses JSON and names bad input', () => {
    expect(util.parseJson('{"a":[1]}')).toEqual({ a: [1] });
    expect(() => util.parseJson('{')).toThrow(/not JSON/);
  });
});
