/**
 * Entry point of the kinesalite child process: kinesalite's server with its options as flags.
 *
 * Usage: kinesalite-main.ts --port <port> [--createStreamMs <ms>] [--deleteStreamMs <ms>]
 *                           [--updateStreamMs <ms>] [--shardLimit <n>] [--path <folder>]
 */
import kinesalite from 'kinesalite';
import { parseKinesaliteArgs, type KinesaliteArgs } from './kinesalite-args';

let options: KinesaliteArgs;
try {
  options = parseKinesaliteArgs(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`kinesalite-main: ${(error as Error).message}\n`);
  process.exit(2);
}

kinesalite(options).listen(options.port, () => {
  process.stdout.write(`kinesalite listening on port ${String(options.port)}\n`);
});
