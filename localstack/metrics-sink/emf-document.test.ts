import { parseEmfLine, validateEmfDocument } from './emf-document';

const TIMESTAMP = Date.UTC(2026, 10, 21, 12, 0, 0);

/** A valid document: one directive, dimension sets [Site] and [], two metrics. */
function document(overrides: Record<string, unknown> = {}, aws: Record<string, unknown> = {}) {
  return {
    Site: 'demo-shop',
    PageViews: 3,
    EngagedTime: [1200, 800],
    _aws: {
      Timestamp: TIMESTAMP,
      CloudWatchMetrics: [
        {
          Namespace: 'LiveInsight',
          Dimensions: [['Site'], []],
          Metrics: [
            { Name: 'PageViews', Unit: 'Count' },
            { Name: 'EngagedTime', Unit: 'Milliseconds' },
          ],
        },
      ],
      ...aws,
    },
    ...overrides,
  };
}

function directive(patch: Record<string, unknown>) {
  return {
    CloudWatchMetrics: [
      {
        Namespace: 'LiveInsight',
        Dimensions: [['Site']],
        Metrics: [{ Name: 'PageViews', Unit: 'Count' }],
        ...patch,
      },
    ],
  };
}

describe('validateEmfDocument: a valid document', () => {
  it('resolves dimension sets and metric values from the root', () => {
    expect(validateEmfDocument(document())).toEqual({
      ok: true,
      document: {
        timestampMs: TIMESTAMP,
        directives: [
          {
            namespace: 'LiveInsight',
            dimensionSets: [{ Site: 'demo-shop' }, {}],
            metrics: [
              { name: 'PageViews', unit: 'Count', values: [3] },
              { name: 'EngagedTime', unit: 'Milliseconds', values: [1200, 800] },
            ],
          },
        ],
      },
    });
  });

  it('parses a JSON line', () => {
    expect(parseEmfLine(JSON.stringify(document())).ok).toBe(true);
  });
});

describe('validateEmfDocument: what the specification refuses', () => {
  const metrics101 = Array.from({ length: 101 }, (_, i) => ({ Name: `M${i}` }));
  const values101 = Object.fromEntries(metrics101.map((m) => [m.Name, 1]));
  const keys31 = Array.from({ length: 31 }, (_, i) => `D${i}`);
  const dims31 = Object.fromEntries(keys31.map((k) => [k, 'x']));

  it.each<[string, unknown, RegExp]>([
    ['a root that is not an object', [1, 2], /root is an array/],
    ['no _aws member', { PageViews: 1 }, /_aws/],
    ['no Timestamp', document({}, { Timestamp: undefined }), /Timestamp/],
    ['a Timestamp in seconds', document({}, { Timestamp: TIMESTAMP / 1000 }), /looks like seconds/],
    ['a fractional Timestamp', document({}, { Timestamp: TIMESTAMP + 0.5 }), /Timestamp/],
    ['no CloudWatchMetrics', document({}, { CloudWatchMetrics: undefined }), /CloudWatchMetrics/],
    [
      'a directive without Namespace',
      document({}, directive({ Namespace: undefined })),
      /Namespace/,
    ],
    ['an empty Namespace', document({}, directive({ Namespace: '' })), /Namespace/],
    [
      'more than 100 metrics',
      {
        ...document(values101),
        _aws: { Timestamp: TIMESTAMP, ...directive({ Metrics: metrics101 }) },
      },
      /Metrics/,
    ],
    [
      'more than 30 dimension keys in a set',
      {
        ...document(dims31),
        _aws: { Timestamp: TIMESTAMP, ...directive({ Dimensions: [keys31] }) },
      },
      /Dimensions/,
    ],
    [
      'an unknown unit',
      document({}, directive({ Metrics: [{ Name: 'PageViews', Unit: 'Visits' }] })),
      /Unit/,
    ],
    [
      'a storage resolution other than 1 or 60',
      document({}, directive({ Metrics: [{ Name: 'PageViews', StorageResolution: 5 }] })),
      /StorageResolution/,
    ],
    [
      'a metric without a value',
      document({ PageViews: undefined }),
      /"PageViews", whose root value is missing/,
    ],
    [
      'a metric whose value is a string',
      document({ PageViews: '3' }),
      /PageViews.*expected a number/,
    ],
    [
      'a metric with over 100 values',
      document({ EngagedTime: Array.from({ length: 101 }, () => 1) }),
      /101 values/,
    ],
    [
      'a dimension without a value',
      document({ Site: undefined }),
      /"Site", whose root value is missing/,
    ],
    ['a dimension whose value is a number', document({ Site: 7 }), /"Site".*expected a string/],
    [
      'a name used for a metric and a dimension',
      document({}, directive({ Dimensions: [['PageViews']] })),
      /also a dimension key/,
    ],
    [
      'a metric defined twice',
      document(
        {},
        directive({
          Metrics: [
            { Name: 'PageViews', Unit: 'Count' },
            { Name: 'PageViews', Unit: 'Count' },
          ],
        }),
      ),
      /again/,
    ],
  ])('refuses %s', (_label, value, problem) => {
    const result = validateEmfDocument(value);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problems.join('\n')).toMatch(problem);
  });

  it('refuses a line that is not JSON', () => {
    expect(parseEmfLine('{"_aws":')).toEqual({
      ok: false,
      problems: [expect.stringMatching(/^not JSON/)],
    });
  });

  it('refuses a document over 1 MB', () => {
    const line = JSON.stringify(document({ padding: 'x'.repeat(1024 * 1024) }));
    expect(parseEmfLine(line)).toEqual({
      ok: false,
      problems: [expect.stringMatching(/expected at most 1048576/)],
    });
  });
});
