// Event-source-mapping settings under Lambda's own names (CreateEventSourceMapping /
// AWS::Lambda::EventSourceMapping), so the one settings object in infra/ feeds both CDK and this
// local runner. Ranges and defaults are Lambda's (DESIGN.md section 5); validation rejects what
// Lambda would reject and names the value received.
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { EventSourceMappingConfigError } from './errors';

export const REPORT_BATCH_ITEM_FAILURES = 'ReportBatchItemFailures';

/** Lambda's synchronous invocation payload limit: 6 MB binds before BatchSize for large records. */
export const MAX_INVOKE_PAYLOAD_BYTES = 6 * 1024 * 1024;

export const EventSourceMappingSettingsSchema = Type.Object(
  {
    /** @default 100 */
    BatchSize: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000 })),
    /**
     * @default 0. Lambda takes whole seconds; fractions are accepted locally so tests stay fast.
     */
    MaximumBatchingWindowInSeconds: Type.Optional(Type.Number({ minimum: 0, maximum: 300 })),
    /** @default 1 */
    ParallelizationFactor: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 })),
    /** @default false */
    BisectBatchOnFunctionError: Type.Optional(Type.Boolean()),
    /** -1 = infinite. @default -1 */
    MaximumRetryAttempts: Type.Optional(Type.Integer({ minimum: -1, maximum: 10_000 })),
    /** -1 = infinite, else 60..604,800. @default -1 */
    MaximumRecordAgeInSeconds: Type.Optional(
      Type.Union([Type.Literal(-1), Type.Integer({ minimum: 60, maximum: 604_800 })]),
    ),
    /** @default [] */
    FunctionResponseTypes: Type.Optional(Type.Array(Type.Literal(REPORT_BATCH_ITEM_FAILURES))),
    StartingPosition: Type.Union([
      Type.Literal('TRIM_HORIZON'),
      Type.Literal('LATEST'),
      Type.Literal('AT_TIMESTAMP'),
    ]),
    /** Unix time in seconds; only with StartingPosition AT_TIMESTAMP (Kinesis only). */
    StartingPositionTimestamp: Type.Optional(Type.Number({ minimum: 0 })),
    /** Only an S3 bucket ARN (arn:aws:s3:::bucket) is delivered to locally. */
    DestinationConfig: Type.Optional(
      Type.Object(
        {
          OnFailure: Type.Optional(
            Type.Object(
              { Destination: Type.Optional(Type.String()) },
              { additionalProperties: false },
            ),
          ),
        },
        { additionalProperties: false },
      ),
    ),
  },
  // A misspelt or unsupported setting (TumblingWindowInSeconds, FilterCriteria…) must fail loudly
  // rather than be ignored: the local run would silently differ from the deployed one.
  { additionalProperties: false },
);

export type EventSourceMappingSettings = Static<typeof EventSourceMappingSettingsSchema>;

/** What callers may pass: the same settings, readonly (infra/resources.ts declares them so). */
export type EventSourceMappingSettingsInput = Readonly<
  Omit<EventSourceMappingSettings, 'FunctionResponseTypes'>
> & {
  readonly FunctionResponseTypes?: ReadonlyArray<typeof REPORT_BATCH_ITEM_FAILURES>;
};

/** Lambda's rule for each setting, in words, for error messages. */
const EXPECTED: Record<string, string> = {
  BatchSize: 'an integer from 1 to 10,000',
  MaximumBatchingWindowInSeconds: 'a number of seconds from 0 to 300',
  ParallelizationFactor: 'an integer from 1 to 10',
  BisectBatchOnFunctionError: 'a boolean',
  MaximumRetryAttempts: 'an integer from -1 (infinite) to 10,000',
  MaximumRecordAgeInSeconds: '-1 (infinite) or an integer from 60 to 604,800',
  FunctionResponseTypes: `an array holding only "${REPORT_BATCH_ITEM_FAILURES}"`,
  StartingPosition: 'TRIM_HORIZON, LATEST or AT_TIMESTAMP',
  StartingPositionTimestamp: 'Unix time in seconds',
  DestinationConfig: '{OnFailure: {Destination: "<ARN>"}}',
};

