/**
 * What keeps `npm start` from losing acknowledged events without a word (issue 20 items 9–10):
 *
 * - an emulator that dies is announced loudly, and ingest is refused (503, retryable) until it
 *   is back — restarted with its data — so the edge never acknowledges what cannot be stored;
 *   an emulator that cannot come back is announced and the product stops (start.ts);
 * - on stop, the edge refuses new events at once, the PutRecords calls already past the gate
 *   finish, the consumer drains the stream for up to LIVEINSIGHT_DRAIN_SECONDS, and what is still
 *   on the stream past its checkpoints is counted and reported (kept in the data dir, or lost).
 */
import { join } from 'node:path';
import { match } from 'ts-pattern';
import type { LocalConsumer } from './consumer/local-consumer';
import { countUnprocessedRecords } from './consumer/stream-backlog';
import type { KinesisBackend } from './edge/kinesis-backend';
import { IngestGate } from './ingest-gate';
import type { LocalConfig } from './local-config';
import type { LocalPart, LocalProduct } from './local-product';
import { describeEmulatorEvent, type EmulatorEvent } from './local-stack';

/** How long the stop waits for PutRecords calls that got past the gate before it closed. */
const IN_FLIGHT_WAIT_MS = 5_000;
const DRAIN_POLL_MS = 200;
/** Marks the lines an operator must not miss. */
const LOUD = '!!';

export interface ProductGuard {
  readonly gate: IngestGate;
  /** ` ingest PAUSED: …` while ingest is refused, '' otherwise (for the live line). */
  pausedText(): string;
  /**
   * The part that drains on stop; register it after every other part so it stops first.
   * `quiesce` runs right after ingest is refused (stop the demo traffic there).
   */
  drainPart(consumer: LocalConsumer, quiesce: () => Promise<void>): LocalPart;
}

export function guardProduct(
  product: LocalProduct,
  config: LocalConfig,
  edgeKinesis: KinesisBackend,
  print: (line: string) => void,
): ProductGuard {
  const gate = new IngestGate(edgeKinesis);
  let lost: string | undefined;

  product.onEmulatorEvent((event: EmulatorEvent) => {
    match(event)
      .with({ kind: 'exited' }, (exited) => {
        gate.refuse(exited.name, `${exited.name} is down`);
        print(`${LOUD} ${describeEmulatorEvent(exited)}.`);
        print(
          `${LOUD} ingest paused: the edge answers 503 (retryable) to POST /events until ${exited.name} is back.`,
        );
        const tail = exited.outputTail.slice(-5);
        if (tail.length > 0) print(`${LOUD} its last output:\n     ${tail.join('\n     ')}`);
      })
      .with({ kind: 'restarted' }, (restarted) => {
        gate.admit(restarted.name);
        print(`${LOUD} ${describeEmulatorEvent(restarted)}; ingest resumes.`);
      })
      .with({ kind: 'lost' }, (gone) => {
        lost = describeEmulatorEvent(gone);
        gate.refuse(gone.name, `${gone.name} is lost`);
        print(`${LOUD} ${lost}.`);
        print(`${LOUD} the product stops: it could not store what it would accept.`);
      })
      .exhaustive();
  });

  const streamName = product.resources.names.eventsStream;
  const kept =
    config.dataDir !== undefined && config.kinesisEngine === 'kinesalite'
      ? `kept on the stream in ${join(config.dataDir, 'kinesalite')}; the next npm start with the same LIVEINSIGHT_DATA_DIR stores them`
      : 'LOST: the stream lives in memory (set LIVEINSIGHT_DATA_DIR to keep it across restarts)';

  const drain = async (consumer: LocalConsumer, quiesce: () => Promise<void>): Promise<void> => {
    // Synchronously first: no event is acknowledged from here on.
    gate.refuse('stopping', 'the product is stopping');
    print('stopping: the edge refuses new events (503); draining the consumer…');
    const began = Date.now();
    await quiesce();
    const settled = await gate.idle(IN_FLIGHT_WAIT_MS);
    const deadline = began + config.drainSeconds * 1000;
    const count = (): Promise<number> =>
      countUnprocessedRecords(product.clients.kinesis, streamName, consumer.mapping.stats().shards);
    let left: number | undefined;
    let countError: unknown;
    for (;;) {
      // Counting reads the stream: only once the mapping holds nothing in flight.
      if (lost === undefined && consumer.mapping.lag().pendingRecords === 0) {
        try {
          left = await count();
          if (left === 0) break;
        } catch (error) {
          countError = error;
        }
      }
      if (lost !== undefined || Date.now() >= deadline) break;
      await new Promise((resolve) => setTimeout(resolve, DRAIN_POLL_MS));
    }
    if (left !== 0) {
      try {
        left = await count();
      } catch (error) {
        countError = error;
        left = undefined;
      }
    }
    const toDestination = consumer.mapping.stats().recordsToDestination;
    const inFlightNote =
      (settled
        ? ''
        : ` (${gate.callsInFlight} PutRecords calls were still in flight after ${IN_FLIGHT_WAIT_MS} ms)`) +
      (toDestination === 0
        ? ''
        : `; ${toDestination} records of this run ran out of retries or age and are in the on-failure bucket ${product.resources.names.buckets.failures} (redrive them)`);
    if (left === 0) {
      print(
        `drained in ${Date.now() - began} ms: 0 acknowledged events left unstored${inFlightNote}`,
      );
    } else if (left === undefined) {
      print(
        `${LOUD} could not count what is left on the stream (${countError instanceof Error ? countError.message : String(countError)}); ` +
          `acknowledged events may be unstored: ${kept}${inFlightNote}`,
      );
    } else {
      const why =
        lost !== undefined
          ? `the pipeline cannot store (${lost})`
          : `the drain deadline of ${config.drainSeconds} s (LIVEINSIGHT_DRAIN_SECONDS) passed`;
      print(`${LOUD} ${why}: ${left} acknowledged events left unstored, ${kept}${inFlightNote}`);
    }
  };

  return {
    gate,
    pausedText: () => {
      const refusal = gate.refusal();
      return refusal === undefined ? '' : `  ${LOUD} ingest PAUSED: ${refusal}`;
    },
    drainPart: (consumer, quiesce) => ({
      summary: `drain     on stop: ingest refused at once, consumer drained for up to ${config.drainSeconds} s`,
      stop: () => drain(consumer, quiesce),
    }),
  };
}
