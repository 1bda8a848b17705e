/**
 * Entry point of the kinesalite child process: kinesalite's server, with output-identical BigInt
 * versions of its per-record helpers installed (kinesalite-fast-paths.ts).
 *
 * Usage: kinesalite-main.ts --port <port> [--createStreamMs <ms>] [--deleteStreamMs <ms>]
 *                           [--updateStreamMs <ms>] [--shardLimit <n>]
 */
import { parseArgs } from 'node:util';
import kinesalite from 'kinesalite';
import kinesaliteDb from 'kinesalite/db';
import { installKinesaliteFastPaths } from './kinesalite-fast-paths';

const NUMERIC_OPTIONS = [
  'port',
  'createStreamMs',
  'deleteStreamMs',
  'updateStreamMs',
  'shardLimit',
] as const;

function readOptions(): Record<(typeof NUMERIC_OPTIONS)[number], number | undefined> {
  const { values } = parseArgs({
    options: Object.fromEntries(NUMERIC_OPTIONS.map((name) => [name, { type: 'string' }])),
    strict: true,
  });
  return Object.fromEntries(
    NUMERIC_OPTIONS.map((name) => {
      const text = values[name];
      if (text === undefined) return [name, undefined];
      const value = Number(text);
      if (typeof text !== 'string' || !Number.isInteger(value) || value < 0) {
        throw new Error(
          `--${name} must be a non-negative integer, received ${JSON.stringify(text)}`,
        );
      }
      return [name, value];
    }),
  ) as Record<(typeof NUMERIC_OPTIONS)[number], number | undefined>;
}

let options: ReturnType<typeof readOptions>;
try {
  options = readOptions();
  if (options.port === undefined) throw new Error('--port is required');
} catch (error) {
  process.stderr.write(`kinesalite-main: ${(error as Error).message}\n`);
  process.exit(2);
}

// kinesalite's actions call these helpers through the db module object at request time.
installKinesaliteFastPaths(kinesaliteDb);
kinesalite(options).listen(options.port, () => {
  process.stdout.write(`kinesalite listening on port ${String(options.port)}\n`);
});
