/**
 * Which LiveInsight the admin CLI works on, resolved once per command:
 *
 * - the local stack (default): the endpoint `npm start` wrote to `demo.json` in its state folder
 *   (LIVEINSIGHT_STATE_DIR, default .liveinsight) — not an assumed port — and the prefix it runs
 *   (LIVEINSIGHT_STAGE); the consumer is configured exactly as `npm start` configures its own
 *   (handlers/handler-env.ts), so replayed records get the same visitor ids;
 * - a deployed stage (`--stage <name>`): table and bucket names from the CloudFormation stack's
 *   outputs (ADMIN_OUTPUTS in infra/resources.ts), region and credentials from the SDK's standard chain.
 *
 * Where the local stack is comes from handlers/local-stack-location.ts (the one reader of
 * LIVEINSIGHT_STATE_DIR / LIVEINSIGHT_STAGE), the local consumer env (and its salt) from
 * handlers/handler-env.ts, as npm start configures its own.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { type AwsConfig, type ConsumerConfig, readConsumerConfig } from '../handlers/config';
import {
  ADMIN_OUTPUTS,
  ADMIN_TABLE_OUTPUTS,
  ADMIN_USAGE_PLAN_OUTPUTS,
  TABLE_KEYS,
  type TableDefinition,
  type TableKey,
  resourceDefinitions,
  tableDefinitions,
} from '../infra/resources';
import { handlerEnv } from '../handlers/handler-env';
import { readLocalStackLocation } from '../handlers/local-stack-location';
import { parseShardPlan } from '../schemas/shard-plan';
import type { TierName } from '../schemas/registry';
import { CliTargetError, explainAwsError } from './errors';

export interface Target {
  /** For progress lines and errors: which stack this is. */
  readonly label: string;
  readonly aws: AwsConfig;
  readonly tables: Readonly<Record<TableKey, string>>;
  readonly failureBucket: string;
  /** The consumer's configuration for this target (redrive and bad-row replay run it). */
  readonly consumer: ConsumerConfig;
  /** Key shapes the tables must have (infra/resources.ts), checked before any work. */
  readonly definitions: Readonly<Record<TableKey, TableDefinition>>;
  /** Where users reach this LiveInsight: for the links and tags commands print (when known). */
  readonly links?: TargetLinks;
  /** A deployed stage: its name and its stack's outputs (API Gateway keys need them). */
  readonly stage?: StageOutputs;
}

export interface TargetLinks {
  /** Base URL of the ingest API (`POST <apiUrl>/events`). */
  readonly apiUrl?: string;
  /** The live dashboard's page (`?siteId=…#token=…` is added). */
  readonly dashboardUrl?: string;
  /** The local edge's own URL (locally: API, dashboard and tracker script are served there). */
  readonly edgeUrl?: string;
  /** The tracker build served (locally from demo.json, on a stage from its outputs). */
  readonly tracker?: { readonly scriptUrl: string; readonly integrity: string | undefined };
}

export interface StageOutputs {
  readonly name: string;
  readonly region: string;
  /** The output's value; a CliTargetError naming the output and the stack when it is missing. */
  output(key: string): string;
  /** The id of the tier's usage plan (API Gateway keys are attached to it). */
  usagePlanId(tier: TierName): string;
}

export interface TargetOptions {
  /** A deployed stage: its CloudFormation stack name (infra/app.ts names the stack after it). */
  readonly stage?: string | undefined;
}

type Env = Readonly<Record<string, string | undefined>>;

/** `demo.json` as far as the CLI needs it (DESIGN.md section 3a). */
function parseDemo(text: string, path: string): { endpoint: string; links: TargetLinks } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new CliTargetError(`${path} is not JSON (expected npm start's demo.json)`, {
      cause: error,
    });
  }
  const demo: Record<string, unknown> =
    parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : {};
  const endpoint = demo['awsEndpoint'];
  if (typeof endpoint !== 'string' || !/^https?:\/\//.test(endpoint)) {
    throw new CliTargetError(
      `${path} has awsEndpoint ${JSON.stringify(endpoint)} (expected the local stack's http URL)`,
    );
  }
  const url = (key: string): string | undefined => {
    const value = demo[key];
    return typeof value === 'string' && /^https?:\/\//.test(value) ? value : undefined;
  };
  const edgeUrl = url('edgeUrl');
  const dashboardUrl = url('dashboardUrl');
  const scriptUrl = url('trackerScriptUrl');
  const integrity = demo['trackerIntegrity'];
  return {
    endpoint,
    links: {
      ...(edgeUrl === undefined ? {} : { edgeUrl, apiUrl: edgeUrl }),
      ...(dashboardUrl === undefined ? {} : { dashboardUrl }),
      ...(scriptUrl === undefined
        ? {}
        : {
            tracker: {
              scriptUrl,
              integrity: typeof integrity === 'string' ? integrity : undefined,
            },
          }),
    },
  };
}

export async function localTarget(env: Env = process.env): Promise<Target> {
  const config = readLocalStackLocation(env);
  const path = join(config.stateDir, 'demo.json');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliTargetError(
      `no local stack is running: ${path} not found (expected \`npm start\` running, ` +
        'LIVEINSIGHT_STATE_DIR naming its state folder, or --stage <name> for a deployed stage)',
      { cause: error },
    );
  }
  const { endpoint, links } = parseDemo(text, path);
  const resources = resourceDefinitions(config.stage);
  const consumer = readConsumerConfig(handlerEnv(endpoint, 'us-east-1', resources));
  return {
    label: `local stack ${config.stage} at ${endpoint}`,
    aws: consumer.aws,
    tables: resources.names.tables,
    failureBucket: resources.names.buckets.failures,
    consumer,
    definitions: definitionsOf(config.stage),
    links,
  };
}

