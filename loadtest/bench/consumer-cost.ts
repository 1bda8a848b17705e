/**
 * Cost per million events from counted work and the prices of DESIGN.md section 5 (us-east-1).
 * Pure arithmetic, so the model is unit-tested and the bench only supplies counts.
 *
 * Included: DynamoDB on-demand write units (counted), Lambda requests and GB-seconds (modelled:
 * counted invocations × an estimated duration, see `estimateDurationMs`), Kinesis on-demand data
 * in (per GB). Excluded from the total: Kinesis stream-hours and provisioned shard-hours (a fixed
 * charge per hour, not per event), S3 (bad-row payloads and failed batches only), CloudWatch
 * logs, and API Gateway — which is per ingest *request* and depends on how many events the
 * tracker batches into one request, not on the consumer; `apiGatewayUsdPerMillionEvents` gives
 * it separately for a stated batching.
 */

export const PRICES = {
  /** DynamoDB on-demand, per million write request units. */
  dynamoDbWriteUnitUsdPerMillion: 0.625,
  /** Lambda x86, per GB-second. */
  lambdaGbSecondUsd: 0.0000166667,
  /** Lambda, per million requests (invocations). */
  lambdaRequestUsdPerMillion: 0.2,
  /** Kinesis on-demand, data in per GB. */
  kinesisOnDemandUsdPerGb: 0.08,
  /** API Gateway REST, per million requests. */
  apiGatewayRestUsdPerMillion: 3.5,
} as const;

const GB = 1024 ** 3;

export interface CountedWork {
  /** Distinct events the counts cover. */
  readonly events: number;
  readonly writeUnits: number;
  readonly invocations: number;
  /** Estimated duration of all invocations together (ms). */
  readonly durationMs: number;
  readonly memoryMb: number;
  /** Bytes per event billed as Kinesis data in (the "1 KB event" of the target). */
  readonly eventBytes: number;
}

export interface CostBreakdown {
  readonly dynamoDb: number;
  readonly lambda: number;
  readonly kinesis: number;
  readonly total: number;
}

/** USD per million events, by component. */
export function usdPerMillionEvents(work: CountedWork): CostBreakdown {
  if (work.events <= 0) throw new RangeError(`events is ${work.events} (expected > 0)`);
  const perMillion = 1_000_000 / work.events;
  const dynamoDb = (work.writeUnits * perMillion * PRICES.dynamoDbWriteUnitUsdPerMillion) / 1e6;
  const gbSeconds = (work.durationMs / 1000) * (work.memoryMb / 1024);
  const lambda =
    (gbSeconds * PRICES.lambdaGbSecondUsd +
      (work.invocations * PRICES.lambdaRequestUsdPerMillion) / 1e6) *
    perMillion;
  const kinesis = ((1_000_000 * work.eventBytes) / GB) * PRICES.kinesisOnDemandUsdPerGb;
  return { dynamoDb, lambda, kinesis, total: dynamoDb + lambda + kinesis };
}

/** API Gateway REST per million events when the tracker sends `eventsPerRequest` per request. */
export function apiGatewayUsdPerMillionEvents(eventsPerRequest: number): number {
  if (!(eventsPerRequest >= 1)) {
    throw new RangeError(`eventsPerRequest is ${eventsPerRequest} (expected >= 1)`);
  }
  return PRICES.apiGatewayRestUsdPerMillion / eventsPerRequest;
}

/** Assumed AWS latencies (not measured here: emulator timings say nothing about AWS). */
export const ASSUMED_LATENCY_MS = {
  /** BatchWriteItem of 25 items of ~1 KB, same region. */
  batchWriteItem: 15,
  /** PutItem / UpdateItem of one ~1 KB item. */
  singleItemWrite: 8,
} as const;

/**
 * Estimated duration of one invocation: measured CPU time of the pure pipeline plus rounds of
 * requests (`concurrency` in flight at once), each round taking the assumed latency. Phases run
 * one after the other (raw writes, then session writes).
 */
export function estimateDurationMs(input: {
  readonly cpuMs: number;
  readonly concurrency: number;
  readonly phases: readonly { readonly requests: number; readonly latencyMs: number }[];
}): number {
  return input.phases.reduce(
    (ms, phase) => ms + Math.ceil(phase.requests / input.concurrency) * phase.latencyMs,
    input.cpuMs,
  );
}
