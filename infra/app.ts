/**
 * CDK app entry (`npx cdk synth` via cdk.json, or `npx tsx infra/app.ts`). Synthesis needs no
 * AWS account. Context: `-c stage=liveinsight-prod` (default `liveinsight-dev`),
 * `-c streamMode=provisioned -c shardCount=4`.
 */
import { App } from 'aws-cdk-lib';
import { LiveInsightStack } from './liveinsight-stack';

function streamModeFrom(value: unknown): 'on-demand' | 'provisioned' | undefined {
  if (value === undefined) return undefined;
  if (value === 'on-demand' || value === 'provisioned') return value;
  throw new Error(
    `context streamMode is ${JSON.stringify(value)} (expected on-demand or provisioned)`,
  );
}

function integerFrom(name: string, value: unknown): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!Number.isInteger(parsed)) {
    throw new Error(`context ${name} is ${JSON.stringify(value)} (expected an integer)`);
  }
  return parsed;
}

export function buildApp(app = new App()): { app: App; stack: LiveInsightStack } {
  const context = (key: string): unknown => app.node.tryGetContext(key);
  const stage = String(context('stage') ?? 'liveinsight-dev');
  const streamMode = streamModeFrom(context('streamMode'));
  const shardCount = integerFrom('shardCount', context('shardCount'));
  const stack = new LiveInsightStack(app, 'LiveInsight', {
    stackName: stage,
    stage,
    ...(streamMode === undefined ? {} : { streamMode }),
    ...(shardCount === undefined ? {} : { shardCount }),
  });
  return { app, stack };
}

if (require.main === module) {
  // Under the CDK CLI (cdk.json) the output goes where the CLI says; run directly, say where.
  const assembly = buildApp().app.synth();
  process.stdout.write(`synthesized to ${assembly.directory}\n`);
}
