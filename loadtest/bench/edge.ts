/**
 * `npm run bench:edge`: latency and errors of POST /events on the local edge at 300 requests/s
 * (DESIGN.md section 6's target; the figures below were worked out at the earlier 1,000) of
 * 10-event batches for 30 s, beside the same load against a bare node:http server that
 * answers 200 without work (the floor), in one run. Every accepted event must be on the stream.
 *
 * Three runs with the same client, rate and batches: `floor` (bare node:http, no work),
 * `kinesis` (the same PutRecords straight to kinesalite: what the emulator itself takes) and
 * `edge` (POST /events through the local edge to kinesalite). Layout (2 cores): kinesalite in
 * its own process (a fresh, empty one for each of the kinesis and edge runs), the server under test in another (edge-bench-server.ts), autocannon here. kinesalite, not kinesis-mock: kinesis-mock manages
 * about 70–100 PutRecords/s (≈1,000 records/s, DESIGN.md section 5) — a tenth of this load.
 * The edge's throttles are lifted for the run (tests cover them); the Kinesis client does one
 * attempt per request, as API Gateway's integration does, so an overloaded emulator shows up as
 * errors rather than hidden retries. Local timings compare the edge with its floor on this
 * machine; they say nothing about API Gateway's latency.
 *
 * How the load arrives, two shapes at the same rate, each run against all three targets:
 *   - `open` (the target's figure): open-loop arrivals. Requests are scheduled at fixed 1 ms
 *     intervals (1,000/s; fixed, not Poisson, so every run offers exactly the same schedule),
 *     independent of the responses, and sent with node:http over a keep-alive Agent of up to
 *     MAX_SOCKETS sockets. A timer loop sends, on each tick, every request whose time has come, so
 *     timer jitter delays requests but does not lower the rate. A request's latency is response
 *     end − its *scheduled* time: time spent waiting for the timer, for a free socket or in the
 *     server's queue all counts, so a stall is not hidden (no coordinated omission). The achieved
 *     send rate and the largest lag between schedule and send are reported with it;
 *   - `bursts` (a stress figure): one autocannon instance, whose rate limiter lets each connection
 *     spend its per-second budget (1,000 / 100 = 10 requests) back to back from the start of each
 *     second, so all 100 connections are in flight at once, then a pause (measured: the 1,000
 *     requests of a second arrive within its first ~300 ms against a 20 ms server). A request's
 *     latency is then about 100 / the stack's saturated throughput — kinesalite's own p95 is near
 *     100 ms. It is closed-loop (autocannon keeps one request in flight per connection and times it
 *     from when it was actually sent), so it understates queueing; it stays as a spike, not as the
 *     target's figure.
 * The earlier `paced` shape (ten staggered autocannon instances) is dropped: it is closed-loop in
 * the same way, so under a stall it sends fewer requests and times none of the wait — the open
 * shape measures what it approximated, without that bias — and it cost 90 s a bench run.
 *
 * Env: BENCH_DURATION (s, default 30), BENCH_RATE (requests/s, default 300), BENCH_CONNECTIONS
 * (default 100), BENCH_PROFILE
 * (a directory: writes a V8 CPU profile of the edge process there).
 */
