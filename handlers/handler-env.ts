/**
 * The handlers' environment (names from handlers/env-names.ts) for resources of one prefix on
 * one endpoint: what the local product and tests give handlers they run in-process, and what the
 * admin CLI configures the consumer with on the local stack (so replayed records get the visitor
 * ids `npm start` gives them). In handlers/, not localstack/, so that cli/ may import it too
 * (DESIGN.md section 2): `resources` is infra/resources.ts's ResourceDefinitions, taken by shape.
 */
import type { ShardPlan } from '../schemas/shard-plan';
import { ENV, type EnvName } from './env-names';

/** What of infra/resources.ts's ResourceDefinitions the environment names. */
export interface HandlerEnvResources {
  readonly names: {
    readonly tables: Readonly<
      Record<
        | 'events'
        | 'sessions'
        | 'activeSessions'
        | 'badRows'
        | 'readTokens'
        | 'realtimeRollups'
        | 'registry',
        string
      >
    >;
    readonly eventsStream: string;
    readonly buckets: { readonly failures: string };
  };
  readonly activeSessionShards: number;
  readonly shardPlan: ShardPlan;
}

export function handlerEnv(
  endpoint: string,
  region: string,
  resources: HandlerEnvResources,
  /** Local only: a fixed salt keeps visitor hashes stable across restarts of the local stack. */
  visitorSaltSecret = 'liveinsight-local-visitor-salt',
): Record<EnvName, string> {
  return {
    [ENV.awsEndpoint]: endpoint,
    [ENV.awsRegion]: region,
    [ENV.eventsTable]: resources.names.tables.events,
    [ENV.sessionsTable]: resources.names.tables.sessions,
    [ENV.activeSessionsTable]: resources.names.tables.activeSessions,
    [ENV.badRowsTable]: resources.names.tables.badRows,
    [ENV.readTokensTable]: resources.names.tables.readTokens,
    [ENV.realtimeRollupsTable]: resources.names.tables.realtimeRollups,
    [ENV.registryTable]: resources.names.tables.registry,
    // Locally the dashboard is served by the edge itself: same origin, no CORS.
    [ENV.dashboardOrigin]: '',
    [ENV.eventsStream]: resources.names.eventsStream,
    [ENV.failureBucket]: resources.names.buckets.failures,
    [ENV.activeSessionShards]: String(resources.activeSessionShards),
    [ENV.siteShards]: JSON.stringify(resources.shardPlan.sites),
    // As on a stage with the API cache: the local edge caches /realtime in front of the handler.
    [ENV.realtimeCacheMs]: '0',
    [ENV.visitorSaltSecret]: visitorSaltSecret,
    // No Secrets Manager locally: the key above is the consumer's source (handlers/config.ts).
    [ENV.visitorSaltSecretArn]: '',
    [ENV.metricsNamespace]: 'LiveInsight',
  };
}
