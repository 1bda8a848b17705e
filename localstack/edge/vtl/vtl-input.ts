/**
 * `$input` of API Gateway mapping templates. In a request template it is the method request
 * (its body and parameters); in an integration response template the body is the backend's
 * answer while the parameters are still the method request's.
 */
import { TemplateRenderError } from './errors';
import { evaluateJsonPath } from './json-path';

export interface RequestParameters {
  readonly path: Readonly<Record<string, string>>;
  readonly querystring: Readonly<Record<string, string>>;
  /** Header names as received (Node lowercases them). */
  readonly header: Readonly<Record<string, string>>;
}

export const NO_PARAMETERS: RequestParameters = { path: {}, querystring: {}, header: {} };

const UNPARSED = Symbol('unparsed');

export class VtlInput {
  private parsed: unknown = UNPARSED;

  constructor(
    private readonly rawBody: string,
    private readonly parameters: RequestParameters = NO_PARAMETERS,
    /** Already-parsed body, when the caller has it (saves parsing a large body twice). */
    parsedBody?: unknown,
  ) {
    if (parsedBody !== undefined) this.parsed = parsedBody;
  }

  /** The raw payload as a string (API Gateway gives `{}` for an empty body). */
  get body(): string {
    return this.rawBody === '' ? '{}' : this.rawBody;
  }

  /** The JSONPath result as a JSON string. */
  json(path: string): string {
    const value = evaluateJsonPath(this.document(), path);
    return JSON.stringify(value === undefined ? null : value);
  }

  /** The JSONPath result as template data (maps, lists, strings, numbers). */
  path(path: string): unknown {
    return evaluateJsonPath(this.document(), path);
  }

  /**
   * `params()`: all parameters by kind. `params(name)`: the first of path, query string and
   * header named `name` ('' when none); header names compare case-insensitively.
   */
  params(name?: string): unknown {
    if (name === undefined) return this.parameters;
    const { path, querystring, header } = this.parameters;
    if (Object.prototype.hasOwnProperty.call(path, name)) return path[name];
    if (Object.prototype.hasOwnProperty.call(querystring, name)) return querystring[name];
    const wanted = name.toLowerCase();
    for (const [key, value] of Object.entries(header)) {
      if (key.toLowerCase() === wanted) return value;
    }
    return '';
  }

  private document(): unknown {
    if (this.parsed === UNPARSED) {
      try {
        this.parsed = JSON.parse(this.body) as unknown;
      } catch (cause) {
        throw new TemplateRenderError(
          `$input.path/$input.json need a JSON body; received ${this.rawBody.length} characters that do not parse`,
          { cause },
        );
      }
    }
    return this.parsed;
  }
}
