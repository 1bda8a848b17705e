/**
 * `npm run bench:consumer` — DynamoDB work and cost per batch of the consumer, side by side with
 * the naive design (one PutItem + two counter UpdateItems per event), in one run on the same
 * records (DESIGN.md section 6).
 *
 * Workload: the reference workload (loadtest/workload): 500 sessions × 20 events, 1 % re-puts,
 * 1 % late → ~10,100 records of ~620 B in 11 Lambda batches of ≤ 1,000 (BatchSize), ~126
 * sessions and ~7–8 events per session per batch (printed below from the generated data).
 *
 * Both consumers run in this process against DynamoDB Local (started here, stopped at the end),
 * each on its own tables and clients. SDK middleware (handlers/faults/request-meter) counts every
 * HTTP request and the write units, two ways: as DynamoDB Local reports them in ConsumedCapacity
 * (it does for successful writes; a refused conditional write reports none) and as computed from
 * the DynamoDB item-size rules; the table shows both, the figures use the reported ones where
 * there are any. Request and write-unit counts are what AWS would bill for the same calls;
 * emulator timings are not used for anything but the pipeline's CPU time.
 *
 * Realtime: the rollup function (GET /realtime's per-minute counters) runs on the ActiveSessions
 * stream of the measured consumer's table through the local event-source mapping, with its own
 * metered clients (consumer-rollup.ts); after each batch the bench waits until it has processed
 * every stream record so far, so its transactions and write units are counted per batch. The
 * rollup writes only cells a reader can still see (pipeline/realtime/rollup.ts `visibleFrom`,
 * against the real clock), so the workload is stamped from the bench's start (floored to the
 * minute) instead of the reference date: as in live operation, where a change is rolled up
 * seconds after its events, every cell is still visible. How many records one rollup invocation
 * gets follows the pace of the writes (the mapping polls every 250 ms, batching window 0), so
 * the transaction count is paced by DynamoDB Local, slower than AWS: more, smaller transactions.
 *
 * Targets: requests ≤ ⌈n/25⌉ + 2s per batch of n records from s sessions; write units ≈ n + 2s;
 * ≤ $1.00 per million 1 KB events (see consumer-cost.ts for what the dollar figure includes).
 */
import type { Context, KinesisStreamRecord } from 'aws-lambda';
import { ScanCommand, type AttributeValue, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../handlers/aws-clients';
import type { ConsumerConfig } from '../../handlers/config';
import { createConsumer } from '../../handlers/consumer/handler';
import type { BatchReport } from '../../handlers/consumer/consume-batch';
import { type RequestMeter, installRequestMeter } from '../../handlers/test-support/request-meter';
import { itemSize } from '../../handlers/adapters/item-size';
import { type ResourceDefinitions, resourceDefinitions } from '../../infra/resources';
import { bootstrapResources } from '../../localstack/bootstrap/bootstrap';
import { type LocalStack, LOCAL_REGION, startLocalStack } from '../../localstack/local-stack';
import { createBatchProcessor } from '../../pipeline/process-batch';
import { REFERENCE_WORKLOAD, describeWorkload, generateWorkload } from '../workload';
import {
  ASSUMED_LATENCY_MS,
  PRICES,
  apiGatewayUsdPerMillionEvents,
  enhancedFanOutUsdPerMillionEvents,
  enhancedFanOutUsdPerShardMonth,
  estimateDurationMs,
  rollupUsdPerMillionEvents,
  usdPerMillionEvents,
} from './consumer-cost';
import { type MeteredRollup, type RollupFigures, startMeteredRollup } from './consumer-rollup';
import { naiveConsume } from './naive-consumer';

const CONCURRENCY = 16;
const MEMORY_MB = 512;
/** The rollup function's memory (infra/constructs/rollup-function.ts). */
const ROLLUP_MEMORY_MB = 256;
/** The stack's default stream mode (infra/constructs/data-resources.ts). */
const STREAM_MODE = 'on-demand';
const MINUTE_MS = 60_000;
const EVENTS_PER_INGEST_REQUEST = 10; // the edge benchmark's request size (issue 6)
const ONE_KB_EVENT = 1_024;

interface BatchFigures {
  readonly n: number;
  readonly s: number;
  readonly budget: number;
  readonly requests: number;
  readonly reportedWcu: number;
  readonly indexWcu: number;
  readonly computedWcu: number;
  readonly cpuMs: number;
  readonly durationMs: number;
  readonly naiveRequests: number;
  readonly naiveReportedWcu: number;
  readonly naiveComputedWcu: number;
  readonly naiveDurationMs: number;
  readonly rollup: RollupFigures;
  readonly rollupDurationMs: number;
}

const fmt = (n: number, digits = 0) =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const pad = (s: string | number, n: number) => String(s).padStart(n);
const sum = (values: readonly number[]) => values.reduce((a, b) => a + b, 0);

/**
 * The bench counts requests, not time: a generous budget keeps a slow emulator on a busy machine
 * from turning into deadline failures and retries, which would change the counts.
 */
function lambdaContext(ms = 300_000): Pick<Context, 'getRemainingTimeInMillis'> {
  const deadline = Date.now() + ms;
  return { getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()) };
}

