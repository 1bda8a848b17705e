/**
 * The measurement of `npm run bench:hot-path` (hot-path.ts bundles this file and runs it): the
 * consumer's pure hot path against its floor (DESIGN.md section 6).
 *
 * Workload: the reference workload (loadtest/workload: 500 sessions × 20 events, 1 % re-puts,
 * 1 % late arrivals → 10,091 records of ~620 B in 11 Lambda batches of ≤ 1,000 records, ~126
 * sessions and ~7 events per session per batch; seeded, identical on every run).
 *
 * - floor: base64-decode + JSON.parse of every record — the least any consumer must do;
 * - hot path: `processBatch` per Lambda batch — decode (strict base64, size caps, fatal UTF-8,
 *   JSON, schema, ts window) → enrich (user agent, bot, source, path, country, visitor id) →
 *   coalesce (dedupe, duplicate seq, order, fold per session, Events items).
 *
 * Input as Lambda hands it over: one invocation at a time, each batch parsed from its invocation
 * JSON (`{"Records": [...]}`) right before the timed step and untimed, so both sides read freshly
 * allocated records, as a handler does, not objects that have aged in the heap since generation.
 *
 * Caches as in a warm Lambda meeting new traffic: each round builds a fresh batch processor and,
 * untimed, feeds it a different stretch of traffic (the same generator with another seed), so
 * user agents, pages and referrers are mostly known but every session and visitor of the
 * measured workload is new — each visitor id is hashed once, as in production.
 *
 * Rounds run side by side, interleaved, alternating which side goes first, after a warm-up;
 * figures are medians of CPU time per round, summed over the invocations (process.cpuUsage:
 * other load on a shared machine does not count, the garbage collector's threads do).
 * Target: ratio ≥ 0.5.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import {
  createBatchProcessor,
  createEnricher,
  decode,
  type BatchProcessor,
  type Enricher,
  type PipelinePorts,
} from '../../pipeline';
import { describeWorkload, generateWorkload } from '../workload';

const WARM_UP_ROUNDS = 3;
const ROUNDS = 21;

const workload = generateWorkload();
/** Earlier traffic of the same site: warms the caches, never timed. */
const earlier = generateWorkload({ seed: workload.options.seed + 1 });
const described = describeWorkload(workload);
const recordCount = workload.kinesisRecords.length;
/** The Lambda invocation payload of each batch. */
const invocations = workload.batches.map((batch) => JSON.stringify({ Records: batch }));

const ports: PipelinePorts = {
  // A fixed instant just after the workload: only the batch stats read it.
  clock: { now: () => workload.options.startAt + 3_600_000 },
  salt: { saltForDay: (day) => `bench-salt-${day}` },
};

function parseInvocation(text: string): KinesisStreamRecord[] {
  const event: unknown = JSON.parse(text);
  const records = (event as { Records?: unknown }).Records;
  if (!Array.isArray(records)) {
    throw new TypeError('Expected a Lambda Kinesis event with a Records array');
  }
  return records as KinesisStreamRecord[];
}

/**
 * Records per CPU second of `step`, run once per invocation on its freshly parsed records (the
 * parse is not timed).
 */
function perInvocation(step: (records: readonly KinesisStreamRecord[]) => number): number {
  let cpuMicros = 0;
  let count = 0;
  for (const invocation of invocations) {
    const records = parseInvocation(invocation);
    const start = process.cpuUsage();
    count += step(records);
    const used = process.cpuUsage(start);
    cpuMicros += used.user + used.system;
  }
  if (count !== recordCount) {
    throw new Error(`Expected ${recordCount} records processed, received ${count}`);
  }
  return Math.round((count / cpuMicros) * 1e6);
}

function floor(records: readonly KinesisStreamRecord[]): number {
  let parsed = 0;
  for (const record of records) {
    const value: unknown = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    if (value !== null) parsed += 1;
  }
  return parsed;
}

function warmProcessor(): BatchProcessor {
  const processBatch = createBatchProcessor(ports);
  for (const batch of earlier.batches) processBatch(batch);
  return processBatch;
}

/** Stage breakdown (informational): decode alone, decode + enrich. */
function decodeOnly(records: readonly KinesisStreamRecord[]): number {
  let ok = 0;
  for (const record of records) if (decode(record).ok) ok += 1;
  return ok;
}

function warmEnricher(): Enricher {
  const enricher = createEnricher(ports.salt);
  for (const record of earlier.kinesisRecords) {
    const decoded = decode(record);
    if (decoded.ok) enricher.enrich(decoded.record);
  }
  return enricher;
}

