/**
 * Names of the environment variables the handlers read. The CDK stacks set exactly these
 * (infra imports this module) and the local product sets them too, so a name exists once.
 */
export const ENV = {
  awsEndpoint: 'AWS_ENDPOINT_URL',
  awsRegion: 'AWS_REGION',
  eventsTable: 'LIVEINSIGHT_EVENTS_TABLE',
  sessionsTable: 'LIVEINSIGHT_SESSIONS_TABLE',
  activeSessionsTable: 'LIVEINSIGHT_ACTIVE_SESSIONS_TABLE',
  badRowsTable: 'LIVEINSIGHT_BAD_ROWS_TABLE',
  /** Query API read tokens (hashed), read by the authorizer. */
  readTokensTable: 'LIVEINSIGHT_READ_TOKENS_TABLE',
  /** Sites and their ingest keys (hashed), read by the ingest authorizer. */
  registryTable: 'LIVEINSIGHT_REGISTRY_TABLE',
  /** Per-minute realtime counters: written by the rollup function, read by the query API. */
  realtimeRollupsTable: 'LIVEINSIGHT_REALTIME_ROLLUPS_TABLE',
  /** Origin of the dashboard when it is served from another origin than the query API (CORS). */
  dashboardOrigin: 'LIVEINSIGHT_DASHBOARD_ORIGIN',
  /**
   * Milliseconds the query function keeps a site's `/realtime` answer in process: 0 behind API
   * Gateway's stage cache, 3,000 when a stage runs without one (context apiCache=false).
   */
  realtimeCacheMs: 'LIVEINSIGHT_REALTIME_CACHE_MS',
  eventsStream: 'LIVEINSIGHT_EVENTS_STREAM',
  failureBucket: 'LIVEINSIGHT_FAILURE_BUCKET',
  activeSessionShards: 'LIVEINSIGHT_ACTIVE_SESSION_SHARDS',
  /** Per-site ActiveSessions shards and rollup keys, JSON (schemas/shard-plan.ts). */
  siteShards: 'LIVEINSIGHT_SITE_SHARDS',
  /** The visitor-salt HMAC key itself: the local stack only (it has no Secrets Manager). */
  visitorSaltSecret: 'LIVEINSIGHT_VISITOR_SALT_SECRET',
  /** On AWS: the Secrets Manager secret holding that key, read at runtime (never its value). */
  visitorSaltSecretArn: 'LIVEINSIGHT_VISITOR_SALT_SECRET_ARN',
  metricsNamespace: 'LIVEINSIGHT_METRICS_NAMESPACE',
} as const;

export type EnvName = (typeof ENV)[keyof typeof ENV];
