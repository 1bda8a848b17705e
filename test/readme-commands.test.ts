/**
 * The README's "Commands" table names every script of package.json, so no command a user may
 * run is documented only in an area's README (or nowhere).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** How a user types a script: `npm start` and `npm test` have their own short forms. */
function typed(script: string): string {
  return script === 'start' || script === 'test' ? `npm ${script}` : `npm run ${script}`;
}

describe("README's command list", () => {
  it('has one line for every script of package.json', () => {
    // Arrange
    const scripts = Object.keys(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts,
    );
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    const section = /\n### Commands\n([\s\S]*?)\n#{2,3} /.exec(readme)?.[1] ?? '';

    // Act: the first cell of each table row.
    const listed = [...section.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1] ?? '');
    const missing = scripts.filter(
      (script) =>
        !listed.some(
          (command) => command === typed(script) || command.startsWith(`${typed(script)} `),
        ),
    );

    // Assert
    expect(scripts.length).toBeGreaterThan(0);
    expect(missing).toEqual([]);
  });
});
