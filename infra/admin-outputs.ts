/**
 * Names of the stack outputs the admin CLI (cli/) reads to find a deployed stage's resources.
 * Plain data (no aws-cdk-lib), so the CLI loads it without CDK. Table names follow the stage
 * prefix (infra/resources.ts) but bucket names are CloudFormation's to choose, and the salt
 * secret's ARN ends in a random suffix: the outputs are the one place that says what is deployed.
 */
import type { TableKey } from './resources';

export const ADMIN_TABLE_OUTPUTS = {
  events: 'EventsTableName',
  sessions: 'SessionsTableName',
  activeSessions: 'ActiveSessionsTableName',
  badRows: 'BadRowsTableName',
  readTokens: 'ReadTokensTableName',
  realtimeRollups: 'RealtimeRollupsTableName',
  registry: 'RegistryTableName',
} as const satisfies Record<TableKey, string>;

export const ADMIN_OUTPUTS = {
  /** The on-failure destination (consumer, processor, rollup) and oversized bad-row payloads. */
  failureBucket: 'FailuresBucketName',
  /** The Secrets Manager secret whose value keys the daily visitor salt (the consumer's). */
  visitorSaltSecretArn: 'VisitorSaltSecretArn',
  /** Partition shards of ActiveSessions (the consumer's projection key). */
  activeSessionShards: 'ActiveSessionShards',
} as const;
