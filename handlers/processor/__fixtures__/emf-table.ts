/**
 * Reads the processor's EMF documents back as a table {scope: {metric: {minute: sum}}} for exact
 * assertions: scope is the Site value, or `*` for the no-dimension (all sites) series; minutes
 * are relative to `t0`'s minute. Sums across documents, as CloudWatch does.
 */
export type MetricTable = Record<string, Record<string, Record<number, number>>>;

interface Directive {
  readonly Dimensions: string[][];
  readonly Metrics: { readonly Name: string }[];
}

export function emfTable(documents: readonly string[], t0: number): MetricTable {
  const baseMinute = Math.floor(t0 / 60_000);
  const table: MetricTable = {};
  for (const text of documents) {
    const document = JSON.parse(text) as Record<string, unknown> & {
      _aws: { Timestamp: number; CloudWatchMetrics: Directive[] };
    };
    const minute = Math.floor(document._aws.Timestamp / 60_000) - baseMinute;
    for (const directive of document._aws.CloudWatchMetrics) {
      for (const set of directive.Dimensions) {
        const scope = set.length === 0 ? '*' : set.map((key) => String(document[key])).join('/');
        for (const { Name } of directive.Metrics) {
          const row = ((table[scope] ??= {})[Name] ??= {});
          row[minute] = (row[minute] ?? 0) + Number(document[Name]);
        }
      }
    }
  }
  return table;
}

/** {offset: 1} for each of the given relative minutes. */
export function ones(relativeMinutes: readonly number[]): Record<number, number> {
  return Object.fromEntries(relativeMinutes.map((m) => [m, 1]));
}

export function range(first: number, last: number): number[] {
  return Array.from({ length: last - first + 1 }, (_, i) => first + i);
}
