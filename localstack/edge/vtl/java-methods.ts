/**
 * Java method semantics for velocityjs. On API Gateway a template's values are Java objects:
 * strings are java.lang.String, JSON objects java.util.Map, arrays java.util.List. velocityjs
 * hands templates plain JavaScript values, whose methods differ in ways that matter
 * (`"a-b-c".replace("-", "_")` replaces every match in Java, the first in JavaScript;
 * `substring(5, 2)` throws in Java and swaps its arguments in JavaScript; Java strings have
 * `length()`, `contains()`, `matches()`). These handlers give the local edge Java's behaviour for
 * the methods our templates use, and throw for any other method on these values (maps, numbers
 * and booleans have none), so a template that works locally only by JavaScript's grace, or calls
 * a method nobody emulated yet, fails locally too.
 */
import { TemplateRenderError } from './errors';

export interface MethodCall {
  readonly property: string;
  readonly context: unknown;
  readonly params: unknown[];
}

export interface MethodHandler {
  readonly uid: string;
  match(call: MethodCall): boolean;
  resolve(call: MethodCall): unknown;
}

/** What Java would name the receiver's class, for error messages. */
function javaClassOf(value: unknown): string {
  if (typeof value === 'string') return 'java.lang.String';
  if (Array.isArray(value)) return 'java.util.List';
  if (typeof value === 'number')
    return Number.isInteger(value) ? 'java.lang.Integer' : 'java.lang.Double';
  if (typeof value === 'boolean') return 'java.lang.Boolean';
  return 'java.util.Map';
}

function fail(call: MethodCall, problem: string): never {
  throw new TemplateRenderError(
    `${javaClassOf(call.context)}.${call.property}(${call.params.map(describe).join(', ')}): ${problem}`,
  );
}

function describe(value: unknown): string {
  if (typeof value === 'string')
    return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value === undefined || value === null) return 'null';
  if (Array.isArray(value)) return `[${value.length} items]`;
  if (typeof value === 'object') return '{…}';
  return String(value);
}

function javaString(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  return typeof value === 'string' ? value : String(value);
}

function intArg(call: MethodCall, index: number): number {
  const value = call.params[index];
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    fail(call, `argument ${index + 1} must be an int, received ${describe(value)}`);
  }
  return value;
}

function stringArg(call: MethodCall, index: number): string {
  const value = call.params[index];
  if (value === undefined || value === null) {
    // Java throws NullPointerException for a null CharSequence argument.
    fail(call, `argument ${index + 1} is null (NullPointerException)`);
  }
  return javaString(value);
}

function arity(call: MethodCall, ...allowed: number[]): void {
  if (!allowed.includes(call.params.length)) {
    fail(call, `takes ${allowed.join(' or ')} arguments, received ${call.params.length}`);
  }
}

/**
 * Java regular expressions as JavaScript ones. The common syntax is shared; Java-only
 * constructs (possessive quantifiers, \p{Alpha}-style classes, embedded flags) are refused
 * rather than misread.
 */
function javaRegex(call: MethodCall, source: string, flags: string): RegExp {
  if (/[*+?}]\+|\\p\{[A-Z][a-z]|\(\?[a-z]+\)|\\[AZzG]/.test(source)) {
    fail(
      call,
      `the Java regular expression ${JSON.stringify(source)} uses syntax this emulation does not translate`,
    );
  }
  try {
    return new RegExp(source, flags);
  } catch (cause) {
    throw new TemplateRenderError(
      `${javaClassOf(call.context)}.${call.property}: invalid regular expression ${JSON.stringify(source)}`,
      { cause },
    );
  }
}

/** A Java replacement string (`$1` groups, `\` escapes) applied to one match. */
function javaReplacement(
  call: MethodCall,
  replacement: string,
): (match: string, ...groups: unknown[]) => string {
  return (match, ...rest) => {
    const groups = rest.slice(0, -2);
    let out = '';
    for (let i = 0; i < replacement.length; i++) {
      const ch = replacement[i];
      if (ch === '\\') {
        i++;
        if (i >= replacement.length) fail(call, 'character to be escaped is missing');
        out += replacement[i];
      } else if (ch === '$') {
        const digit = replacement[i + 1];
        if (digit === undefined || !/\d/.test(digit)) fail(call, 'illegal group reference');
        i++;
        const n = Number(digit);
        if (n === 0) out += match;
        else if (n <= groups.length) out += javaString(groups[n - 1] ?? '');
        else fail(call, `no group ${n}`);
      } else {
        out += ch;
      }
    }
    return out;
  };
}

type Impl = (self: string, call: MethodCall) => unknown;

/**
 * Only the methods infra/api/templates/*.vtl call (gateway responses are not VTL): a template
 * that starts calling another one fails locally until it is added here with Java's semantics.
 */
const STRING_METHODS: Readonly<Record<string, Impl>> = {
  length: (s, c) => (arity(c, 0), s.length),
  contains: (s, c) => (arity(c, 1), s.includes(stringArg(c, 0))),
  endsWith: (s, c) => (arity(c, 1), s.endsWith(stringArg(c, 0))),
  substring: (s, c) => {
    arity(c, 1, 2);
    const begin = intArg(c, 0);
    const end = c.params.length === 2 ? intArg(c, 1) : s.length;
    if (begin < 0 || end > s.length || begin > end) {
      fail(c, `begin ${begin}, end ${end}, length ${s.length} (StringIndexOutOfBoundsException)`);
    }
    return s.substring(begin, end);
  },
  replaceAll: (s, c) => {
    arity(c, 2);
    return s.replace(javaRegex(c, stringArg(c, 0), 'g'), javaReplacement(c, stringArg(c, 1)));
  },
  matches: (s, c) => (arity(c, 1), javaRegex(c, `^(?:${stringArg(c, 0)})$`, '').test(s)),
};

type ListImpl = (self: unknown[], call: MethodCall) => unknown;

const LIST_METHODS: Readonly<Record<string, ListImpl>> = {
  size: (l, c) => (arity(c, 0), l.length),
};

/** JSON data and our own context maps; not the helper objects ($input, $util) with methods. */
function isPlainData(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function lookup<T>(table: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, name) ? table[name] : undefined;
}

export const JAVA_METHOD_HANDLERS: readonly MethodHandler[] = [
  {
    uid: 'java.lang.String',
    match: ({ context }) => typeof context === 'string',
    resolve: (call) => {
      const impl = lookup(STRING_METHODS, call.property);
      if (impl === undefined) fail(call, 'no such method in this emulation of java.lang.String');
      return impl(call.context as string, call);
    },
  },
  {
    uid: 'java.lang.Number/Boolean',
    match: ({ context }) => typeof context === 'number' || typeof context === 'boolean',
    resolve: (call) => fail(call, 'no such method in this emulation'),
  },
  {
    uid: 'java.util.List',
    match: ({ context }) => Array.isArray(context),
    resolve: (call) => {
      const impl = lookup(LIST_METHODS, call.property);
      if (impl === undefined) fail(call, 'no such method in this emulation of java.util.List');
      return impl(call.context as unknown[], call);
    },
  },
  {
    uid: 'java.util.Map',
    match: ({ context }) => isPlainData(context),
    resolve: (call) => fail(call, 'no such method in this emulation of java.util.Map'),
  },
];
