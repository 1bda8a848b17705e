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
 *
 * GET /realtime adds two parts per event (`rollupUsdPerMillionEvents`,
 * `enhancedFanOutUsdPerMillionEvents`): the rollup function's transactions and invocations on the
 * ActiveSessions stream (Lambda's reads of DynamoDB Streams are free), and the consumer's
 * enhanced fan-out reads of the events stream, billed per GB retrieved. Provisioned streams also
 * bill enhanced fan-out per consumer-shard hour: a fixed charge per shard, not per event
 * (`enhancedFanOutUsdPerShardMonth`).
 */
import { match } from 'ts-pattern';

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
  /**
   * Kinesis enhanced fan-out data retrievals per GB (https://aws.amazon.com/kinesis/data-streams/pricing/).
   * On-demand Standard streams — the stack's default — bill them at a premium over standard
   * retrievals ($0.04/GB; Kinesis developer guide, "capacity modes") and list no consumer-shard
   * hours; provisioned streams bill less per GB plus consumer-shard hours.
   */
  kinesisEnhancedFanOutUsdPerGb: { 'on-demand': 0.05, provisioned: 0.013 },
  /** Kinesis provisioned, enhanced fan-out per consumer-shard hour. */
  kinesisProvisionedEnhancedFanOutConsumerShardHourUsd: 0.015,
} as const;

/** AWS prices a month as 730 hours. */
export const HOURS_PER_MONTH = 730;

export type StreamMode = keyof typeof PRICES.kinesisEnhancedFanOutUsdPerGb;

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

/** What the realtime rollup function costs: its counted write units and modelled invocations. */
export type RollupWork = Omit<CountedWork, 'eventBytes'>;

export interface RollupCostBreakdown {
  readonly dynamoDb: number;
  readonly lambda: number;
  readonly total: number;
}

/**
 * USD per million events (events = what the consumer was delivered, so the figure adds to the
 * consumer's): DynamoDB write units as billed (transactions bill each action twice; see
 * consumer-rollup-wcu.ts) and Lambda, priced like the consumer's.
 */
export function rollupUsdPerMillionEvents(work: RollupWork): RollupCostBreakdown {
  const { dynamoDb, lambda } = usdPerMillionEvents({ ...work, eventBytes: 0 });
  return { dynamoDb, lambda, total: dynamoDb + lambda };
}

/** Enhanced fan-out data retrievals per million events of `eventBytes` read by one consumer. */
export function enhancedFanOutUsdPerMillionEvents(eventBytes: number, mode: StreamMode): number {
  if (!(eventBytes >= 0)) throw new RangeError(`eventBytes is ${eventBytes} (expected >= 0)`);
  return ((1_000_000 * eventBytes) / GB) * PRICES.kinesisEnhancedFanOutUsdPerGb[mode];
}

/**
 * The fixed part of enhanced fan-out: one consumer's consumer-shard hours per shard and month
 * (provisioned streams; on-demand streams bill none).
 */
export function enhancedFanOutUsdPerShardMonth(mode: StreamMode): number {
  return match(mode)
    .with(
      'provisioned',
      () => PRICES.kinesisProvisionedEnhancedFanOutConsumerShardHourUsd * HOURS_PER_MONTH,
    )
    .with('on-demand', () => 0)
    .exhaustive();
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
  /** TransactWriteItems of a marker and up to ~20 bucket updates of 1–4 KB. */
  transactWriteItems: 25,
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
