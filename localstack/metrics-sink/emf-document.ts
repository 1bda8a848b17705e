/**
 * The CloudWatch Embedded Metric Format, checked the way CloudWatch Logs checks it before it
 * extracts metrics ("Specification: Embedded metric format", CloudWatch User Guide):
 *
 * - the log event is one JSON object with an `_aws` member holding `Timestamp` (epoch
 *   milliseconds) and `CloudWatchMetrics`, an array of metric directives;
 * - a directive has a `Namespace`, `Dimensions` (an array of dimension sets, each an array of at
 *   most 30 keys) and `Metrics` (at most 100 definitions, each a `Name` with an optional `Unit`
 *   and `StorageResolution`);
 * - every dimension key and metric name refers to a member of the root ("target member"): a
 *   dimension's value is a string, a metric's value a number or an array of at most 100 numbers;
 * - a document is at most 1 MB (a CloudWatch Logs event).
 *
 * Used by the local sink at its trust boundary and by the tests that validate every document
 * the processor emits.
 */
import { Type } from '@sinclair/typebox';
import { formatIssues, parseWith } from '../../schemas';

export const EMF_LIMITS = {
  maxDocumentBytes: 1024 * 1024,
  maxMetricsPerDirective: 100,
  maxDimensionKeysPerSet: 30,
  maxValuesPerMetric: 100,
  maxNamespaceLength: 255,
  maxMetricNameLength: 1024,
  maxDimensionNameLength: 255,
  maxDimensionValueLength: 1024,
} as const;

/** CloudWatch's StandardUnit values. */
export const EMF_UNITS = [
  'Seconds',
  'Microseconds',
  'Milliseconds',
  'Bytes',
  'Kilobytes',
  'Megabytes',
  'Gigabytes',
  'Terabytes',
  'Bits',
  'Kilobits',
  'Megabits',
  'Gigabits',
  'Terabits',
  'Percent',
  'Count',
  'Bytes/Second',
  'Kilobytes/Second',
  'Megabytes/Second',
  'Gigabytes/Second',
  'Terabytes/Second',
  'Bits/Second',
  'Kilobits/Second',
  'Megabits/Second',
  'Gigabits/Second',
  'Terabits/Second',
  'Count/Second',
  'None',
] as const;

/** Epoch ms of 2001-09-09: a smaller "Timestamp" is almost certainly in seconds, not ms. */
const SMALLEST_PLAUSIBLE_MS = 1_000_000_000_000;

const MetricDefinitionSchema = Type.Object({
  Name: Type.String({ minLength: 1, maxLength: EMF_LIMITS.maxMetricNameLength }),
  Unit: Type.Optional(Type.Union(EMF_UNITS.map((unit) => Type.Literal(unit)))),
  StorageResolution: Type.Optional(Type.Union([Type.Literal(1), Type.Literal(60)])),
});

const MetricDirectiveSchema = Type.Object({
  Namespace: Type.String({ minLength: 1, maxLength: EMF_LIMITS.maxNamespaceLength }),
  Dimensions: Type.Array(
    Type.Array(Type.String({ minLength: 1, maxLength: EMF_LIMITS.maxDimensionNameLength }), {
      maxItems: EMF_LIMITS.maxDimensionKeysPerSet,
    }),
  ),
  Metrics: Type.Array(MetricDefinitionSchema, { maxItems: EMF_LIMITS.maxMetricsPerDirective }),
});

const EmfRootSchema = Type.Object({
  _aws: Type.Object({
    Timestamp: Type.Integer({ minimum: 0 }),
    CloudWatchMetrics: Type.Array(MetricDirectiveSchema),
    LogGroupName: Type.Optional(Type.String()),
  }),
});

export interface EmfMetric {
  readonly name: string;
  readonly unit: string | undefined;
  readonly values: readonly number[];
}

export interface EmfDirective {
  readonly namespace: string;
  /** Each set resolved to its key → value pairs from the root. */
  readonly dimensionSets: ReadonlyArray<Readonly<Record<string, string>>>;
  readonly metrics: readonly EmfMetric[];
}

export interface EmfDocument {
  readonly timestampMs: number;
  readonly directives: readonly EmfDirective[];
}

export type EmfParseResult =
  | { readonly ok: true; readonly document: EmfDocument }
  | { readonly ok: false; readonly problems: readonly string[] };