export async function stageTarget(stage: string): Promise<Target> {
  const cloudFormation = new CloudFormationClient({});
  try {
    const region = await cloudFormation.config.region();
    let outputs: Map<string, string>;
    try {
      const answer = await cloudFormation.send(new DescribeStacksCommand({ StackName: stage }));
      const stack = answer.Stacks?.[0];
      if (stack === undefined) {
        throw new CliTargetError(`CloudFormation has no stack ${stage} in ${region}`);
      }
      outputs = new Map(
        (stack.Outputs ?? []).flatMap((o) =>
          o.OutputKey === undefined || o.OutputValue === undefined
            ? []
            : [[o.OutputKey, o.OutputValue] as const],
        ),
      );
    } catch (error) {
      if (error instanceof Error && /does not exist/.test(error.message)) {
        throw new CliTargetError(
          `no stage ${JSON.stringify(stage)} in ${region}: ${error.message} (expected the name ` +
            'given to `npm run deploy -- -c stage=<name>`, and AWS_REGION / AWS_PROFILE of its account)',
          { cause: error },
        );
      }
      throw explainAwsError(error, `reading the outputs of stack ${stage} in ${region}`);
    }
    const output = (key: string): string => {
      const value = outputs.get(key);
      if (value === undefined) {
        throw new CliTargetError(
          `stack ${stage} in ${region} has no output ${key} (has: ${[...outputs.keys()].join(', ') || 'none'}); ` +
            'expected a stage deployed from this version (npm run deploy adds it)',
        );
      }
      return value;
    };
    const tables = Object.fromEntries(
      TABLE_KEYS.map((key) => [key, output(ADMIN_TABLE_OUTPUTS[key])]),
    ) as Record<TableKey, string>;
    const shards = Number(output(ADMIN_OUTPUTS.activeSessionShards));
    // A stage deployed before per-site counts has no such output: every site has `shards`.
    const siteShards = outputs.get(ADMIN_OUTPUTS.siteShards) ?? '{}';
    const aws: AwsConfig = { endpoint: undefined, region };
    return {
      label: `stage ${stage} (${region})`,
      aws,
      tables,
      failureBucket: output(ADMIN_OUTPUTS.failureBucket),
      consumer: {
        aws,
        eventsTable: tables.events,
        sessionsTable: tables.sessions,
        activeSessionsTable: tables.activeSessions,
        badRowsTable: tables.badRows,
        failureBucket: output(ADMIN_OUTPUTS.failureBucket),
        activeSessionShards: shards,
        shardPlan: parseShardPlan(shards, JSON.parse(siteShards) as unknown),
        visitorSalt: {
          kind: 'secrets-manager',
          secretId: output(ADMIN_OUTPUTS.visitorSaltSecretArn),
        },
      },
      definitions: definitionsOf(stage),
      links: stageLinks(outputs),
      stage: {
        name: stage,
        region,
        output,
        usagePlanId: (tier) => output(ADMIN_USAGE_PLAN_OUTPUTS[tier]),
      },
    };
  } finally {
    cloudFormation.destroy();
  }
}

/** What a stage's outputs say about its pages; a stage deployed before them lacks some. */
function stageLinks(outputs: ReadonlyMap<string, string>): TargetLinks {
  const apiUrl = outputs.get(ADMIN_OUTPUTS.apiUrl);
  const dashboardUrl = outputs.get(ADMIN_OUTPUTS.dashboardUrl);
  const scriptUrl = outputs.get(ADMIN_OUTPUTS.trackerScriptUrl);
  return {
    ...(apiUrl === undefined ? {} : { apiUrl }),
    ...(dashboardUrl === undefined ? {} : { dashboardUrl }),
    ...(scriptUrl === undefined
      ? {}
      : {
          tracker: { scriptUrl, integrity: outputs.get(ADMIN_OUTPUTS.trackerIntegrity) },
        }),
  };
}

export function resolveTarget(options: TargetOptions, env: Env = process.env): Promise<Target> {
  return options.stage === undefined ? localTarget(env) : stageTarget(options.stage);
}

export function definitionsOf(prefix: string): Record<TableKey, TableDefinition> {
  return Object.fromEntries(tableDefinitions(prefix).map((d) => [d.key, d])) as Record<
    TableKey,
    TableDefinition
  >;
}

/**
 * Checks that each table exists with the key schema infra/resources.ts defines, so a command
 * pointed at the wrong table stops before its first write instead of half-way.
 */
export async function verifyTables(
  dynamodb: DynamoDBClient,
  target: Target,
  keys: readonly TableKey[],
): Promise<void> {
  for (const key of keys) {
    const name = target.tables[key];
    const definition = target.definitions[key];
    let table;
    try {
      table = (await dynamodb.send(new DescribeTableCommand({ TableName: name }))).Table;
    } catch (error) {
      throw explainAwsError(error, `${target.label}: table ${name}`);
    }
    const expected = [
      `${definition.partitionKey.name} HASH ${definition.partitionKey.type}`,
      ...(definition.sortKey === undefined
        ? []
        : [`${definition.sortKey.name} RANGE ${definition.sortKey.type}`]),
    ];
    const types = new Map(
      (table?.AttributeDefinitions ?? []).map((a) => [a.AttributeName, a.AttributeType]),
    );
    const received = (table?.KeySchema ?? []).map(
      (k) => `${k.AttributeName} ${k.KeyType} ${types.get(k.AttributeName ?? '') ?? '?'}`,
    );
    if (received.join(', ') !== expected.join(', ')) {
      throw new CliTargetError(
        `${target.label}: table ${name} has key [${received.join(', ')}] ` +
          `(expected the ${key} table's key [${expected.join(', ')}])`,
      );
    }
  }
}
