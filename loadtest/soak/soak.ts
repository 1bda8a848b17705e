/**
 * `npm run soak -- --minutes N --rate R`: the local soak with chaos (run-soak.ts). Prints a live
 * line every 5 s, then the proof; the last line is JSON. Exits 1 when an acknowledged event was
 * lost or counted twice.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { runSoak } from './run-soak';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      minutes: { type: 'string', default: '5' },
      rate: { type: 'string', default: '30' },
      seed: { type: 'string' },
    },
  });
  const minutes = Number(values.minutes);
  const rate = Number(values.rate);
  if (!(minutes > 0) || !(rate > 0)) {
    throw new Error(
      `--minutes and --rate must be positive numbers (received --minutes ${values.minutes} --rate ${values.rate})`,
    );
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'liveinsight-soak-'));
  try {
    const result = await runSoak({
      seconds: Math.round(minutes * 60),
      rate,
      dataDir,
      ...(values.seed === undefined ? {} : { seed: Number(values.seed) }),
    });
    console.log(
      `soak: ${result.accepted} accepted = ${result.stored} stored + ${result.bad} bad` +
        ` (${result.lost} lost, ${result.doubled} doubled, ${result.unexpected} unexpected);` +
        ` ${result.sessions} sessions checked; faults ${JSON.stringify(result.injected)};` +
        ` max lag ${result.maxLagMs} ms, lag at the end ${result.finalLagRecords} records`,
    );
    console.log(
      JSON.stringify({
        bench: 'soak',
        seconds: result.seconds,
        accepted: result.accepted,
        stored: result.stored,
        bad: result.bad,
        lost: result.lost,
        doubled: result.doubled,
        faults: result.faults,
        maxLagMs: result.maxLagMs,
      }),
    );
    return result.lost > 0 || result.doubled > 0 || result.finalLagRecords > 0 ? 1 : 0;
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
    process.exitCode = 1;
  },
);
