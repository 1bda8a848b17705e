import { VtlInput } from './vtl-input';

describe('$input', () => {
  const input = new VtlInput('{"siteId":"s","events":[{"a":1},{"a":2}],"o":{"k":"v"}}', {
    path: { id: 'p' },
    querystring: { id: 'q', only: 'q' },
    header: { origin: 'https://a.example', 'x-api-key': 'k' },
  });

  it.each([
    ['$', '{"siteId":"s","events":[{"a":1},{"a":2}],"o":{"k":"v"}}'],
    ['$.events[1]', '{"a":2}'],
    ["$['o']['k']", '"v"'],
    ['$.events[*].a', '[1,2]'],
    ['$.missing', 'null'],
  ])('json(%s) = %s', (path, expected) => {
    expect(input.json(path)).toBe(expected);
  });

  it('path() returns template data', () => {
    expect(input.path('$.events')).toEqual([{ a: 1 }, { a: 2 }]);
    expect(input.path('$.siteId')).toBe('s');
  });

  it('params(name) searches path, query string, then headers (case-insensitively)', () => {
    expect(input.params('id')).toBe('p');
    expect(input.params('only')).toBe('q');
    expect(input.params('Origin')).toBe('https://a.example');
    expect(input.params('absent')).toBe('');
  });

  it('refuses JSONPath it does not implement instead of guessing', () => {
    expect(() => input.path('$..a')).toThrow(/not supported/);
    expect(() => input.path('$.events[?(@.a)]')).toThrow(/not supported/);
  });

  it('gives {} for an empty body, as API Gateway does', () => {
    expect(new VtlInput('').body).toBe('{}');
  });
});
