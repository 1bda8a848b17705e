/**
 * Renders API Gateway mapping templates with velocityjs: the same `.vtl` text that CDK deploys,
 * with `$input`, `$util`, `$context` and `$stageVariables` as API Gateway defines them and Java
 * method semantics on strings, lists and maps (java-methods.ts).
 */
import { Compile, Helper, parse } from 'velocityjs';
import { TemplateRenderError, TemplateSyntaxError } from './errors';
import { JAVA_METHOD_HANDLERS } from './java-methods';
import type { VtlContext } from './vtl-context';
import type { VtlInput } from './vtl-input';
import { VtlUtil } from './vtl-util';

export interface TemplateVariables {
  readonly context: VtlContext;
  readonly input: VtlInput;
  readonly stageVariables: Readonly<Record<string, string>>;
}

type Asts = ReturnType<typeof parse>;
type CompileConfig = NonNullable<ConstructorParameters<typeof Compile>[1]>;

const CONFIG: CompileConfig = {
  escape: false,
  customMethodHandlers: [...JAVA_METHOD_HANDLERS],
};

const UTIL = new VtlUtil();

/**
 * velocityjs parses every double-quoted string with references anew each time it is evaluated
 * (`"$.events[$foreach.index]"` once per event per request), which made rendering cost ~1 ms a
 * request. The strings are template source text, so their parses are cached (bounded anyway).
 */
const PARSED_STRINGS = new Map<string, Asts>();
const MAX_PARSED_STRINGS = 1000;

type Ast = Parameters<Compile['getReferences']>[0];
type ReferenceAst = Parameters<typeof Helper.getRefText>[0];

class CachingCompile extends Compile {
  /**
   * JSON null is Java's null on API Gateway, and Velocity renders a null reference like a missing
   * one: its own text, or nothing when quiet (`$!x`). velocityjs would print "null" (it does so
   * for missing ones only), which let a Kinesis answer with `"ErrorCode": null` (kinesis-mock)
   * read as a failed record.
   */
  override getReferences(ast: Ast, isVal?: boolean): string {
    // Declared as string, but a reference resolves to any value (maps, lists, numbers, null).
    const value = super.getReferences(ast, isVal) as unknown;
    if (value !== null || isVal !== true) return value as string;
    const reference = ast as ReferenceAst;
    return 'leader' in reference && reference.leader === '$!' ? '' : Helper.getRefText(reference);
  }

  protected override evalStr(str: string): string {
    let asts = PARSED_STRINGS.get(str);
    if (asts === undefined) {
      if (PARSED_STRINGS.size >= MAX_PARSED_STRINGS) PARSED_STRINGS.clear();
      asts = parse(str);
      PARSED_STRINGS.set(str, asts);
    }
    return this.renderAstList(asts, this.contextId);
  }
}

export class CompiledTemplate {
  private constructor(
    readonly name: string,
    private readonly asts: Asts,
  ) {}

  /** Parses once; throws TemplateSyntaxError naming the template. */
  static compile(name: string, text: string): CompiledTemplate {
    try {
      return new CompiledTemplate(name, parse(text));
    } catch (cause) {
      throw new TemplateSyntaxError(
        `Mapping template ${name} does not parse: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }

  /** Renders the template; the overrides it set are read from `variables.context` afterwards. */
  render(variables: TemplateVariables): string {
    // A fresh Compile per render: velocityjs keeps per-render state (locals of each #foreach)
    // on the instance, so a shared one would grow with every request.
    const compiler = new CachingCompile(this.asts, CONFIG);
    try {
      return compiler.render({
        context: variables.context.variables,
        input: variables.input,
        util: UTIL,
        stageVariables: { ...variables.stageVariables },
      });
    } catch (cause) {
      if (cause instanceof TemplateRenderError) {
        throw new TemplateRenderError(`Mapping template ${this.name}: ${cause.message}`, { cause });
      }
      throw new TemplateRenderError(
        `Mapping template ${this.name} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
    }
  }
}
