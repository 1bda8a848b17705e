/**
 * The realtime rollup Lambda (handlers/rollup) and its event-source mapping on the ActiveSessions
 * stream, configured from the `rollupFromActiveSessions` definition of infra/resources.ts
 * (ROLLUP_MAPPING_SETTINGS) that the local event-source mapping runs with too. It turns session
 * changes into per-site, per-minute counters in RealtimeRollups, which GET /realtime reads;
 * failed or aged-out batches go to the failures bucket with their records.
 *
 * ActiveSessions' stream now has two readers (the processor and this function): DynamoDB Streams
 * serves at most two per shard without throttling (DESIGN.md section 5), so a third reader of
 * that stream needs a fan-out instead of another mapping.
 */
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ENV } from '../../handlers/env-names';
import {
  EVENT_SOURCE_MAPPINGS,
  FUNCTION_TUNING,
  type EventSourceMappingDefinition,
  type EventSourceMappingSettings,
  type MappingKey,
  validateEventSourceMappingSettings,
} from '../resources';
import type { SiteShards } from '../../schemas/shard-plan';
import { bundledFunction, type FunctionCode } from './bundled-function';
import type { LiveAlias } from './live-alias';
import { acknowledgeOnFailureObjects } from './s3-on-failure-destination';
import { acknowledgeListStreams, streamMappingProps } from './stream-mapping-props';

export interface RollupFunctionProps {
  /** Streamed with NEW_AND_OLD_IMAGES (infra/resources.ts): the rollup's only input. */
  readonly activeSessionsTable: dynamodb.ITable;
  /** Per-site, per-minute counters and the function's chunk markers: its only output. */
  readonly realtimeRollupsTable: dynamodb.ITable;
  /** On-failure destination of the mapping. */
  readonly failureBucket: s3.IBucket;
  /**
   * Sites with their own rollup keys (CONTRACT.md, issue 18: each splits its
   * buckets over `rollupKeys` keys); every other site has one. Writers and readers get the same JSON in their env.
   * @default {} (none)
   */
  readonly siteShards?: Readonly<Record<string, SiteShards>>;
  /** @default FUNCTION_TUNING.rollup (256 MB) */
  readonly memorySize?: number;
  /**
   * Reserved concurrency: shards × ParallelizationFactor of its mapping.
   * @default undefined (unreserved)
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * A batch (≤ 1,000 records) becomes a few sequential TransactWriteItems calls of ≤ 100
   * items, each tens of milliseconds on AWS, plus the SDK's backoff on TransactionConflict
   * (the processor's 30 s covers the same batch size with room to spare).
   * @default FUNCTION_TUNING.rollup (30 s)
   */
  readonly timeout?: Duration;
  /**
   * Event-source-mapping settings.
   * @default the `rollupFromActiveSessions` settings of infra/resources.ts
   * (ROLLUP_MAPPING_SETTINGS), the ones the local mapping runs
   */
  readonly mappingSettings?: EventSourceMappingSettings;
  /**
   * Code: an esbuild bundle made at synth time from handlers/rollup/index.ts, or a directory
   * holding an already built `index.js`.
   * @default { kind: 'bundle' }
   */
  readonly code?: FunctionCode;
}

export const ROLLUP_MAPPING_KEY = 'rollupFromActiveSessions' satisfies MappingKey;

/**
 * The rollup's calls on RealtimeRollups (handlers/adapters/dynamo-realtime-rollups.ts).
 * TransactWriteItems has no action of its own: each item it holds is authorized as the single
 * call it stands for — the chunk marker's conditional Put as PutItem, the counters' ADD as
 * UpdateItem (a ConditionCheck item would need ConditionCheckItem; the rollup writes none).
 * GetItem: a chunk refused as already applied reads its marker (consistent read) to learn
 * which records it covered.
 */
export const ROLLUP_TABLE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:GetItem',
] as const;

export const ROLLUP_ENTRY = join(__dirname, '..', '..', 'handlers', 'rollup', 'index.ts');

/** The one mapping definition this construct deploys; throws if resources.ts lost or moved it. */
function rollupMapping(): EventSourceMappingDefinition {
  const mapping = EVENT_SOURCE_MAPPINGS.find((m) => m.key === ROLLUP_MAPPING_KEY);
  if (
    mapping === undefined ||
    mapping.functionKey !== 'rollup' ||
    mapping.source.kind !== 'dynamodb-stream' ||
    mapping.source.table !== 'activeSessions'
  ) {
    throw new Error(
      `infra/resources.ts defines ${ROLLUP_MAPPING_KEY} as ${JSON.stringify(mapping)} ` +
        '(expected functionKey "rollup" on the activeSessions DynamoDB stream)',
    );
  }
  return mapping;
}

export class RollupFunction extends Construct {
  readonly function: lambda.Function;
  /** The alias `live` the mapping invokes, with its canary deployment group. */
  readonly live: LiveAlias;
  readonly eventSource: DynamoEventSource;

  constructor(scope: Construct, id: string, props: RollupFunctionProps) {
    super(scope, id);
    const settings = validateEventSourceMappingSettings(
      props.mappingSettings ?? rollupMapping().settings,
      `rollup event source mapping ${ROLLUP_MAPPING_KEY}`,
    );

    const {
      function: fn,
      role,
      live,
    } = bundledFunction(this, 'Function', {
      entry: ROLLUP_ENTRY,
      code: props.code ?? { kind: 'bundle' },
      description:
        'LiveInsight rollup: ActiveSessions stream → per-site, per-minute realtime counters',
      roleDescription: 'LiveInsight rollup',
      environment: {
        [ENV.realtimeRollupsTable]: props.realtimeRollupsTable.tableName,
        // Read to tell a record's table by its stream ARN; the function never reads the table.
        [ENV.activeSessionsTable]: props.activeSessionsTable.tableName,
        [ENV.siteShards]: JSON.stringify(props.siteShards ?? {}),
      },
      memorySize: props.memorySize ?? FUNCTION_TUNING.rollup.memoryMb,
      timeout: props.timeout ?? Duration.seconds(FUNCTION_TUNING.rollup.timeoutSeconds),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      logGroupId: 'Logs',
      roleId: 'Role',
    });
    this.function = fn;
    this.live = live;

    // Exactly the calls the rollup makes (least privilege; no index ARNs, no deletes).
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: [...ROLLUP_TABLE_ACTIONS],
        resources: [props.realtimeRollupsTable.tableArn],
      }),
    );

    // DynamoEventSource grants the stream reads (DescribeStream, GetRecords, GetShardIterator on
    // the stream ARN; ListStreams on *); the destination grants its own S3 calls.
    this.eventSource = new DynamoEventSource(
      props.activeSessionsTable,
      streamMappingProps(settings, props.failureBucket),
    );
    this.live.addEventSource(this.eventSource);

    // Checks (cdk-nag AwsSolutions) failed by design; each reason is the decision.
    const policy = role.node.tryFindChild('DefaultPolicy');
    if (policy !== undefined) {
      acknowledgeOnFailureObjects(policy, props.failureBucket);
      acknowledgeListStreams(policy, 'the ActiveSessions stream ARN');
    }
  }
}
