/**
 * Names of the stack outputs the admin CLI (cli/) reads to find a deployed stage's resources.
 * Plain data (no aws-cdk-lib), so the CLI loads it without CDK. Table names follow the stage
 * prefix (infra/resources.ts) but bucket names are CloudFormation's to choose, and the salt
 * secret's ARN ends in a random suffix: the outputs are the one place that says what is deployed.
 */
import type { TierName } from '../schemas/registry';
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
  /** Sites with their own ActiveSessions shards and rollup keys, JSON (schemas/shard-plan.ts). */
  siteShards: 'SiteShards',
  /** The REST API (ingest and query): `sites add` prints the script tag's API URL from it. */
  apiUrl: 'ApiUrl',
  /** The REST API's id, for the operator's messages about its API keys. */
  apiId: 'IngestApiId',
  /** The live dashboard: `sites add` and `read-tokens issue` print its link with a read token. */
  dashboardUrl: 'DashboardUrl',
  /** The tracker's versioned URL and SRI hash (dashboard hosting): `sites add`'s script tag. */
  trackerScriptUrl: 'TrackerScriptUrl',
  trackerIntegrity: 'TrackerIntegrity',
} as const;

/**
 * The usage plan of each tier: on a deployed stage `keys add` attaches the ingest key's API
 * Gateway key to its tier's plan (CreateUsagePlanKey), so the plan's throttle and quota apply.
 */
export const ADMIN_USAGE_PLAN_OUTPUTS = {
  starter: 'UsagePlanStarterId',
  standard: 'UsagePlanStandardId',
  scale: 'UsagePlanScaleId',
} as const satisfies Record<TierName, string>;
