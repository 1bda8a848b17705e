/**
 * What protects one stage once its resources exist (issue 12 items 3 and 4): reserved
 * concurrency sized from the streams (infra/resources.ts reservedConcurrency), the aliases and
 * canary deployment groups gathered for the ops alarms, an X-Ray sampling rule for the API, log
 * metric filters and Logs Insights saved queries, an AWS Backup plan for the tables that cannot
 * be rebuilt from others, a lifecycle on the failures bucket and termination protection.
 */
import { createHash } from 'node:crypto';
import { Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as backup from 'aws-cdk-lib/aws-backup';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as codedeploy from 'aws-cdk-lib/aws-codedeploy';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import * as xray from 'aws-cdk-lib/aws-xray';
import { Construct } from 'constructs';
import { METRICS_NAMESPACE } from '../../schemas/business-metrics';
import {
  PROTECTION_DEFAULTS,
  type ProtectionSettings,
  isProductionStage,
} from '../protection-config';
import {
  FUNCTION_KEYS,
  type FunctionKey,
  type StreamSettings,
  type TableKey,
  reservedConcurrency,
} from '../resources';
import type { LiveAlias } from './live-alias';

/** The share of API requests X-Ray traces (after one a second per rule's reservoir). */
export const TRACE_SAMPLING_RATE = 0.1;

/**
 * Sampling rules are named per account and region (≤ 32 characters): the stage's name, or for a
 * longer one its first 23 characters and a hash of the whole, so two stages never share a rule.
 */
export function samplingRuleName(stage: string): string {
  if (stage.length <= 32) return stage;
  return `${stage.slice(0, 23)}-${createHash('sha256').update(stage).digest('hex').slice(0, 8)}`;
}

/** Tables AWS Backup copies daily: what no other table or stream can rebuild. */
export const BACKED_UP_TABLES = [
  'sessions',
  'readTokens',
  'registry',
] as const satisfies readonly TableKey[];

export interface ProtectedFunction {
  readonly function: lambda.Function;
  readonly live: LiveAlias;
}

export interface StageProtectionProps {
  readonly stage: string;
  readonly functions: Readonly<Record<FunctionKey, ProtectedFunction>>;
  readonly api: apigateway.RestApi;
  readonly accessLogs: logs.ILogGroup;
  readonly tables: Readonly<Record<TableKey, dynamodb.ITable>>;
  readonly failureBucket: s3.Bucket;
  /** The events stream's settings: its shards size the consumer's reserved concurrency. */
  readonly stream: Pick<StreamSettings, 'mode' | 'shardCount'>;
  /** @default PROTECTION_DEFAULTS, termination protection for a production stage name */
  readonly settings?: Partial<ProtectionSettings>;
}

/** The aliases `live` and their canary deployment groups, for the ops alarms (infra/constructs). */
export class LiveDeployments {
  readonly aliases: Readonly<Record<FunctionKey, lambda.Alias>>;
  readonly deploymentGroups: Readonly<Record<FunctionKey, codedeploy.LambdaDeploymentGroup>>;

  constructor(private readonly lives: Readonly<Record<FunctionKey, LiveAlias>>) {
    const map = <T>(pick: (live: LiveAlias) => T): Record<FunctionKey, T> =>
      Object.fromEntries(FUNCTION_KEYS.map((key) => [key, pick(lives[key])])) as Record<
        FunctionKey,
        T
      >;
    this.aliases = map((live) => live.alias);
    this.deploymentGroups = map((live) => live.deploymentGroup);
  }

  /** Rolls back a canary of the functions named (all by default) while `alarm` fires. */
  addRollbackAlarm(alarm: cloudwatch.IAlarm, keys: readonly FunctionKey[] = FUNCTION_KEYS): void {
    for (const key of keys) this.lives[key].addRollbackAlarm(alarm);
  }
}

/** Logs Insights saved queries: name → query over the named log groups. */
function savedQueries(
  functions: Readonly<Record<FunctionKey, ProtectedFunction>>,
  accessLogs: logs.ILogGroup,
): { name: string; logGroups: logs.ILogGroup[]; query: logs.QueryString }[] {
  const functionLogs = FUNCTION_KEYS.map((key) => functions[key].function.logGroup);
  const streamLogs = (['consumer', 'processor', 'rollup'] as const).map(
    (key) => functions[key].function.logGroup,
  );
  return [
    {
      name: 'errors-by-type',
      logGroups: functionLogs,
      query: new logs.QueryString({
        fields: ['@timestamp', '@log', '@message'],
        filterStatements: ['@message like /ERROR|Task timed out/'],
        parseStatements: ['@message /"errorType":"(?<errorType>[^"]+)"/'],
        statsStatements: ['count(*) as errors by @log, errorType'],
        sort: 'errors desc',
      }),
    },
    {
      name: 'slowest-batches',
      logGroups: streamLogs,
      query: new logs.QueryString({
        fields: ['@timestamp', '@log', '@requestId', '@duration', '@maxMemoryUsed'],
        filterStatements: ['@type = "REPORT"'],
        sort: '@duration desc',
        limit: 25,
      }),
    },
    {
      name: '5xx-by-key',
      logGroups: [accessLogs],
      query: new logs.QueryString({
        filterStatements: ['status like /^5/'],
        statsStatements: ['count(*) as errors by apiKeyId, resourcePath, status, errorType'],
        sort: 'errors desc',
      }),
    },
    {
      name: 'throttles',
      logGroups: [accessLogs],
      query: new logs.QueryString({
        filterStatements: ['status = "429"'],
        statsStatements: ['count(*) as throttled by apiKeyId, resourcePath, errorType, bin(5m)'],
        sort: 'throttled desc',
      }),
    },
  ];
}

/**
 * aws-cdk-lib's own deploy-time helper functions (the dashboard's BucketDeployment handler, a
 * singleton at the stack's root): not ours to tune; each reason is why that is acceptable.
 */
function acknowledgeDeployHelpers(stack: Stack): void {
  for (const child of stack.node.children) {
    if (!child.node.id.startsWith('Custom::CDKBucketDeployment')) continue;
    const reasons: Record<string, string> = {
      'Serverless::Serverless-LambdaDLQ':
        'aws-cdk-lib’s BucketDeployment handler runs only as a CloudFormation custom resource during deploys; a failure fails the deploy, which CloudFormation reports and rolls back.',
      'Serverless::Serverless-LambdaLatestVersion':
        'aws-cdk-lib chooses the runtime of its BucketDeployment handler and moves it with the library version.',
      'Serverless::Serverless-LambdaTracing':
        'aws-cdk-lib’s BucketDeployment handler copies the dashboard’s files during deploys only: no request path to trace.',
    };
    for (const [id, reason] of Object.entries(reasons)) {
      Validations.of(child).acknowledge({ id, reason });
    }
  }
}

export class StageProtection extends Construct {
  readonly settings: ProtectionSettings;
  readonly live: LiveDeployments;
  readonly samplingRule: xray.CfnSamplingRule;
  /** Namespace of the log metric filters' metrics (`LiveInsight/<stage>/Logs`). */
  readonly logMetricsNamespace: string;
  readonly backupPlan: backup.BackupPlan | undefined;

  constructor(scope: Construct, id: string, props: StageProtectionProps) {
    super(scope, id);
    this.settings = {
      ...PROTECTION_DEFAULTS,
      terminationProtection: isProductionStage(props.stage),
      ...props.settings,
    };
    const settings = this.settings;
    Stack.of(this).terminationProtection = settings.terminationProtection;

    // Reserved concurrency: each stream function its shards × ParallelizationFactor (it can never
    // be starved), the query path a cap (a read flood cannot take the ingest path's share). A
    // value the function was given explicitly stays.
    if (settings.reservedConcurrency) {
      const reserved = reservedConcurrency(props.stream);
      for (const key of FUNCTION_KEYS) {
        const cfn = props.functions[key].function.node.defaultChild as lambda.CfnFunction;
        cfn.reservedConcurrentExecutions ??= reserved[key];
      }
    }

    this.live = new LiveDeployments(
      Object.fromEntries(FUNCTION_KEYS.map((key) => [key, props.functions[key].live])) as Record<
        FunctionKey,
        LiveAlias
      >,
    );

    // API Gateway (stage tracing is on) starts traces; the functions it invokes follow its
    // decision. One request a second plus 10 % of the rest.
    this.samplingRule = new xray.CfnSamplingRule(this, 'ApiSamplingRule', {
      samplingRule: {
        ruleName: samplingRuleName(props.stage),
        priority: 100,
        fixedRate: TRACE_SAMPLING_RATE,
        reservoirSize: 1,
        serviceName: `${props.api.restApiName}/${props.api.deploymentStage.stageName}`,
        serviceType: '*',
        host: '*',
        httpMethod: '*',
        urlPath: '*',
        resourceArn: '*',
        version: 1,
      },
    });

    // Metric filters: counts of what the logs say, as metrics alarms and dashboards can use.
    // No default value, so nothing is published (or billed) while nothing matches.
    this.logMetricsNamespace = `${METRICS_NAMESPACE}/${props.stage}/Logs`;
    const filter = (
      filterId: string,
      logGroup: logs.ILogGroup,
      metricName: string,
      pattern: logs.IFilterPattern,
    ) =>
      new logs.MetricFilter(this, filterId, {
        logGroup,
        metricNamespace: this.logMetricsNamespace,
        metricName,
        filterPattern: pattern,
        metricValue: '1',
      });
    filter(
      'ApiThrottledFilter',
      props.accessLogs,
      'ApiThrottled',
      logs.FilterPattern.stringValue('$.status', '=', '429'),
    );
    filter(
      'Api5xxFilter',
      props.accessLogs,
      'Api5xx',
      logs.FilterPattern.stringValue('$.status', '=', '5*'),
    );
    for (const key of FUNCTION_KEYS) {
      filter(
        `${key}ErrorLinesFilter`,
        props.functions[key].function.logGroup,
        `ErrorLines-${key}`,
        logs.FilterPattern.anyTerm('ERROR', 'Task timed out'),
      );
    }
    for (const query of savedQueries(props.functions, props.accessLogs)) {
      new logs.QueryDefinition(this, `Query-${query.name}`, {
        queryDefinitionName: `${props.stage}/${query.name}`,
        queryString: query.query,
        logGroups: query.logGroups,
      });
    }

    // The failures bucket keeps its objects as long as bad rows live (configurable).
    props.failureBucket.addLifecycleRule({
      id: 'expire-failures',
      expiration: Duration.days(settings.failuresRetentionDays),
      abortIncompleteMultipartUploadAfter: Duration.days(1),
    });

    this.backupPlan = settings.backup ? this.backup(props) : undefined;
    acknowledgeDeployHelpers(Stack.of(this));
  }

  /** Rolls back a canary of the functions named (all by default) while `alarm` fires. */
  addRollbackAlarm(alarm: cloudwatch.IAlarm, keys: readonly FunctionKey[] = FUNCTION_KEYS): void {
    this.live.addRollbackAlarm(alarm, keys);
  }

  private backup(props: StageProtectionProps): backup.BackupPlan {
    const vault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: `${props.stage}-backups`,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: `${props.stage}-daily`,
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily',
          scheduleExpression: events.Schedule.cron({ hour: '3', minute: '0' }),
          deleteAfter: Duration.days(this.settings.backupRetentionDays),
        }),
      ],
    });
    const selection = plan.addSelection('Tables', {
      resources: BACKED_UP_TABLES.map((key) =>
        backup.BackupResource.fromDynamoDbTable(props.tables[key]),
      ),
    });
    const role = selection.node.tryFindChild('Role');
    if (role !== undefined) {
      Validations.of(role).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
        reason:
          'AWSBackupServiceRolePolicyForBackup is the policy AWS documents for the role AWS Backup assumes to back up the selected resources.',
      });
    }
    return plan;
  }
}