/** Parses one log line (one CloudWatch Logs event) as an EMF document. */
export function parseEmfLine(line: string): EmfParseResult {
  const bytes = Buffer.byteLength(line, 'utf8');
  if (bytes > EMF_LIMITS.maxDocumentBytes) {
    return fail(`document is ${bytes} bytes (expected at most ${EMF_LIMITS.maxDocumentBytes})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (cause) {
    return fail(`not JSON (${cause instanceof Error ? cause.message : String(cause)})`);
  }
  return validateEmfDocument(value);
}

/** Validates an already-parsed value against the specification. */
export function validateEmfDocument(value: unknown): EmfParseResult {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return fail(`root is ${describe(value)} (expected a JSON object)`);
  }
  const parsed = parseWith(EmfRootSchema, value);
  if (!parsed.ok) return { ok: false, problems: parsed.issues.map((i) => formatIssues([i])) };
  const root = value as Record<string, unknown>;
  const { Timestamp, CloudWatchMetrics } = parsed.value._aws;
  const problems: string[] = [];
  if (Timestamp < SMALLEST_PLAUSIBLE_MS) {
    problems.push(
      `_aws.Timestamp is ${Timestamp} (expected epoch milliseconds; this looks like seconds)`,
    );
  }
  const directives = CloudWatchMetrics.map((directive, d): EmfDirective => {
    const at = `_aws.CloudWatchMetrics[${d}]`;
    const dimensionKeys = new Set(directive.Dimensions.flat());
    const dimensionSets = directive.Dimensions.map((set, s) => {
      const resolved: Record<string, string> = {};
      if (new Set(set).size !== set.length) {
        problems.push(`${at}.Dimensions[${s}] repeats a key (expected distinct keys)`);
      }
      for (const key of set) {
        const target = root[key];
        if (typeof target !== 'string') {
          problems.push(
            `${at}.Dimensions[${s}] refers to ${JSON.stringify(key)}, whose root value is ${describe(target)} (expected a string)`,
          );
        } else if (target.length < 1 || target.length > EMF_LIMITS.maxDimensionValueLength) {
          problems.push(
            `dimension ${JSON.stringify(key)} has ${target.length} characters (expected 1–${EMF_LIMITS.maxDimensionValueLength})`,
          );
        } else {
          resolved[key] = target;
        }
      }
      return resolved;
    });
    const seen = new Set<string>();
    const metrics = directive.Metrics.flatMap((definition, m): EmfMetric[] => {
      const where = `${at}.Metrics[${m}]`;
      if (seen.has(definition.Name)) {
        problems.push(
          `${where} defines ${JSON.stringify(definition.Name)} again (expected each name once)`,
        );
        return [];
      }
      seen.add(definition.Name);
      if (dimensionKeys.has(definition.Name)) {
        problems.push(
          `${where} ${JSON.stringify(definition.Name)} is also a dimension key (expected a metric or a dimension, not both)`,
        );
      }
      const values = metricValues(root[definition.Name]);
      if (typeof values === 'string') {
        problems.push(
          `${where} refers to ${JSON.stringify(definition.Name)}, whose root value is ${values}`,
        );
        return [];
      }
      return [{ name: definition.Name, unit: definition.Unit, values }];
    });
    return { namespace: directive.Namespace, dimensionSets, metrics };
  });
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, document: { timestampMs: Timestamp, directives } };
}

/** The values of a metric's target member, or a description of why it has none. */
function metricValues(target: unknown): readonly number[] | string {
  if (typeof target === 'number') {
    return Number.isFinite(target) ? [target] : `${target} (expected a finite number)`;
  }
  if (Array.isArray(target)) {
    if (target.length === 0 || target.length > EMF_LIMITS.maxValuesPerMetric) {
      return `an array of ${target.length} values (expected 1–${EMF_LIMITS.maxValuesPerMetric})`;
    }
    if (!target.every((v) => typeof v === 'number' && Number.isFinite(v))) {
      return `an array with a non-number (expected finite numbers only)`;
    }
    return target as number[];
  }
  return `${describe(target)} (expected a number or an array of numbers)`;
}

function fail(problem: string): EmfParseResult {
  return { ok: false, problems: [problem] };
}

function describe(value: unknown): string {
  if (value === undefined) return 'missing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}
