/**
 * Checks that every stream-triggered function construct (consumer, processor, rollup) must pass,
 * written once: its event-source mapping carries the settings object the local mapping runs with,
 * cdk-nag finds nothing in its own resources, and its handler is bundled with esbuild.
 */
import type { App } from 'aws-cdk-lib';
import { Match, MatchResult, Matcher, type Template } from 'aws-cdk-lib/assertions';
import type { EventSourceMappingSettings } from '../../resources';
import { LIVE_ALIAS_NAME } from '../live-alias';
import { nagCheckedApp, nagFindings } from './nag-report';

/**
 * A mapping from `eventSourceArn` with exactly `settings` (what localstack/event-source-mapping
 * runs with), reporting batch item failures and sending what it gives up on to the data failures
 * bucket. `more` adds properties a construct sets on top (its function, say).
 */
export function expectStreamMapping(
  template: Template,
  eventSourceArn: unknown,
  settings: EventSourceMappingSettings,
  more: Record<string, unknown> = {},
): void {
  template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
    EventSourceArn: eventSourceArn,
    BatchSize: settings.BatchSize,
    MaximumBatchingWindowInSeconds: settings.MaximumBatchingWindowInSeconds,
    ParallelizationFactor: settings.ParallelizationFactor,
    BisectBatchOnFunctionError: settings.BisectBatchOnFunctionError,
    MaximumRetryAttempts: settings.MaximumRetryAttempts,
    MaximumRecordAgeInSeconds: settings.MaximumRecordAgeInSeconds,
    FunctionResponseTypes: ['ReportBatchItemFailures'],
    StartingPosition: settings.StartingPosition,
    DestinationConfig: {
      OnFailure: {
        Destination: { 'Fn::GetAtt': [Match.stringLikeRegexp('^DataFailuresBucket'), 'Arn'] },
      },
    },
    ...more,
  });
}

/**
 * AwsSolutions findings on the construct's own resources: `synthInto` builds its test stack in
 * the given app, whose synthesis fails on an unacknowledged error. The shared data resources
 * (`/Data/`) are DataResources' to check.
 */
export function ownNagFindings(prefix: string, synthInto: (app: App) => unknown): string[] {
  const { app, outdir } = nagCheckedApp(prefix);
  synthInto(app);
  return nagFindings(outdir).filter((finding) => !finding.includes('/Data/'));
}

/** The function as bundled from its handler folder at synth time (offline, by esbuild). */
export function expectBundledHandler(template: Template): void {
  template.hasResourceProperties('AWS::Lambda::Function', {
    Handler: 'index.handler',
    Runtime: 'nodejs22.x',
  });
}

/**
 * The FunctionName of a mapping on a `live` alias: the alias' qualified name (`<function>:live`),
 * never the bare function. How CloudFormation spells the function part differs between a bare
 * test stack (a Ref) and the app's stack (a Select of the ARN), so `mentions` checks that the
 * spelled name refers to the function whose logical id starts with the prefix given.
 */
export function liveAliasFunctionName(functionLogicalIdPrefix: string): Matcher {
  return Match.objectLike({
    'Fn::Join': ['', [new ReferenceTo(functionLogicalIdPrefix), `:${LIVE_ALIAS_NAME}`]],
  });
}

/** Any intrinsic whose JSON names a logical id starting with `prefix`. */
class ReferenceTo extends Matcher {
  readonly name = 'ReferenceTo';
  constructor(private readonly prefix: string) {
    super();
  }
  test(actual: unknown): MatchResult {
    const result = new MatchResult(actual);
    if (!new RegExp(`"(Ref|Fn::GetAtt)":\\[?"${this.prefix}`).test(JSON.stringify(actual))) {
      result.recordFailure({
        matcher: this,
        path: [],
        message: `expected a reference to ${this.prefix}…, received ${JSON.stringify(actual)}`,
      });
    }
    return result;
  }
}
