import { CompiledTemplate } from './render-template';
import { createVtlContext } from './vtl-context';
import { VtlInput } from './vtl-input';
import { contextFields } from '../test-support/template-fixtures';

function run(template: string, stageVariables: Record<string, string> = {}): string {
  return CompiledTemplate.compile('test', template).render({
    context: createVtlContext(contextFields()),
    input: new VtlInput('{"a":"x-y-z","list":[1,2,3]}'),
    stageVariables,
  });
}

describe('Java method semantics on template values', () => {
  it.each([
    ["$input.path('$.a').length()", '5'],
    ["$input.path('$.a').contains('y-')", 'true'],
    ["$input.path('$.a').endsWith('-z')", 'true'],
    ["$input.path('$.a').matches('[a-z-]+')", 'true'],
    ["$input.path('$.a').matches('y')", 'false'],
    ["$input.path('$.a').substring(2)", 'y-z'],
    ["$input.path('$.a').substring(2, 3)", 'y'],
    ["$input.path('$.a').replaceAll('-([a-z])', '+$1')", 'x+y+z'],
    ["$input.path('$.list').size()", '3'],
  ])('%s renders %s', (expression, expected) => {
    expect(run(expression)).toBe(expected);
  });

  it("undoes escapeJavaScript's \\' with the replaceAll AWS documents", () => {
    const out = run(`$util.escapeJavaScript("it's").replaceAll("\\\\'", "'")`);

    expect(out).toBe("it's");
  });

  it('throws where Java throws: substring out of range', () => {
    expect(() => run("$input.path('$.a').substring(3, 2)")).toThrow(
      /substring.*begin 3, end 2, length 5/,
    );
  });

  it('refuses JavaScript-only string methods', () => {
    expect(() => run("$input.path('$.a').includes('y')")).toThrow(
      /java.lang.String.includes.*no such method/,
    );
  });

  // Only the methods the templates call are emulated: a new one fails until added with Java's
  // semantics (here: Java's replace() replaces every match, JavaScript's the first).
  it.each([
    [
      "$input.path('$.a').replace('-', '_')",
      /java.lang.String.replace\("-", "_"\).*no such method/,
    ],
    ["$input.path('$.list').get(1)", /java.util.List.get\(1\).*no such method/],
    ["$input.path('$').containsKey('a')", /java.util.Map.containsKey\("a"\).*no such method/],
    ["$input.path('$.list').size().toString()", /java.lang.Integer.toString\(\).*no such method/],
  ])('refuses a method no template calls: %s', (expression, error) => {
    expect(() => run(expression)).toThrow(error);
  });

  it('reads stage variables by computed name', () => {
    const out = run(
      '#set($n = "origins_$input.path(\'$.a\').substring(0, 1)")$stageVariables[$n]',
      {
        origins_x: 'https://a.example',
      },
    );

    expect(out).toBe('https://a.example');
  });
});