function consumerConfig(stack: LocalStack, resources: ResourceDefinitions): ConsumerConfig {
  const { tables, buckets } = resources.names;
  return {
    aws: { endpoint: stack.endpoint, region: LOCAL_REGION },
    eventsTable: tables.events,
    sessionsTable: tables.sessions,
    activeSessionsTable: tables.activeSessions,
    badRowsTable: tables.badRows,
    failureBucket: buckets.failures,
    activeSessionShards: resources.activeSessionShards,
    shardPlan: resources.shardPlan,
    visitorSalt: { kind: 'value', secret: 'bench-consumer-visitor-salt' },
  };
}

async function scanSizes(
  client: DynamoDBClient,
  table: string,
): Promise<{ count: number; meanBytes: number; sumOf: (attribute: string) => number }> {
  const items: Record<string, AttributeValue>[] = [];
  let start: (typeof items)[number] | undefined;
  do {
    const page = await client.send(new ScanCommand({ TableName: table, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return {
    count: items.length,
    meanBytes: items.length === 0 ? 0 : Math.round(sum(items.map(itemSize)) / items.length),
    sumOf: (attribute) => sum(items.map((item) => Number(item[attribute]?.N ?? 0))),
  };
}

function writeUnits(meter: RequestMeter): {
  reported: number;
  index: number;
  computed: number;
  requests: number;
} {
  const total = meter.total();
  return {
    reported: total.reportedWriteUnits,
    index: total.reportedIndexWriteUnits,
    computed: total.computedWriteUnits,
    requests: total.requests,
  };
}

async function main(): Promise<void> {
  // Recent timestamps, or the rollup would drop every cell as past (see the header).
  const timeBase = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS;
  const workload = generateWorkload({ startAt: timeBase });
  const described = describeWorkload(workload);
  const log: string[] = [];
  const stack = await startLocalStack({ port: 0, log: (line) => log.push(line) });
  const admin = createAwsClients({ endpoint: stack.endpoint, region: LOCAL_REGION });
  const oursClients = createAwsClients(
    { endpoint: stack.endpoint, region: LOCAL_REGION },
    { maxSockets: 64 },
  );
  const naiveClients = createAwsClients(
    { endpoint: stack.endpoint, region: LOCAL_REGION },
    { maxSockets: 64 },
  );
  let rollup: MeteredRollup | undefined;
  try {
    const ours = resourceDefinitions('bench-consumer-ours');
    const naive = resourceDefinitions('bench-consumer-naive');
    await bootstrapResources(admin, ours);
    await bootstrapResources(admin, naive);
    rollup = await startMeteredRollup({ stack, resources: ours, admin });
    const config = consumerConfig(stack, ours);
    const reports: BatchReport[] = [];
    const now = () => workload.options.startAt + 3_600_000;
    const consumer = createConsumer(config, oursClients, {
      onReport: (report) => reports.push(report),
      concurrency: CONCURRENCY,
      now,
    });
    const oursMeter = installRequestMeter([oursClients.dynamodb]);
    const naiveMeter = installRequestMeter([naiveClients.dynamodb]);
    const naiveProcess = createBatchProcessor({
      clock: { now },
      salt: { saltForDay: (day) => `bench-naive-salt-${day}` },
    });
    // A separate warm processor times the pipeline's CPU share of an invocation.
    const cpuProcess = createBatchProcessor({
      clock: { now },
      salt: { saltForDay: (day) => `bench-cpu-salt-${day}` },
    });
    for (const batch of workload.batches.slice(0, 2)) cpuProcess(batch);

    const figures: BatchFigures[] = [];
    for (const batch of workload.batches) {
      const n = batch.length;
      const s = new Set(batch.map((r: KinesisStreamRecord) => r.kinesis.partitionKey)).size;
      const cpuStart = process.hrtime.bigint();
      cpuProcess(batch);
      const cpuMs = Number(process.hrtime.bigint() - cpuStart) / 1e6;

      oursMeter.reset();
      const response = await consumer.handler({ Records: [...batch] }, lambdaContext());
      if (response.batchItemFailures.length > 0) {
        throw new Error(
          `The consumer reported failures on a clean run: ${JSON.stringify(response)} (${reports.at(-1)?.firstError})`,
        );
      }
      const o = writeUnits(oursMeter);
      const batchWrites = oursMeter.byOperation.get(
        `BatchWriteItem ${config.eventsTable}`,
      )?.requests;
      // Before the naive run, so the rollup has the machine while it catches up.
      const rolledUp = await rollup.catchUp();

      naiveMeter.reset();
      await naiveConsume(
        batch,
        naiveProcess,
        naiveClients.dynamodb,
        {
          events: naive.names.tables.events,
          sessions: naive.names.tables.sessions,
          activeSessions: naive.names.tables.activeSessions,
          activeSessionShards: naive.activeSessionShards,
        },
        CONCURRENCY,
      );
      const v = writeUnits(naiveMeter);

      figures.push({
        n,
        s,
        budget: Math.ceil(n / 25) + 2 * s,
        requests: o.requests,
        reportedWcu: o.reported,
        indexWcu: o.index,
        computedWcu: o.computed,
        cpuMs,
        durationMs: estimateDurationMs({
          cpuMs,
          concurrency: CONCURRENCY,
          phases: [
            { requests: batchWrites ?? 0, latencyMs: ASSUMED_LATENCY_MS.batchWriteItem },
            // Sessions then ActiveSessions: two sequential single-item writes per session.
            {
              requests: o.requests - (batchWrites ?? 0),
              latencyMs: ASSUMED_LATENCY_MS.singleItemWrite,
            },
          ],
        }),
        naiveRequests: v.requests,
        naiveReportedWcu: v.reported,
        naiveComputedWcu: v.computed,
        naiveDurationMs: estimateDurationMs({
          cpuMs,
          concurrency: CONCURRENCY,
          // Three sequential writes per event.
          phases: [{ requests: v.requests, latencyMs: ASSUMED_LATENCY_MS.singleItemWrite }],
        }),
        rollup: rolledUp,
        rollupDurationMs: estimateDurationMs({
          cpuMs: rolledUp.cpuMs,
          // An invocation applies its chunks one after the other.
          concurrency: 1,
          phases: [
            {
              requests: rolledUp.transactions,
              latencyMs: ASSUMED_LATENCY_MS.transactWriteItems,
            },
          ],
        }),
      });
    }
    // The counters must say what the items say, at the workload's last event (when some
    // sessions have expired and others are current), or the counts above mean nothing.
    const checkedAt = workload.edgeRecords.at(-1)?.receivedAt ?? timeBase;
    const realtime = await rollup.check(workload.options.siteId, checkedAt);

    // Informational: the same last batch again (a redelivery) to the warm process, and to a
    // fresh process whose cache is empty (refused conditional writes return the stored item).
    const last = workload.batches.at(-1) ?? [];
    oursMeter.reset();
    await consumer.handler({ Records: [...last] }, lambdaContext());
    const redelivered = writeUnits(oursMeter);
    const fresh = createConsumer(config, oursClients, { onReport: () => undefined, now });
    oursMeter.reset();
    await fresh.handler({ Records: [...last] }, lambdaContext());
    const coldRedelivered = writeUnits(oursMeter);

    // Correctness of what was measured: every distinct event once, counted once.
    const oursEvents = await scanSizes(admin.dynamodb, config.eventsTable);
    const oursSessions = await scanSizes(admin.dynamodb, config.sessionsTable);
    const oursActive = await scanSizes(admin.dynamodb, config.activeSessionsTable);
    const naiveSessions = await scanSizes(admin.dynamodb, naive.names.tables.sessions);
    if (
      oursEvents.count !== described.distinctEvents ||
      oursSessions.sumOf('events') !== described.distinctEvents
    ) {
      throw new Error(
        `Consumer state is wrong: ${oursEvents.count} Events items and ${oursSessions.sumOf('events')} events counted in Sessions (expected ${described.distinctEvents} each)`,
      );
    }

    const records = sum(figures.map((f) => f.n));
    const requests = sum(figures.map((f) => f.requests));
    const budget = sum(figures.map((f) => f.budget));
    const wcu = sum(figures.map((f) => f.reportedWcu));
    const computedWcu = sum(figures.map((f) => f.computedWcu));
    const indexWcu = sum(figures.map((f) => f.indexWcu));
    const naiveWcu = sum(figures.map((f) => f.naiveReportedWcu));
    const naiveRequests = sum(figures.map((f) => f.naiveRequests));
    const nPlus2s = sum(figures.map((f) => f.n + 2 * f.s));
    const withinBudget = figures.filter((f) => f.requests <= f.budget).length;
    const oursCost = usdPerMillionEvents({
      events: records,
      writeUnits: wcu,
      invocations: figures.length,
      durationMs: sum(figures.map((f) => f.durationMs)),
      memoryMb: MEMORY_MB,
      eventBytes: ONE_KB_EVENT,
    });
    const naiveCost = usdPerMillionEvents({
      events: records,
      writeUnits: naiveWcu,
      invocations: figures.length,
      durationMs: sum(figures.map((f) => f.naiveDurationMs)),
      memoryMb: MEMORY_MB,
      eventBytes: ONE_KB_EVENT,
    });
    const apiBatched = apiGatewayUsdPerMillionEvents(EVENTS_PER_INGEST_REQUEST);
    const rolled = figures.map((f) => f.rollup);
    const rollupRecords = sum(rolled.map((r) => r.streamRecords));
    const rollupInvocations = sum(rolled.map((r) => r.invocations));
    const rollupTransactions = sum(rolled.map((r) => r.transactions));
    const rollupWcu = sum(rolled.map((r) => r.wcu));
    const rollupReportedWcu = sum(rolled.map((r) => r.reportedWcu));
    const rollupCost = rollupUsdPerMillionEvents({
      events: records,
      writeUnits: rollupWcu,
      invocations: rollupInvocations,
      durationMs: sum(figures.map((f) => f.rollupDurationMs)),
      memoryMb: ROLLUP_MEMORY_MB,
    });
    const fanOut = enhancedFanOutUsdPerMillionEvents(ONE_KB_EVENT, STREAM_MODE);
    const withRealtime = oursCost.total + rollupCost.total + fanOut;
    const apiSingle = apiGatewayUsdPerMillionEvents(1);

    console.log('consumer: DynamoDB requests, write units and cost per batch — ours vs naive');
    console.log(
      `workload: ${fmt(described.records)} records (${fmt(described.distinctEvents)} distinct events, ` +
        `${described.sessions} sessions), mean ${described.meanRecordBytes} B/record, ` +
        `${described.batches} batches of ≤ ${workload.options.batchSize}, ~${described.meanSessionsPerBatch} ` +
        `sessions and ~${described.meanEventsPerSessionPerBatch} events per session per batch`,
    );
    console.log(
      `stored items (ours): Events mean ${oursEvents.meanBytes} B, Sessions mean ${oursSessions.meanBytes} B, ` +
        `ActiveSessions mean ${oursActive.meanBytes} B (DynamoDB size rules)`,
    );
    console.log('');
    console.log(
      `${pad('batch', 5)} ${pad('n', 6)} ${pad('s', 4)} ${pad('e/s', 5)} ${pad('requests', 9)} ${pad('budget', 7)} ` +
        `${pad('WCU', 6)} ${pad('GSI', 4)} ${pad('WCU calc', 8)} ${pad('n+2s', 6)} │ ${pad('naive req', 9)} ${pad('naive WCU', 9)} ${pad('calc', 6)}`,
    );
    figures.forEach((f, i) => {
      console.log(
        `${pad(i + 1, 5)} ${pad(f.n, 6)} ${pad(f.s, 4)} ${pad((f.n / f.s).toFixed(1), 5)} ${pad(f.requests, 9)} ${pad(f.budget, 7)} ` +
          `${pad(f.reportedWcu, 6)} ${pad(f.indexWcu, 4)} ${pad(f.computedWcu, 8)} ${pad(f.n + 2 * f.s, 6)} │ ${pad(f.naiveRequests, 9)} ${pad(f.naiveReportedWcu, 9)} ${pad(f.naiveComputedWcu, 6)}`,
      );
    });
    console.log(
      `${pad('all', 5)} ${pad(records, 6)} ${pad('', 4)} ${pad('', 5)} ${pad(requests, 9)} ${pad(budget, 7)} ` +
        `${pad(wcu, 6)} ${pad(indexWcu, 4)} ${pad(computedWcu, 8)} ${pad(nPlus2s, 6)} │ ${pad(naiveRequests, 9)} ${pad(naiveWcu, 9)} ${pad(sum(figures.map((f) => f.naiveComputedWcu)), 6)}`,
    );
    console.log('');
    console.log(
      `requests within budget (⌈n/25⌉ + 2s) in ${withinBudget}/${figures.length} batches; ` +
        `write units ${fmt(wcu / records, 3)}/event as billed (n + 2s → ${fmt(nPlus2s / records, 3)}), naive ${fmt(naiveWcu / records, 3)}/event`,
    );
    console.log(
      `of which the Sessions GSI bySiteDay: ${fmt(indexWcu / records, 3)}/event — projected keys only, so only a ` +
        `session's first write (or a changed startedAt) touches it. Table writes alone: ${fmt((wcu - indexWcu) / records, 3)}/event`,
    );
    console.log(
      `redelivery of the last batch: ${redelivered.requests} requests, ${redelivered.reported} WCU to the warm process ` +
        `(no Sessions writes); ${coldRedelivered.requests} requests, ${coldRedelivered.computed} WCU computed to a fresh process ` +
        `(refused conditional writes return the stored item: no reads)`,
    );
    console.log(
      `exactly-once: Sessions count ${fmt(oursSessions.sumOf('events'))} events (distinct: ${fmt(described.distinctEvents)}); ` +
        `naive ADD counted ${fmt(naiveSessions.sumOf('events'))}`,
    );
    console.log('');
    console.log(
      `realtime rollup on the ActiveSessions stream (caught up after each batch; time base ${new Date(timeBase).toISOString()}, ` +
        `the bench's start floored to the minute — the reference workload's own date, ${new Date(REFERENCE_WORKLOAD.startAt).toISOString()}, ` +
        'would leave every cell in the past and unwritten):',
    );
    console.log(
      `${pad('batch', 5)} ${pad('records', 8)} ${pad('invocations', 11)} ${pad('transactions', 12)} ${pad('WCU', 6)} ${pad('WCU/tx', 7)} ${pad('WCU/event', 9)} ${pad('reported', 8)}`,
    );
    const rollupRow = (
      label: string | number,
      n: number,
      r: Omit<RollupFigures, 'requests' | 'cpuMs'>,
    ) =>
      console.log(
        `${pad(label, 5)} ${pad(r.streamRecords, 8)} ${pad(r.invocations, 11)} ${pad(r.transactions, 12)} ${pad(r.wcu, 6)} ` +
          `${pad(r.transactions === 0 ? '-' : (r.wcu / r.transactions).toFixed(1), 7)} ${pad((r.wcu / n).toFixed(3), 9)} ${pad(r.reportedWcu, 8)}`,
      );
    figures.forEach((f, i) => rollupRow(i + 1, f.n, f.rollup));
    rollupRow('all', records, {
      streamRecords: rollupRecords,
      invocations: rollupInvocations,
      transactions: rollupTransactions,
      wcu: rollupWcu,
      reportedWcu: rollupReportedWcu,
    });
    console.log(
      `rollup: ${fmt(rollupRecords)} stream records in ${rollupInvocations} invocations and ${rollupTransactions} transactions ` +
        `(~${fmt(rollupRecords / Math.max(1, rollupTransactions), 1)} records each); ${fmt(rollupWcu)} write units as AWS bills them (2× per action, ` +
        `each at its larger image; computed from the item sizes): ${fmt(rollupWcu / Math.max(1, rollupTransactions), 1)}/transaction, ` +
        `${fmt(rollupWcu / records, 3)}/event. DynamoDB Local reported ${fmt(rollupReportedWcu)}: for a transaction it reports 2 × the sum of ` +
        'the distinct per-item units, not of every item, so its figure is not used. ' +
        `Counters checked against the items at the last event: ${realtime.activeSessions} active, ${realtime.currentVisitors} current, ${realtime.bots} bots.`,
    );
    console.log(
      'Invocations follow the pace of the writes (polled every 250 ms, batching window 0): on AWS the consumer writes a batch ' +
        'faster than DynamoDB Local does, so the rollup would get fewer, larger chunks — fewer marker writes and bucket updates.',
    );
    console.log('');
    console.log(
      '$ per million 1 KB events (us-east-1, DESIGN.md prices; events = records delivered):',
    );
    console.log(`${pad('', 34)} ${pad('ours', 8)} ${pad('naive', 8)}`);
    const row = (label: string, a: number, b: number) =>
      console.log(`${label.padEnd(34)} ${pad(a.toFixed(4), 8)} ${pad(b.toFixed(4), 8)}`);
    row('DynamoDB on-demand writes (counted)', oursCost.dynamoDb, naiveCost.dynamoDb);
    row('Lambda 512 MB (modelled duration)', oursCost.lambda, naiveCost.lambda);
    row('Kinesis on-demand data in (1 KB)', oursCost.kinesis, naiveCost.kinesis);
    row('total (consumer path)', oursCost.total, naiveCost.total);
    row(
      `+ API Gateway, ${EVENTS_PER_INGEST_REQUEST} events/request`,
      oursCost.total + apiBatched,
      naiveCost.total + apiBatched,
    );
    row('+ API Gateway, 1 event/request', oursCost.total + apiSingle, naiveCost.total + apiSingle);
    const ourRow = (label: string, a: number) =>
      console.log(`${label.padEnd(34)} ${pad(a.toFixed(4), 8)} ${pad('', 8)}`);
    ourRow('realtime rollup DynamoDB (counted)', rollupCost.dynamoDb);
    ourRow(`realtime rollup Lambda ${ROLLUP_MEMORY_MB} MB`, rollupCost.lambda);
    ourRow(`enhanced fan-out reads (${STREAM_MODE})`, fanOut);
    ourRow('total with realtime', withRealtime);
    ourRow(`+ API Gateway, ${EVENTS_PER_INGEST_REQUEST} events/request`, withRealtime + apiBatched);
    console.log(
      `enhanced fan-out: ${STREAM_MODE} streams (the stack's default) bill $${PRICES.kinesisEnhancedFanOutUsdPerGb[STREAM_MODE]}/GB read; ` +
        `a provisioned stream bills $${PRICES.kinesisEnhancedFanOutUsdPerGb.provisioned}/GB ` +
        `(${enhancedFanOutUsdPerMillionEvents(ONE_KB_EVENT, 'provisioned').toFixed(4)} per million) plus ` +
        `$${PRICES.kinesisProvisionedEnhancedFanOutConsumerShardHourUsd} per consumer-shard hour = ` +
        `$${enhancedFanOutUsdPerShardMonth('provisioned').toFixed(2)} per shard-month, fixed, not per event.`,
    );
    console.log(
      `Lambda duration modelled as local pipeline CPU (${fmt(sum(figures.map((f) => f.cpuMs)) / figures.length, 1)} ms/batch) ` +
        `+ rounds of ${CONCURRENCY} concurrent requests at an assumed ${ASSUMED_LATENCY_MS.batchWriteItem} ms (BatchWriteItem) / ` +
        `${ASSUMED_LATENCY_MS.singleItemWrite} ms (single-item write); the rollup's as its CPU without I/O ` +
        `(${fmt(sum(rolled.map((r) => r.cpuMs)) / Math.max(1, rollupInvocations), 1)} ms/invocation) + its transactions one after ` +
        `the other at ${ASSUMED_LATENCY_MS.transactWriteItems} ms; excluded: Kinesis stream/shard-hours, S3, logs, ` +
        'the processor function on the same streams.',
    );
    console.log(
      JSON.stringify({
        bench: 'consumer',
        requestsPerBatch: Math.round((requests / figures.length) * 10) / 10,
        requestBudget: Math.round((budget / figures.length) * 10) / 10,
        wcuPerEvent: Math.round((wcu / records) * 1000) / 1000,
        naiveWcuPerEvent: Math.round((naiveWcu / records) * 1000) / 1000,
        usdPerMillionEvents: Math.round(oursCost.total * 1000) / 1000,
        naiveUsdPerMillionEvents: Math.round(naiveCost.total * 1000) / 1000,
        usdPerMillionEventsWithApiGateway: Math.round((oursCost.total + apiBatched) * 1000) / 1000,
        batchesWithinBudget: withinBudget,
        batches: figures.length,
        timeBase: new Date(timeBase).toISOString(),
        rollupStreamRecords: rollupRecords,
        rollupInvocations,
        rollupTransactions,
        rollupWcu,
        rollupReportedWcuDynamoDbLocal: rollupReportedWcu,
        rollupWcuPerEvent: Math.round((rollupWcu / records) * 1000) / 1000,
        rollupWcuPerTransaction:
          Math.round((rollupWcu / Math.max(1, rollupTransactions)) * 10) / 10,
        rollupUsdPerMillionEvents: Math.round(rollupCost.total * 1000) / 1000,
        enhancedFanOutUsdPerMillionEvents: Math.round(fanOut * 1000) / 1000,
        enhancedFanOutUsdPerShardMonthProvisioned:
          Math.round(enhancedFanOutUsdPerShardMonth('provisioned') * 100) / 100,
        usdPerMillionWithRealtime: Math.round(withRealtime * 1000) / 1000,
      }),
    );
  } finally {
    await rollup?.stop();
    oursClients.destroy();
    naiveClients.destroy();
    admin.destroy();
    await stack.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
