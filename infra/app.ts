/**
 * CDK app entry: `npm run synth`, `npm run diff`, `npm run deploy` (the CDK CLI, via cdk.json;
 * the cloud assembly goes to `cdk.out/`). Synthesis needs no AWS account. The stage's settings
 * come from CDK context, read and validated by infra/stage-config.ts (its header lists every key):
 * `npm run deploy -- -c stage=liveinsight-prod -c alarmEmail=oncall@example.com`.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { LiveInsightStack, type LiveInsightStackProps } from './liveinsight-stack';
import { readProtectionSettings } from './protection-config';
import { readStageConfig, type StageConfig } from './stage-config';

/**
 * The app's stack for the stage its context names. `overrides` are for tests (prebuilt code
 * instead of bundling); `npm run synth` passes none.
 */
export function buildApp(
  app = new App(),
  overrides: Partial<LiveInsightStackProps> = {},
): {
  app: App;
  stack: LiveInsightStack;
  config: StageConfig;
} {
  const config = readStageConfig((key) => app.node.tryGetContext(key));
  const stack = new LiveInsightStack(app, 'LiveInsight', {
    stackName: config.stage,
    stage: config.stage,
    streamMode: config.streamMode,
    shardCount: config.shardCount,
    activeSessionShards: config.activeSessionShards,
    siteShards: config.siteShards,
    monthlyBudgetUsd: config.monthlyBudgetUsd,
    apiGatewayCloudWatchRole: config.apiGatewayCloudWatchRole,
    runbookBaseUrl: config.runbookBaseUrl,
    consumerReader: config.consumerReader,
    apiCache: config.apiCache,
    ...(config.alarmEmail === undefined ? {} : { alarmEmail: config.alarmEmail }),
    protection: readProtectionSettings((key) => app.node.tryGetContext(key), config.stage),
    ...overrides,
  });
  // cdk-nag runs on every synth: an unacknowledged error fails it (each acknowledgement in the
  // constructs states why the finding is the decision).
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  return { app, stack, config };
}

/** Where a direct run (`npx tsx infra/app.ts`) writes: the CDK CLI's own folder (cdk.json). */
const DIRECT_RUN_OUTDIR = 'cdk.out';

if (require.main === module) {
  // The CDK CLI passes its output folder in CDK_OUTDIR; a direct run writes to the same folder
  // instead of a temporary one that is gone when the command ends (issue 15).
  const outdir = process.env['CDK_OUTDIR'] ?? DIRECT_RUN_OUTDIR;
  buildApp(new App({ outdir })).app.synth();
  if (process.env['CDK_OUTDIR'] === undefined) {
    process.stdout.write(
      `synthesized to ${outdir}/ (npm run synth does the same through the CDK CLI)\n`,
    );
  }
}