import { type ChildProcess, fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import autocannon from 'autocannon';
import { createAwsClients } from '../../handlers/aws-clients';
import { DEFAULT_LOCAL_SHARD_COUNT } from '../../infra/resources';
import { kinesalite } from '../../localstack/emulators/kinesalite';
import { findFreePort } from '../../localstack/supervisor/ports';
import { startEmulator } from '../../localstack/supervisor/start-emulator';
import { type LatencySummary, summarize } from './percentiles';

const DURATION_S = Number(process.env['BENCH_DURATION'] ?? 30);
const RATE = Number(process.env['BENCH_RATE'] ?? 300);
const EVENTS_PER_REQUEST = 10;
const SESSIONS = 2000;
/**
 * autocannon's connections (bursts): enough that the offered rate holds even at 100 ms latency
 * (autocannon keeps one request in flight per connection): 1,000 rps × 0.1 s = 100.
 */
const CONNECTIONS = Number(process.env['BENCH_CONNECTIONS'] ?? 100);
const WARMUP_S = 3;
/**
 * Sockets of the open-loop client: 1,000 rps × 0.256 s before a request has to wait for one, and a
 * request that waits is still timed from its scheduled time.
 */
const MAX_SOCKETS = 256;
/** Per-request timeout, as autocannon's `timeout: 10`. */
const TIMEOUT_MS = 10_000;
const STREAM = 'bench-edge-events';
/** The kinesis run's stream (in its own kinesalite; named apart so the two are never confused). */
const KINESIS_RUN_STREAM = 'bench-kinesis-direct';
const SITE = 'demo-shop';
const PROFILE_DIR = process.env['BENCH_PROFILE'];

/** CPU time (user + system) a process has used, from /proc (Linux; undefined elsewhere). */
function cpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    // Fields after the command name: state is field 3, utime 14 and stime 15 (1-based).
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
  } catch {
    return undefined;
  }
}

interface Run {
  readonly name: string;
  /** CPU ms per request of the server under test and of kinesalite, during the measured run. */
  readonly serverCpuMsPerRequest?: number;
  readonly kinesisCpuMsPerRequest?: number;
  readonly latency: LatencySummary;
  readonly sent: number;
  readonly ok: number;
  readonly partial: number;
  readonly errors: number;
  readonly accepted: number;
  readonly rps: number;
  /** Open-loop only: requests sent per second, and the largest delay of a send after its schedule. */
  readonly sendRate?: number;
  readonly maxLagMs?: number;
}

/** Reference workload: 10 pageviews per request, 2,000 sessions round-robin, unique eventIds. */
function bodies(): () => string {
  let n = 0;
  const run = Date.now().toString(36);
  return () => {
    const events = Array.from({ length: EVENTS_PER_REQUEST }, () => {
      const i = n++;
      const session = i % SESSIONS;
      return {
        eventId: `evt_${run}_${String(i).padStart(10, '0')}`,
        sessionId: `sess_${run}_${String(session).padStart(5, '0')}`,
        seq: Math.floor(i / SESSIONS),
        type: 'pageview',
        ts: Date.now(),
        url: `https://shop.example.com/products/${i % 500}?ref=bench`,
        referrer: 'https://www.google.com/',
        title: `Product ${i % 500}`,
        screen: { w: 1440, h: 900 },
        lang: 'en-GB',
      };
    });
    return JSON.stringify({ siteId: SITE, events });
  };
}

async function startServer(
  mode: 'edge' | 'floor',
  endpoint: string,
): Promise<{ child: ChildProcess; port: number; ingestKey: string }> {
  const child = fork(join(__dirname, 'edge-bench-server.ts'), [mode, endpoint, STREAM], {
    execArgv: [
      '--require',
      require.resolve('tsx/cjs'),
      ...(mode === 'edge' && PROFILE_DIR !== undefined
        ? ['--cpu-prof', `--cpu-prof-dir=${PROFILE_DIR}`]
        : []),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<{ port: number; ingestKey: string }>((resolve, reject) => {
    child.once('message', (message) => resolve(message as { port: number; ingestKey: string }));
    child.once('exit', (code) =>
      reject(new Error(`bench ${mode} server exited with ${String(code)} before it was ready`)),
    );
  });
  return { child, ...ready };
}

function stopServer(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    // Gone already (exited, or killed by a signal): 'exit' will not fire again.
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.disconnect();
    setTimeout(() => child.kill('SIGKILL'), 5000).unref();
  });
}

interface Target {
  readonly url: string;
  readonly headers: Record<string, string>;
  /** Turns the next ingest body into this target's request body. */
  readonly body: (ingestBody: string) => string;
}

function ingestTarget(url: string, ingestKey: string): Target {
  return {
    url: `${url}/events?key=${encodeURIComponent(ingestKey)}`,
    headers: {
      'content-type': 'text/plain;charset=UTF-8',
      origin: 'http://localhost:3000',
    },
    body: (ingestBody) => ingestBody,
  };
}

/**
 * The emulator alone: the same batches as the PutRecords the edge sends, straight to kinesalite
 * (which checks that a request is signed, not the signature), so edge − kinesis is the edge.
 */
function kinesisTarget(endpoint: string): Target {
  return {
    url: endpoint,
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'Kinesis_20131202.PutRecords',
      'x-amz-date': '20260101T000000Z',
      authorization:
        'AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/kinesis/aws4_request, SignedHeaders=host;x-amz-date, Signature=0',
    },
    body: (ingestBody) => {
      const { siteId, events } = JSON.parse(ingestBody) as {
        siteId: string;
        events: { sessionId: string }[];
      };
      return JSON.stringify({
        StreamName: KINESIS_RUN_STREAM,
        Records: events.map((event) => ({
          PartitionKey: event.sessionId,
          Data: Buffer.from(JSON.stringify({ v: 1, siteId, event })).toString('base64'),
        })),
      });
    },
  };
}

