/**
 * The JSONPath subset that `$input.path()` / `$input.json()` take in mapping templates: the root
 * `$`, member access (`.name`, `['name']`), array indexes (`[3]`) and wildcards (`[*]`, `.*`).
 * API Gateway evaluates with Jayway JsonPath; filters, slices and recursive descent (`..`) are
 * refused here rather than guessed at.
 */
import { TemplateRenderError } from './errors';

type Step =
  | { readonly kind: 'member'; readonly name: string }
  | { readonly kind: 'index'; readonly index: number }
  | { readonly kind: 'wildcard' };

const cache = new Map<string, readonly Step[]>();
const MAX_CACHED = 1000;

function unsupported(path: string, at: number): never {
  throw new TemplateRenderError(
    `JSONPath ${JSON.stringify(path)} is not supported at position ${at} (expected $, .name, ['name'], [n] or [*])`,
  );
}

export function parseJsonPath(path: string): readonly Step[] {
  const cached = cache.get(path);
  if (cached !== undefined) return cached;
  if (!path.startsWith('$')) unsupported(path, 0);
  const steps: Step[] = [];
  let i = 1;
  while (i < path.length) {
    const ch = path[i];
    if (ch === '.') {
      if (path[i + 1] === '.') unsupported(path, i);
      if (path[i + 1] === '*') {
        steps.push({ kind: 'wildcard' });
        i += 2;
        continue;
      }
      const match = /^[A-Za-z0-9_$-]+/.exec(path.slice(i + 1));
      if (match === null) unsupported(path, i + 1);
      steps.push({ kind: 'member', name: match[0] });
      i += 1 + match[0].length;
    } else if (ch === '[') {
      const rest = path.slice(i);
      const quoted =
        /^\[\s*'((?:[^'\\]|\\.)*)'\s*\]/.exec(rest) ?? /^\[\s*"((?:[^"\\]|\\.)*)"\s*\]/.exec(rest);
      const index = /^\[\s*(\d+)\s*\]/.exec(rest);
      const star = /^\[\s*\*\s*\]/.exec(rest);
      if (quoted !== null) {
        steps.push({ kind: 'member', name: (quoted[1] ?? '').replace(/\\(.)/g, '$1') });
        i += quoted[0].length;
      } else if (index !== null) {
        steps.push({ kind: 'index', index: Number(index[1]) });
        i += index[0].length;
      } else if (star !== null) {
        steps.push({ kind: 'wildcard' });
        i += star[0].length;
      } else {
        unsupported(path, i);
      }
    } else {
      unsupported(path, i);
    }
  }
  if (cache.size >= MAX_CACHED) cache.clear();
  cache.set(path, steps);
  return steps;
}

/** The value at `path`; undefined when a step finds nothing (Jayway, exceptions suppressed: null). */
export function evaluateJsonPath(root: unknown, path: string): unknown {
  let current: unknown = root;
  let spread = false;
  for (const step of parseJsonPath(path)) {
    if (spread) {
      current = (current as unknown[]).flatMap((item) => {
        const next = applyStep(item, step);
        return next === undefined ? [] : step.kind === 'wildcard' ? (next as unknown[]) : [next];
      });
      continue;
    }
    current = applyStep(current, step);
    if (current === undefined) return undefined;
    if (step.kind === 'wildcard') spread = true;
  }
  return current;
}

// A switch, not ts-pattern: this runs once per path step per event on the ingest hot path.
function applyStep(value: unknown, step: Step): unknown {
  if (value === null || typeof value !== 'object') return undefined;
  switch (step.kind) {
    case 'member':
      return Array.isArray(value) || !Object.prototype.hasOwnProperty.call(value, step.name)
        ? undefined
        : (value as Record<string, unknown>)[step.name];
    case 'index':
      return Array.isArray(value) ? value[step.index] : undefined;
    case 'wildcard':
      return Array.isArray(value) ? value : Object.values(value);
    default: {
      const unreachable: never = step;
      throw new TemplateRenderError(`Unknown JSONPath step ${JSON.stringify(unreachable)}`);
    }
  }
}
