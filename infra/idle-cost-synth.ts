/**
 * Synthesizes the app (infra/app.ts, cdk-nag included) for a context and returns the stack's
 * template: what `npm run bench:idle-cost` and its test price.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App } from 'aws-cdk-lib';
import { buildApp } from './app';
import type { CfnTemplate } from './idle-cost';
import type { LiveInsightStackProps } from './liveinsight-stack';

/** Synthesizes into `outdir` (kept: cdk-nag's validation report is there too). */
export function synthesizeInto(
  outdir: string,
  context: Readonly<Record<string, string>>,
  overrides: Partial<LiveInsightStackProps> = {},
): CfnTemplate {
  const { app, stack } = buildApp(new App({ outdir, context: { ...context } }), overrides);
  app.synth();
  return JSON.parse(
    readFileSync(join(outdir, `${stack.artifactId}.template.json`), 'utf8'),
  ) as CfnTemplate;
}

/** Synthesizes into a temporary folder, removed before returning. */
export function synthesizeTemplate(
  context: Readonly<Record<string, string>>,
  overrides: Partial<LiveInsightStackProps> = {},
): CfnTemplate {
  const outdir = mkdtempSync(join(tmpdir(), 'liveinsight-idle-cost-'));
  try {
    return synthesizeInto(outdir, context, overrides);
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
}