/**
 * How a second's requests arrive. `open`: scheduled every 1,000 / RATE ms regardless of answers
 * (open loop), timed from the schedule. `bursts`: one autocannon instance, whose rate limiter lets
 * every connection spend its per-second budget back to back at the start of each second — all
 * 100 connections in flight at once, a tenfold instantaneous spike.
 */
export const LOAD_SHAPES = ['open', 'bursts'] as const;
type LoadShape = (typeof LOAD_SHAPES)[number];

interface Tally {
  readonly samples: number[];
  accepted: number;
  partial: number;
}

/** Counts a 200/207 answer's accepted events: the edge's `accepted`, or PutRecords' records. */
function countResponse(tally: Tally, status: number, body: string): void {
  if (status === 207) tally.partial++;
  if (status !== 200 && status !== 207) return;
  const parsed = JSON.parse(body) as {
    accepted?: unknown;
    Records?: unknown[];
    FailedRecordCount?: number;
  };
  if (typeof parsed.accepted === 'number') tally.accepted += parsed.accepted;
  if (Array.isArray(parsed.Records))
    tally.accepted += parsed.Records.length - (parsed.FailedRecordCount ?? 0);
}

function autocannonRun(
  target: Target,
  nextBody: () => string,
  tally: Tally,
  options: { connections: number; rate: number; amount: number },
): Promise<autocannon.Result> {
  return new Promise((resolve, reject) => {
    const instance = autocannon(
      {
        url: target.url,
        method: 'POST',
        headers: target.headers,
        connections: options.connections,
        overallRate: options.rate,
        // A fixed amount, not a duration: autocannon then waits for every answer, so no request
        // is cut off in flight and accepted can be compared with the stream exactly.
        amount: options.amount,
        timeout: 10,
        requests: [
          {
            setupRequest: (request) => ({ ...request, body: target.body(nextBody()) }),
            onResponse: (status, body) => countResponse(tally, status, body),
          },
        ],
      },
      (error, result) => (error !== null ? reject(error) : resolve(result)),
    );
    instance.on('response', (_client, _status, _bytes, responseTime) =>
      tally.samples.push(responseTime),
    );
  });
}

/**
 * Open-loop load: request i is due at start + i × 1,000 / RATE ms. A 1 ms timer loop sends every
 * due request on each tick; latency runs from the due time to the response's end, so waiting for
 * the timer, for one of MAX_SOCKETS sockets or in the server all counts. Resolves when every
 * request has been answered, failed or timed out, so accepted can be compared with the stream.
 */
