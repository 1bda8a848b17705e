/**
 * kinesis-mock (npm `kinesis-local`), the engine LocalStack runs. It must start with its own
 * folder as working directory (it loads server.json from there) and takes its ports from
 * KINESIS_MOCK_PLAIN_PORT / KINESIS_MOCK_TLS_PORT. It never throttles, enforces no PutRecords
 * limits and never expires records: those come from fault injection, not from here.
 */
import { dirname, join } from 'node:path';
import { ListStreamsCommand } from '@aws-sdk/client-kinesis';
import { createAwsClients } from '../../handlers/aws-clients';
import type { EmulatorDefinition } from '../supervisor/emulator-definition';

const PACKAGE_DIR = dirname(require.resolve('kinesis-local/package.json'));

export interface KinesisMockOptions {
  /** The TLS port kinesis-mock always opens (we route plain HTTP only). */
  readonly tlsPort: number;
  readonly transitionMs?: number;
  readonly shardLimit?: number;
}

export function kinesisMock(options: KinesisMockOptions): EmulatorDefinition {
  const duration = `${options.transitionMs ?? 100}ms`;
  return {
    name: 'kinesis-mock',
    service: 'kinesis',
    description: 'kinesis-mock (Kinesis, as in LocalStack)',
    // Its own persistence is not wired up here: the streams live as long as the process.
    keepsData: false,
    processSpec: (port) => ({
      name: 'kinesis-mock',
      command: process.execPath,
      args: [join(PACKAGE_DIR, 'main.js')],
      cwd: PACKAGE_DIR,
      env: {
        KINESIS_MOCK_PLAIN_PORT: String(port),
        KINESIS_MOCK_TLS_PORT: String(options.tlsPort),
        CREATE_STREAM_DURATION: duration,
        DELETE_STREAM_DURATION: duration,
        UPDATE_SHARD_COUNT_DURATION: duration,
        SHARD_LIMIT: String(options.shardLimit ?? 500),
        ON_DEMAND_STREAM_COUNT_LIMIT: '50',
        // INFO logs every request; WARN keeps the output tail useful for errors.
        LOG_LEVEL: 'WARN',
      },
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
