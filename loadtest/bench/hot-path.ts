/**
 * `npm run bench:hot-path` — the consumer's pure hot path against its floor (DESIGN.md section 6).
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
 * Caches as in a warm Lambda meeting new traffic: each round builds a fresh batch processor and,
 * untimed, feeds it a different stretch of traffic (the same generator with another seed), so
 * user agents, pages and referrers are mostly known but every session and visitor of the
 * measured workload is new — each visitor id is hashed once, as in production. Rounds run side
 * by side, interleaved, alternating which side goes first, after a warm-up; figures are medians
 * of CPU time per round (process.cpuUsage: other load on a shared machine does not count).
 * Target: ratio ≥ 0.5.
 */
import type { KinesisStreamRecord } from 'aws-lambda';
import {
  createBatchProcessor,
  createEnricher,
  decode,
  type BatchProcessor,
  type PipelinePorts,
} from '../../pipeline';
import { describeWorkload, generateWorkload } from '../workload';

const WARM_UP_ROUNDS = 3;
const ROUNDS = 11;

const workload = generateWorkload();
/** Earlier traffic of the same site: warms the caches, never timed. */
const earlier = generateWorkload({ seed: workload.options.seed + 1 });
const described = describeWorkload(workload);
const records = workload.kinesisRecords;
const batches = workload.batches;

const ports: PipelinePorts = {
  // A fixed instant just after the workload: nothing in the hot path depends on it but stats.
  clock: { now: () => workload.options.startAt + 3_600_000 },
  salt: { saltForDay: (day) => `bench-salt-${day}` },
};

function floor(): number {
  let sink = 0;
  for (const record of records) {
    const value: unknown = JSON.parse(Buffer.from(record.kinesis.data, 'base64').toString('utf8'));
    if (value !== null) sink += 1;
  }
  return sink;
}

function warmProcessor(): BatchProcessor {
  const processBatch = createBatchProcessor(ports);
  for (const batch of earlier.batches) processBatch(batch);
  return processBatch;
}

let processor = warmProcessor();

function hotPath(): number {
  let outcomes = 0;
  for (const batch of batches) outcomes += processor(batch).outcomes.length;
  return outcomes;
}

/** Stage breakdown (informational): decode alone, decode + enrich. */
function decodeOnly(): number {
  let ok = 0;
  for (const record of records) if (decode(record).ok) ok += 1;
  return ok;
}

function decodeAndEnrich(): number {
  const enricher = createEnricher(ports.salt);
  let ok = 0;
  for (const record of records) {
    const decoded = decode(record);
    if (decoded.ok && enricher.enrich(decoded.record).ok) ok += 1;
  }
  return ok;
}

/** CPU time of this process (user + system, GC threads included), in ms. */
function time(run: () => number): { ms: number; count: number } {
  const start = process.cpuUsage();
  const count = run();
  const used = process.cpuUsage(start);
  return { ms: (used.user + used.system) / 1000, count };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

function checkWorkload(all: readonly KinesisStreamRecord[]): void {
  const result = createBatchProcessor(ports)(all);
  const bad = result.badRows.length;
  if (bad !== 0 || result.eventItems.length !== described.distinctEvents) {
    throw new Error(
      `Reference workload did not process cleanly: ${result.eventItems.length} events stored ` +
        `(expected ${described.distinctEvents}), ${bad} bad rows (expected 0): ` +
        JSON.stringify(result.badRows.slice(0, 3).map((r) => r.message)),
    );
  }
}

const perSec = (count: number, ms: number) => Math.round((count / ms) * 1000);
const fmt = (n: number) => n.toLocaleString('en-US');
const pad = (s: string, n: number) => s.padStart(n);

checkWorkload(records);
for (let i = 0; i < WARM_UP_ROUNDS; i += 1) {
  floor();
  processor = warmProcessor();
  hotPath();
  decodeOnly();
  decodeAndEnrich();
}

const floorRates: number[] = [];
const hotRates: number[] = [];
const decodeRates: number[] = [];
const enrichRates: number[] = [];
const lines: string[] = [];
for (let round = 1; round <= ROUNDS; round += 1) {
  processor = warmProcessor();
  const sides = round % 2 === 1 ? [floor, hotPath] : [hotPath, floor];
  const results = new Map<() => number, { ms: number; count: number }>();
  for (const side of sides) results.set(side, time(side));
  const f = results.get(floor) as { ms: number; count: number };
  const h = results.get(hotPath) as { ms: number; count: number };
  if (f.count !== records.length || h.count !== records.length) {
    throw new Error(
      `Round ${round}: expected ${records.length} records on both sides, received ${f.count} and ${h.count}`,
    );
  }
  floorRates.push(perSec(f.count, f.ms));
  hotRates.push(perSec(h.count, h.ms));
  const d = time(decodeOnly);
  const e = time(decodeAndEnrich);
  decodeRates.push(perSec(records.length, d.ms));
  enrichRates.push(perSec(records.length, e.ms));
  lines.push(
    `${pad(String(round), 5)} ${pad(fmt(perSec(f.count, f.ms)), 14)} ${pad(fmt(perSec(h.count, h.ms)), 14)} ${pad((perSec(h.count, h.ms) / perSec(f.count, f.ms)).toFixed(3), 7)}`,
  );
}

const floorPerSec = median(floorRates);
const hotPerSec = median(hotRates);
const ratio = Math.round((hotPerSec / floorPerSec) * 1000) / 1000;
const micros = (rate: number) => (1e6 / rate).toFixed(2);

console.log('hot-path: decode → validate → enrich → coalesce vs base64-decode + JSON.parse');
console.log(
  `workload: ${fmt(described.records)} records (${fmt(described.distinctEvents)} distinct events, ` +
    `${described.sessions} sessions), mean ${described.meanRecordBytes} B/record, ` +
    `${described.batches} batches of ≤ ${workload.options.batchSize}, ` +
    `~${described.meanSessionsPerBatch} sessions and ~${described.meanEventsPerSessionPerBatch} ` +
    `events per session per batch; ${ROUNDS} interleaved rounds after ${WARM_UP_ROUNDS} warm-up; CPU time; caches warmed by other traffic, every session new`,
);
console.log('');
console.log(
  `${pad('round', 5)} ${pad('floor rec/s', 14)} ${pad('hot rec/s', 14)} ${pad('ratio', 7)}`,
);
for (const line of lines) console.log(line);
console.log(
  `${pad('med', 5)} ${pad(fmt(floorPerSec), 14)} ${pad(fmt(hotPerSec), 14)} ${pad(ratio.toFixed(3), 7)}`,
);
console.log('');
console.log('stage (median)                          rec/s     µs/record');
console.log(
  `floor: base64 + JSON.parse       ${pad(fmt(floorPerSec), 12)} ${pad(micros(floorPerSec), 12)}`,
);
console.log(
  `decode + validate                ${pad(fmt(median(decodeRates)), 12)} ${pad(micros(median(decodeRates)), 12)}`,
);
console.log(
  `  + enrich                       ${pad(fmt(median(enrichRates)), 12)} ${pad(micros(median(enrichRates)), 12)}`,
);
console.log(
  `  + coalesce (processBatch)      ${pad(fmt(hotPerSec), 12)} ${pad(micros(hotPerSec), 12)}`,
);
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