function openLoop(
  name: string,
  target: Target,
  durationS: number,
  nextBody: () => string,
): Promise<Run> {
  const total = Math.round(RATE * durationS);
  const intervalMs = 1000 / RATE;
  const url = new URL(target.url);
  const agent = new Agent({ keepAlive: true, maxSockets: MAX_SOCKETS });
  const tally: Tally = { samples: [], accepted: 0, partial: 0 };
  let ok = 0;
  let errors = 0;
  let sent = 0;
  let done = 0;
  let maxLagMs = 0;
  let lastSendAt = 0;
  let lastEndAt = 0;
  return new Promise<Run>((resolve) => {
    const start = performance.now();
    const finish = (): void => {
      done++;
      if (done < total) return;
      agent.destroy();
      const spanS = (lastEndAt - start) / 1000;
      resolve({
        name,
        latency: summarize(tally.samples.length > 0 ? tally.samples : [0]),
        sent,
        ok,
        partial: tally.partial,
        errors,
        accepted: tally.accepted,
        rps: Math.round((ok + tally.partial) / spanS),
        sendRate: Math.round((sent * 1000) / (lastSendAt - start + intervalMs)),
        maxLagMs: Math.round(maxLagMs * 10) / 10,
      });
    };
    const send = (due: number): void => {
      const now = performance.now();
      maxLagMs = Math.max(maxLagMs, now - due);
      lastSendAt = now;
      const body = target.body(nextBody());
      let settled = false;
      const settle = (outcome: { status: number; body: string } | Error): void => {
        if (settled) return;
        settled = true;
        lastEndAt = performance.now();
        if (outcome instanceof Error) {
          errors++;
        } else {
          tally.samples.push(lastEndAt - due);
          if (outcome.status === 200) ok++;
          else if (outcome.status !== 207) errors++;
          countResponse(tally, outcome.status, outcome.body);
        }
        finish();
      };
      const request = httpRequest(
        {
          host: url.hostname,
          port: url.port,
          path: `${url.pathname}${url.search}`,
          method: 'POST',
          agent,
          headers: { ...target.headers, 'content-length': Buffer.byteLength(body) },
          // Counted from the send, as autocannon's timeout; the wait for the timer is in latency.
          signal: AbortSignal.timeout(TIMEOUT_MS),
        },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('end', () =>
            settle({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          response.on('error', (error) => settle(error));
        },
      );
      request.on('error', (error) => settle(error));
      request.end(body);
    };
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + sent * intervalMs <= now) {
        const due = start + sent * intervalMs;
        sent++;
        send(due);
      }
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
}

async function load(
  name: string,
  target: Target,
  durationS: number,
  nextBody: () => string,
  shape: LoadShape,
): Promise<Run> {
  if (shape === 'open') return openLoop(name, target, durationS, nextBody);
  const tally: Tally = { samples: [], accepted: 0, partial: 0 };
  const result = await autocannonRun(target, nextBody, tally, {
    connections: CONNECTIONS,
    rate: RATE,
    amount: Math.round(RATE * durationS),
  });
  return {
    name,
    latency: summarize(tally.samples.length > 0 ? tally.samples : [0]),
    sent: result.requests.sent,
    ok: result['2xx'] - tally.partial,
    partial: tally.partial,
    errors: result.errors + result.timeouts + result.non2xx,
    accepted: tally.accepted,
    rps: Math.round(result.requests.total / result.duration),
  };
}

async function countOnStream(kinesis: KinesisClient): Promise<number> {
  const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: STREAM }));
  let count = 0;
  for (const shard of Shards ?? []) {
    let { ShardIterator } = await kinesis.send(
      new GetShardIteratorCommand({
        StreamName: STREAM,
        ShardId: shard.ShardId,
        ShardIteratorType: 'TRIM_HORIZON',
      }),
    );
    while (ShardIterator !== undefined) {
      const page = await kinesis.send(new GetRecordsCommand({ ShardIterator, Limit: 10_000 }));
      count += page.Records?.length ?? 0;
      if ((page.Records?.length ?? 0) === 0) break;
      ShardIterator = page.NextShardIterator;
    }
  }
  return count;
}

