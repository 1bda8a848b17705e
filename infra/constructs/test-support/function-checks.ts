/**
 * Checks that every stream-triggered function construct (consumer, processor, rollup) must pass,
 * written once: its event-source mapping carries the settings object the local mapping runs with,
 * cdk-nag finds nothing in its own resources, and its handler is bundled with esbuild.
 */
import type { App } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import type { EventSourceMappingSettings } from '../../resources';
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
