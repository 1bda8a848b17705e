/**
 * The esbuild options CDK's NodejsFunction bundles our handlers with
 * (infra/constructs/bundled-function.ts: node20, minified, CommonJS, the pinned SDK inside), for
 * benchmarks that measure code as it is deployed.
 */
import type { BuildOptions } from 'esbuild';

export const LAMBDA_BUNDLE_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  minify: true,
} as const satisfies BuildOptions;