async function createStream(kinesis: KinesisClient, name: string): Promise<void> {
  await kinesis.send(
    new CreateStreamCommand({ StreamName: name, ShardCount: DEFAULT_LOCAL_SHARD_COUNT }),
  );
  const deadline = Date.now() + 30_000;
  for (;;) {
    const { StreamDescriptionSummary } = await kinesis.send(
      new DescribeStreamSummaryCommand({ StreamName: name }),
    );
    if (StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
    if (Date.now() > deadline) throw new Error(`stream ${name} not ACTIVE within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function row(cells: readonly (string | number)[]): string {
  return cells.map((cell, i) => String(cell).padStart(i === 0 ? 6 : 9)).join(' ');
}

/** A fresh kinesalite with the stream a mode writes to: each mode starts from an empty store. */
async function startKinesis(stream: string): Promise<{
  kinesalite: Awaited<ReturnType<typeof startEmulator>>;
  clients: ReturnType<typeof createAwsClients>;
}> {
  const emulator = await startEmulator(kinesalite(), { port: await findFreePort() });
  const clients = createAwsClients({ endpoint: emulator.endpoint, region: 'us-east-1' });
  try {
    await createStream(clients.kinesis, stream);
  } catch (error) {
    clients.destroy();
    await emulator.process.stop();
    throw error;
  }
  return { kinesalite: emulator, clients };
}

async function main(): Promise<void> {
  const loadBefore = loadavg()[0] ?? 0;
  const children: ChildProcess[] = [];
  let emulator: Awaited<ReturnType<typeof startKinesis>> | undefined;
  try {
    const nextBody = bodies();
    const runs: Run[] = [];
    let acceptedTotal = 0;
    let onStream = 0;
    /** Every edge run, warm-up included: errors and 207s are summed over all of them. */
    const edgeRuns: Run[] = [];
    for (const mode of ['floor', 'kinesis', 'edge'] as const) {
      // kinesalite keeps every record in its heap, and a bigger heap costs more GC: the kinesis
      // and edge runs each get a fresh one, so neither pays for the other's records.
      if (mode !== 'floor')
        emulator = await startKinesis(mode === 'edge' ? STREAM : KINESIS_RUN_STREAM);
      const endpoint = emulator?.kinesalite.endpoint ?? 'http://127.0.0.1:1';
      const kinesisPid = (): number | undefined =>
        mode === 'floor' ? undefined : emulator?.kinesalite.process.pid;
      let target: Target;
      let child: ChildProcess | undefined;
      if (mode === 'kinesis') {
        target = kinesisTarget(endpoint);
      } else {
        const server = await startServer(mode, endpoint);
        child = server.child;
        children.push(child);
        target = ingestTarget(`http://127.0.0.1:${server.port}`, server.ingestKey);
      }
      const warm = await load(`${mode}-warmup`, target, WARMUP_S, nextBody, 'open');
      if (mode === 'edge') {
        acceptedTotal += warm.accepted;
        edgeRuns.push(warm);
      }
      for (const shape of LOAD_SHAPES) {
        const before = { server: cpuMs(child?.pid), kinesis: cpuMs(kinesisPid()) };
        const measured = await load(`${mode}/${shape}`, target, DURATION_S, nextBody, shape);
        const perRequest = (start: number | undefined, end: number | undefined) =>
          start === undefined || end === undefined
            ? undefined
            : Math.round(((end - start) / measured.sent) * 100) / 100;
        const run: Run = {
          ...measured,
          ...(child === undefined
            ? {}
            : { serverCpuMsPerRequest: perRequest(before.server, cpuMs(child.pid)) }),
          kinesisCpuMsPerRequest: perRequest(before.kinesis, cpuMs(kinesisPid())),
        };
        if (mode === 'edge') {
          acceptedTotal += run.accepted;
          edgeRuns.push(run);
        }
        runs.push(run);
      }
      if (child !== undefined) await stopServer(child);
      if (emulator !== undefined) {
        if (mode === 'edge') onStream = await countOnStream(emulator.clients.kinesis);
        emulator.clients.destroy();
        await emulator.kinesalite.process.stop();
        emulator = undefined;
      }
    }
    const find = (name: string): Run => {
      const run = runs.find((r) => r.name === name);
      if (run === undefined) throw new Error(`run ${name} is missing`);
      return run;
    };
    const floor = find('floor/open');
    const kinesis = find('kinesis/open');
    const edge = find('edge/open');
    const floorBursts = find('floor/bursts');
    const kinesisBursts = find('kinesis/bursts');
    const edgeBursts = find('edge/bursts');

    console.log(
      'cpu/req: CPU ms per request of the server under test; kin.cpu: of kinesalite (from /proc)',
    );
    console.log(
      `load average ${loadBefore.toFixed(1)} before, ${loadavg()[0]?.toFixed(1) ?? '?'} after (2 cores shared with other work)`,
    );
    console.log(
      `POST /events, ${RATE} requests/s × ${EVENTS_PER_REQUEST} events, ${DURATION_S} s (+${WARMUP_S} s warm-up), ` +
        `kinesalite ${DEFAULT_LOCAL_SHARD_COUNT} shards, ${SESSIONS} sessions round-robin; ` +
        `open: one request every ${1000 / RATE} ms, timed from its schedule, up to ${MAX_SOCKETS} sockets; ` +
        `bursts: autocannon, ${CONNECTIONS} connections, each one's share at the start of each second`,
    );
    console.log(
      row([
        '',
        'rps',
        'p50 ms',
        'p95 ms',
        'p99 ms',
        'max ms',
        '200',
        '207',
        'errors',
        'cpu/req',
        'kin.cpu',
        'sent/s',
        'lag ms',
      ]),
    );
    for (const r of runs) {
      console.log(
        row([
          r.name,
          r.rps,
          r.latency.p50,
          r.latency.p95,
          r.latency.p99,
          r.latency.max,
          r.ok,
          r.partial,
          r.errors,
          r.serverCpuMsPerRequest ?? '-',
          r.kinesisCpuMsPerRequest ?? '-',
          r.sendRate ?? '-',
          r.maxLagMs ?? '-',
        ]),
      );
    }
    console.log(
      `edge accepted ${acceptedTotal} events (warm-up and both shapes included); ${onStream} records on its stream; ` +
        `open loop: edge p95 ${edge.latency.p95} ms vs floor ${floor.latency.p95} ms and kinesalite alone ${kinesis.latency.p95} ms; ` +
        `bursts: edge p95 ${edgeBursts.latency.p95} ms vs floor ${floorBursts.latency.p95} ms and kinesalite alone ${kinesisBursts.latency.p95} ms ` +
        '(target < 100 ms, zero errors)',
    );
    console.log(
      JSON.stringify({
        bench: 'edge',
        rps: edge.rps,
        p50Ms: edge.latency.p50,
        p95Ms: edge.latency.p95,
        p99Ms: edge.latency.p99,
        sendRate: edge.sendRate,
        maxLagMs: edge.maxLagMs,
        floorP95Ms: floor.latency.p95,
        kinesisP95Ms: kinesis.latency.p95,
        edgeCpuMsPerRequest: edge.serverCpuMsPerRequest,
        kinesaliteCpuMsPerRequest: kinesis.kinesisCpuMsPerRequest,
        burstP95Ms: edgeBursts.latency.p95,
        burstRps: edgeBursts.rps,
        burstFloorP95Ms: floorBursts.latency.p95,
        burstKinesisP95Ms: kinesisBursts.latency.p95,
        errors: edgeRuns.reduce((sum, run) => sum + run.errors, 0),
        partial: edgeRuns.reduce((sum, run) => sum + run.partial, 0),
        accepted: acceptedTotal,
        onStream,
        loadAverage: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      }),
    );
  } finally {
    await Promise.all(children.map(stopServer));
    emulator?.clients.destroy();
    await emulator?.kinesalite.process.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:edge failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
