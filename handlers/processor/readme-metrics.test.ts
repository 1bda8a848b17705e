import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROCESSOR_METRICS, SITE_METRICS } from '../../schemas/business-metrics';

/** The README's metrics table is the catalog: same names, units, dimensions and definitions. */
test('the README lists every metric with its catalog unit, dimensions and definition', () => {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Business metrics'));
  const table = section.slice(0, section.indexOf('\n#'));
  const rows = table.split('\n').filter((line) => /^\| `[A-Za-z]+` \|/.test(line));
  const expected = [
    ...Object.entries(SITE_METRICS).map(([name, m]) => [
      name,
      m.unit,
      '`[Site]`, `[]`',
      m.definition,
    ]),
    ...Object.entries(PROCESSOR_METRICS).map(([name, m]) => [name, m.unit, '`[]`', m.definition]),
  ].map(
    ([name, unit, dimensions, definition]) =>
      `| \`${name}\` | ${unit} | ${dimensions} | ${definition} |`,
  );

  expect(rows).toEqual(expected);
});
