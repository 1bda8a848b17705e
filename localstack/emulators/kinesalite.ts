/**
 * kinesalite (npm): Kinesis on LevelDB in memory, validates requests like AWS (501 records or
 * 1 MB + 1 byte are refused). The default Kinesis engine. With `path`, LevelDB keeps streams and
 * records on disk, so a restart (or a crash of the process) loses nothing it acknowledged. Run
 * through kinesalite-main.ts (its options as flags).
 */
import { dirname } from 'node:path';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createAwsClients } from '../../handlers/aws-clients';
import type { EmulatorDefinition } from '../supervisor/emulator-definition';

const PACKAGE_DIR = dirname(require.resolve('kinesalite/package.json'));
const MAIN = require.resolve('./kinesalite-main.ts');
const TSX_CJS = require.resolve('tsx/cjs');

export interface KinesaliteOptions {
  /** How long a stream stays CREATING/DELETING/UPDATING; AWS takes seconds, tests want speed. */
  readonly transitionMs?: number;
  /** Account-wide open-shard limit (kinesalite's default of 10 is too low for parallel tests). */
  readonly shardLimit?: number;
  /** Folder for kinesalite's LevelDB (`--path`); in memory when undefined. */
  readonly path?: string;
}

export function kinesalite(options: KinesaliteOptions = {}): EmulatorDefinition {
  const transitionMs = String(options.transitionMs ?? 100);
  return {
    name: 'kinesalite',
    service: 'kinesis',
    description:
      options.path === undefined
        ? 'kinesalite (Kinesis, in memory)'
        : `kinesalite (Kinesis, data in ${options.path})`,
    keepsData: options.path !== undefined,
    processSpec: (port) => ({
      name: 'kinesalite',
      command: process.execPath,
      args: [
        '--require',
        TSX_CJS,
        MAIN,
        '--port',
        String(port),
        '--createStreamMs',
        transitionMs,
        '--deleteStreamMs',
        transitionMs,
        '--updateStreamMs',
        transitionMs,
        '--shardLimit',
        String(options.shardLimit ?? 500),
        ...(options.path === undefined ? [] : ['--path', options.path]),
      ],
      cwd: PACKAGE_DIR,
    }),
    async probe(endpoint) {
      const clients = createAwsClients({ endpoint, region: 'us-east-1' }, { maxAttempts: 1 });
      try {
        await clients.kinesis.send(new ListStreamsCommand({ Limit: 1 }));
      } finally {
        clients.destroy();
      }
    },
  };
}