function decodeAndEnrich(enricher: Enricher, records: readonly KinesisStreamRecord[]): number {
  let ok = 0;
  for (const record of records) {
    const decoded = decode(record);
    if (decoded.ok && enricher.enrich(decoded.record).ok) ok += 1;
  }
  return ok;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : Math.round(((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2);
}

function checkWorkload(): void {
  const result = createBatchProcessor(ports)(workload.kinesisRecords);
  if (result.badRows.length !== 0 || result.eventItems.length !== described.distinctEvents) {
    throw new Error(
      `Reference workload did not process cleanly: ${result.eventItems.length} events stored ` +
        `(expected ${described.distinctEvents}), ${result.badRows.length} bad rows (expected 0): ` +
        JSON.stringify(result.badRows.slice(0, 3).map((r) => r.message)),
    );
  }
}

checkWorkload();
const floorRates: number[] = [];
const hotRates: number[] = [];
for (let round = 1 - WARM_UP_ROUNDS; round <= ROUNDS; round += 1) {
  const processBatch = warmProcessor();
  const floorSide = () => perInvocation(floor);
  const hotSide = () => perInvocation((records) => processBatch(records).outcomes.length);
  const floorFirst = round % 2 === 1;
  const f = floorFirst ? floorSide() : 0;
  const h = hotSide();
  const f2 = floorFirst ? f : floorSide();
  if (round >= 1) {
    floorRates.push(f2);
    hotRates.push(h);
  }
}

// Stage breakdown, after the measured rounds so that it cannot disturb them.
const decodeRates: number[] = [];
const enrichRates: number[] = [];
for (let round = 1 - WARM_UP_ROUNDS; round <= ROUNDS; round += 1) {
  const d = perInvocation(decodeOnly);
  const enricher = warmEnricher();
  const e = perInvocation((records) => decodeAndEnrich(enricher, records));
  if (round >= 1) {
    decodeRates.push(d);
    enrichRates.push(e);
  }
}

const floorPerSec = median(floorRates);
const hotPerSec = median(hotRates);
const ratio = Math.round((hotPerSec / floorPerSec) * 1000) / 1000;
const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (s: string, n: number) => s.padStart(n);
const micros = (perSec: number) => (1e6 / perSec).toFixed(2);

console.log('hot-path: decode → validate → enrich → coalesce vs base64-decode + JSON.parse');
console.log(
  `workload: ${fmt(described.records)} records (${fmt(described.distinctEvents)} distinct events, ` +
    `${described.sessions} sessions), mean ${described.meanRecordBytes} B/record, ` +
    `${described.batches} batches of ≤ ${fmt(workload.options.batchSize)}, ` +
    `~${described.meanSessionsPerBatch} sessions and ~${described.meanEventsPerSessionPerBatch} ` +
    'events per session per batch',
);
console.log(
  `method: ${ROUNDS} interleaved rounds after ${WARM_UP_ROUNDS} warm-up, CPU time per invocation ` +
    'on freshly parsed input, medians; caches warmed by other traffic, every session new',
);
console.log('');
console.log(
  `${pad('round', 5)} ${pad('floor rec/s', 14)} ${pad('hot rec/s', 14)} ${pad('ratio', 7)}`,
);
floorRates.forEach((f, i) => {
  const h = hotRates[i] as number;
  console.log(
    `${pad(String(i + 1), 5)} ${pad(fmt(f), 14)} ${pad(fmt(h), 14)} ${pad((h / f).toFixed(3), 7)}`,
  );
});
console.log(
  `${pad('med', 5)} ${pad(fmt(floorPerSec), 14)} ${pad(fmt(hotPerSec), 14)} ${pad(ratio.toFixed(3), 7)}`,
);
console.log('');
console.log(`${'stage (median)'.padEnd(32)} ${pad('rec/s', 12)} ${pad('µs/record', 12)}`);
const stages: [string, number][] = [
  ['floor: base64 + JSON.parse', floorPerSec],
  ['decode + validate', median(decodeRates)],
  ['  + enrich', median(enrichRates)],
  ['  + coalesce (processBatch)', hotPerSec],
];
for (const [name, perSec] of stages) {
  console.log(`${name.padEnd(32)} ${pad(fmt(perSec), 12)} ${pad(micros(perSec), 12)}`);
}
console.log(`target: ratio ≥ 0.5 → ${ratio >= 0.5 ? 'met' : 'NOT met'}`);
console.log(
  JSON.stringify({
    bench: 'hot-path',
    ratio,
    eventsPerSec: hotPerSec,
    floorEventsPerSec: floorPerSec,
    records: described.records,
    rounds: ROUNDS,
  }),
);
