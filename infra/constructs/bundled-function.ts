/**
 * One Lambda function of ours with its own role and log group (no AWSLambdaBasicExecutionRole:
 * it may write to its own log group only), on nodejs22.x, traced by X-Ray (active tracing), and
 * published as versions behind the alias `live` with canary deploys (live-alias.ts): callers
 * bind event sources and integrations to `live`, never to the function itself. The code is an esbuild bundle made at
 * synth time, or a directory holding an already built `index.js` (CI builds once, tests synth
 * without bundling). Bundles target node20 so the same code runs on the Node 20 of the local
 * machines, with the lockfile's AWS SDK inside.
 */
import { RemovalPolicy, Validations, type Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { LiveAlias } from './live-alias';

export type FunctionCode =
  { readonly kind: 'bundle' } | { readonly kind: 'prebuilt'; readonly dir: string };

export interface BundledFunctionProps {
  /** The handler's TypeScript entry (exporting `handler`), bundled when `code` is a bundle. */
  readonly entry: string;
  /** @default { kind: 'bundle' } */
  readonly code?: FunctionCode;
  /** The function's description. */
  readonly description: string;
  /** @default the function's description */
  readonly roleDescription?: string;
  readonly environment: Readonly<Record<string, string>>;
  /** MB: an integer from 128 to 10240. */
  readonly memorySize: number;
  readonly timeout: Duration;
  /**
   * Reserved concurrency: a positive integer.
   * @default undefined (unreserved)
   */
  readonly reservedConcurrentExecutions?: number;
  /** @default logs.RetentionDays.ONE_MONTH */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Construct id of the log group, a sibling of the function in `scope`. Ids are part of the
   * deployed logical ids, so a construct keeps the ones it was first deployed with.
   * @default `${id}Logs`
   */
  readonly logGroupId?: string;
  /**
   * Construct id of the role, a sibling of the function in `scope`.
   * @default `${id}Role`
   */
  readonly roleId?: string;
}

export interface BundledFunction {
  readonly function: lambda.Function;
  /** The function's own role: grant it exactly the calls the handler makes. */
  readonly role: iam.Role;
  readonly logGroup: logs.LogGroup;
  /** The alias `live` and its canary deployment group: what mappings and integrations target. */
  readonly live: LiveAlias;
}

/** Throws unless `memorySize` is what Lambda accepts; returns it. */
export function validateMemorySize(memorySize: number): number {
  if (!Number.isInteger(memorySize) || memorySize < 128 || memorySize > 10_240) {
    throw new RangeError(`memorySize is ${memorySize} (expected an integer from 128 to 10240 MB)`);
  }
  return memorySize;
}

/** Adds the log group, the role and the function (`id`) to `scope`. */
export function bundledFunction(
  scope: Construct,
  id: string,
  props: BundledFunctionProps,
): BundledFunction {
  const memorySize = validateMemorySize(props.memorySize);
  const reserved = props.reservedConcurrentExecutions;
  if (reserved !== undefined && (!Number.isInteger(reserved) || reserved < 1)) {
    throw new RangeError(
      `reservedConcurrentExecutions is ${reserved} (expected a positive integer or undefined)`,
    );
  }
  const logGroup = new logs.LogGroup(scope, props.logGroupId ?? `${id}Logs`, {
    retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
  });
  const role = new iam.Role(scope, props.roleId ?? `${id}Role`, {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
    description: props.roleDescription ?? props.description,
  });
  logGroup.grantWrite(role);
  const common = {
    runtime: lambda.Runtime.NODEJS_22_X,
    architecture: lambda.Architecture.X86_64,
    memorySize,
    timeout: props.timeout,
    environment: { ...props.environment },
    role,
    ...(reserved === undefined ? {} : { reservedConcurrentExecutions: reserved }),
    logGroup,
    description: props.description,
    tracing: lambda.Tracing.ACTIVE,
    // Old versions stay: CodeDeploy shifts from the old to the new one, and a rollback by hand
    // points `live` back at an older one (docs/operations).
    currentVersionOptions: { removalPolicy: RemovalPolicy.RETAIN },
  };
  const code = props.code ?? { kind: 'bundle' };
  const fn =
    code.kind === 'bundle'
      ? new nodejs.NodejsFunction(scope, id, {
          ...common,
          entry: props.entry,
          handler: 'handler',
          bundling: {
            // Bundles run on nodejs22.x and on the Node 20 of the local machines.
            target: 'node20',
            minify: true,
            sourceMap: true,
            // The runtime's SDK may differ from the pinned one; ship the pinned one.
            bundleAwsSDK: true,
            forceDockerBundling: false,
          },
        })
      : new lambda.Function(scope, id, {
          ...common,
          code: lambda.Code.fromAsset(code.dir),
          handler: 'index.handler',
        });
  // Checks (cdk-nag AwsSolutions, Serverless) failed by design; each reason is the decision.
  const runtimeReason =
    'nodejs22.x is the runtime the design pins (DESIGN.md section 1): the bundle targets node20 so the same code runs on the Node 20 of the local machines; move with the toolchain.';
  Validations.of(fn).acknowledge({ id: 'AwsSolutions::AwsSolutions-L1', reason: runtimeReason });
  Validations.of(fn).acknowledge({
    id: 'Serverless::Serverless-LambdaLatestVersion',
    reason: runtimeReason,
  });
  Validations.of(fn).acknowledge({
    id: 'Serverless::Serverless-LambdaDLQ',
    reason:
      'Invoked synchronously only, by a stream event-source mapping (what it gives up on goes to its S3 on-failure destination) or by API Gateway; a dead-letter queue serves asynchronous invocations, which this function never receives.',
  });
  const policy = role.node.tryFindChild('DefaultPolicy');
  if (policy !== undefined) {
    Validations.of(policy).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords have no resource-level permissions (granted by aws-cdk-lib for Tracing.ACTIVE).',
    });
  }
  const live = new LiveAlias(scope, `${id}Live`, { function: fn });
  return { function: fn, role, logGroup, live };
}