export type SourceKind = 'kinesis' | 'dynamodb';

export type StartingPosition =
  | { readonly type: 'TRIM_HORIZON' }
  | { readonly type: 'LATEST' }
  | { readonly type: 'AT_TIMESTAMP'; readonly timestampMs: number };

/** Settings with defaults applied and -1 turned into Infinity, in the units the core uses. */
export interface ResolvedSettings {
  readonly batchSize: number;
  readonly batchingWindowMs: number;
  readonly parallelizationFactor: number;
  readonly bisectBatchOnFunctionError: boolean;
  /** Infinity when MaximumRetryAttempts is -1. */
  readonly maximumRetryAttempts: number;
  /** Infinity when MaximumRecordAgeInSeconds is -1. */
  readonly maximumRecordAgeMs: number;
  readonly reportBatchItemFailures: boolean;
  readonly startingPosition: StartingPosition;
  readonly onFailureDestinationArn: string | undefined;
}

/** Validates Lambda's rules for `kind` and applies Lambda's defaults. */
export function resolveSettings(settings: unknown, kind: SourceKind): ResolvedSettings {
  const firstError = Value.Errors(EventSourceMappingSettingsSchema, settings).First();
  if (firstError !== undefined) {
    const field = firstError.path.replace(/^\//, '').replaceAll('/', '.') || '(root)';
    const topLevel = field.split('.')[0] ?? field;
    const expected =
      EXPECTED[topLevel] ??
      `one of the supported settings (${Object.keys(EXPECTED).join(', ')}); it is not one`;
    throw new EventSourceMappingConfigError(
      `Event source mapping setting ${field} is invalid: received ${JSON.stringify(firstError.value)}, expected ${expected}`,
      field,
      firstError.value,
    );
  }
  const s = settings as EventSourceMappingSettings; // checked by the schema just above
  return {
    batchSize: s.BatchSize ?? 100,
    batchingWindowMs: Math.round((s.MaximumBatchingWindowInSeconds ?? 0) * 1000),
    parallelizationFactor: s.ParallelizationFactor ?? 1,
    bisectBatchOnFunctionError: s.BisectBatchOnFunctionError ?? false,
    maximumRetryAttempts: minusOneIsInfinite(s.MaximumRetryAttempts ?? -1),
    maximumRecordAgeMs: minusOneIsInfinite(s.MaximumRecordAgeInSeconds ?? -1) * 1000,
    reportBatchItemFailures: (s.FunctionResponseTypes ?? []).includes(REPORT_BATCH_ITEM_FAILURES),
    startingPosition: resolveStartingPosition(s, kind),
    onFailureDestinationArn: s.DestinationConfig?.OnFailure?.Destination,
  };
}

function minusOneIsInfinite(value: number): number {
  return value === -1 ? Infinity : value;
}

function resolveStartingPosition(
  s: EventSourceMappingSettings,
  kind: SourceKind,
): StartingPosition {
  const timestamp = s.StartingPositionTimestamp;
  if (s.StartingPosition !== 'AT_TIMESTAMP') {
    if (timestamp !== undefined) {
      throw new EventSourceMappingConfigError(
        `StartingPositionTimestamp is only valid with StartingPosition AT_TIMESTAMP: received it (${timestamp}) with ${s.StartingPosition}`,
        'StartingPositionTimestamp',
        timestamp,
      );
    }
    return { type: s.StartingPosition };
  }
  if (kind === 'dynamodb') {
    throw new EventSourceMappingConfigError(
      'StartingPosition AT_TIMESTAMP is not supported for DynamoDB Streams: received AT_TIMESTAMP, expected TRIM_HORIZON or LATEST',
      'StartingPosition',
      s.StartingPosition,
    );
  }
  if (timestamp === undefined) {
    throw new EventSourceMappingConfigError(
      'StartingPosition AT_TIMESTAMP needs StartingPositionTimestamp (Unix seconds): received none',
      'StartingPositionTimestamp',
      timestamp,
    );
  }
  return { type: 'AT_TIMESTAMP', timestampMs: timestamp * 1000 };
}
