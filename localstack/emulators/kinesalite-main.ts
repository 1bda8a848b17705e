/**
 * Entry point of the kinesalite child process: kinesalite's server, with output-identical BigInt
 * versions of its per-record helpers installed (kinesalite-fast-paths.ts).
 *
 * Usage: kinesalite-main.ts --port <port> [--createStreamMs <ms>] [--deleteStreamMs <ms>]
 *                           [--updateStreamMs <ms>] [--shardLimit <n>] [--path <folder>]
 */
import kinesalite from 'kinesalite';
import kinesaliteDb from 'kinesalite/db';
import { parseKinesaliteArgs, type KinesaliteArgs } from './kinesalite-args';
import { installKinesaliteFastPaths } from './kinesalite-fast-paths';

let options: KinesaliteArgs;
try {
  options = parseKinesaliteArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`kinesalite-main: ${(error as Error).message}\n`);
  process.exit(2);
}

// kinesalite's actions call these helpers through the db module object at request time.
installKinesaliteFastPaths(kinesaliteDb);
kinesalite(options).listen(options.port, () => {
  process.stdout.write(`kinesalite listening on port ${String(options.port)}\n`);
});
