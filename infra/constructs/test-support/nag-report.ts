/**
 * cdk-nag (AwsSolutions) in construct tests: an app whose synthesis runs the checks, and the
 * findings its validation report lists. An unacknowledged error fails synthesis; warnings only
 * reach the report, which is why tests read it.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';

export interface NagApp {
  readonly app: App;
  /** Where synthesis writes the assembly and `validation-report.json`. */
  readonly outdir: string;
}

/** Synthesis folders made by this test file, removed after its tests, passed or failed. */
const outdirs: string[] = [];
afterAll(() => {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/**
 * An app in a new temporary folder (named `<prefix>…`, removed after the test file) whose
 * synthesis runs AwsSolutions.
 */
export function nagCheckedApp(prefix: string): NagApp {
  const outdir = mkdtempSync(join(tmpdir(), prefix));
  outdirs.push(outdir);
  const app = new App({ outdir });
  // Plugins run when the app synthesizes first.
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, outdir };
}

interface ValidationReport {
  readonly pluginReports: readonly {
    readonly violations: readonly {
      readonly ruleName: string;
      readonly violatingConstructs: readonly { readonly constructPath: string }[];
    }[];
  }[];
}

/**
 * Every finding of the report in `outdir` as `<rule> at <construct path>`; none when synthesis
 * wrote no report (nothing to report).
 */
export function nagFindings(outdir: string): string[] {
  const file = join(outdir, 'validation-report.json');
  if (!existsSync(file)) return [];
  const report = JSON.parse(readFileSync(file, 'utf8')) as ValidationReport;
  return report.pluginReports.flatMap((plugin) =>
    plugin.violations.flatMap((v) =>
      v.violatingConstructs.map((c) => `${v.ruleName} at ${c.constructPath}`),
    ),
  );
}
